import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

export const UserEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "user", version: "1", service: "waypoint" },
        attributes: {
          userID: { type: "string", required: true },
          email: { type: "string", required: true },
          name: { type: "string", required: true },
          /** Argon2id PHC string (older accounts: scrypt, replaced at their next sign-in; user/hash.ts); never leaves core. */
          passwordHash: { type: "string", hidden: false },
          grants: { type: "any", required: true },
          /** ISO 639-3 languages an interpreter works in. */
          languages: { type: "list", items: { type: "string" } },
          /** The language of the person's e-mails: en, es, fr or ar (else the operation's first language). */
          language: { type: "string" },
          disabled: { type: "boolean", default: false },
          /** Set by `npx waypoint admin create` (a temporary password printed once): to be changed at first sign-in. */
          mustChangePassword: { type: "boolean" },
          /**
           * Session revision: every token carries the value it was issued at (`sv`); raising it (deactivation, a
           * role or office change, "sign out everywhere", a new password) ends every open session of the user.
           */
          sessionEpoch: { type: "number" },
          /** SHA-256 (hex) of the secret of the one open one-time link (invitation or reset); never the secret. */
          linkHash: { type: "string" },
          linkPurpose: { type: "string" },
          /** When the open link stops working (ISO). */
          linkExpires: { type: "string" },
          version: { type: "number", required: true, default: 1 },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a user by id
          primary: {
            pk: { field: "pk", composite: ["userID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // sign-in: a user by e-mail (unique, enforced by a constraint item)
          byEmail: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["email"], casing: "none" },
            sk: { field: "gsi1sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
