import type { Grant } from "@waypoint/schema/auth";
import { Actor } from "../actor.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../common/errors.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { Unique } from "../common/unique.ts";
import { log } from "../common/log.ts";
import { PasswordHash } from "./hash.ts";
import { MemberEntity } from "./member.entity.ts";
import { UserEntity } from "./user.entity.ts";

export namespace User {
  export interface Info {
    userID: string;
    email: string;
    name: string;
    grants: Grant[];
    languages?: string[];
    disabled?: boolean;
    /** Session revision (auth/session.ts): tokens issued at an older one are refused. */
    sessionEpoch?: number;
    /** Signed in with a temporary password: a new one is chosen before any session (auth/steps.ts). */
    mustChangePassword?: boolean;
  }

  /** Argon2id at the parameters of current guidance (user/hash.ts): `$argon2id$v=19$m=19456,t=2,p=1$…`. */
  export async function hashPassword(password: string): Promise<string> {
    return PasswordHash.hash(password);
  }

  /** Checks a password against a stored hash (any format this code ever wrote); no stored hash costs a hash too. */
  export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
    return PasswordHash.verify(password, stored);
  }

  /**
   * After a successful sign-in with `password`: when the stored hash is of an older algorithm or weaker
   * parameters (PasswordHash.outdated), store a hash of it at the current ones. The write holds only while the
   * account is at the version read and still has that hash, so a password changed meanwhile (which raises the
   * version) is never overwritten with the old one. It leaves the version as it is: the same password under a
   * stronger hash is no change anyone editing the account must reload for. Returns whether it wrote; a failed
   * write costs the sign-in nothing (the next one tries again).
   */
  export async function rehashPassword(
    user: { userID: string; version: number; passwordHash?: string },
    password: string,
  ): Promise<boolean> {
    if (!user.passwordHash || !PasswordHash.outdated(user.passwordHash)) return false;
    const hash = await PasswordHash.hash(password);
    try {
      await UserEntity.patch({ userID: user.userID })
        .set({ passwordHash: hash })
        .where(
          ({ version, passwordHash }, { eq }) =>
            `${eq(version, user.version)} AND ${eq(passwordHash, user.passwordHash!)}`,
        )
        .go();
      return true;
    } catch (err) {
      const conditional = (err as { cause?: { name?: string } }).cause?.name === "ConditionalCheckFailedException";
      if (!conditional) log.warn({ userID: user.userID, err: (err as Error).name }, "password rehash failed");
      return false;
    }
  }

  export async function create(input: {
    email: string;
    name: string;
    grants: Grant[];
    password?: string;
    languages?: string[];
    userID?: string;
    /** A temporary password (first admin of a stage, set by the CLI): to be changed at first sign-in. */
    mustChangePassword?: boolean;
  }): Promise<Info> {
    Actor.assert("user.manage");
    const email = input.email.trim().toLowerCase();
    const now = nowIso();
    const userID = input.userID ?? Identifier.create("user");
    const item = {
      userID,
      email,
      name: input.name,
      grants: input.grants,
      languages: input.languages,
      passwordHash: input.password ? await hashPassword(input.password) : undefined,
      ...(input.mustChangePassword ? { mustChangePassword: true } : {}),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const tx = await transactWrite([
      Unique.claim("user.email", email, userID),
      { put: UserEntity.create(item).params() },
      // one directory entry per operation the user works in (interpreters are listed by language from it)
      ...directory({ userID, name: input.name, grants: input.grants, languages: input.languages }).map(
        (m) => ({
          put: MemberEntity.create(m).params(),
        }),
      ),
    ]);
    if (!tx.ok)
      throw new ConflictError("A user with this e-mail already exists", undefined, "conflict.email");
    return toInfo(item);
  }

  function toInfo(u: {
    userID: string;
    email: string;
    name: string;
    grants: unknown;
    languages?: string[];
    disabled?: boolean;
    sessionEpoch?: number;
    mustChangePassword?: boolean;
  }): Info {
    return {
      userID: u.userID,
      email: u.email,
      name: u.name,
      grants: u.grants as Grant[],
      languages: u.languages,
      ...(u.mustChangePassword ? { mustChangePassword: true } : {}),
      disabled: u.disabled,
      sessionEpoch: u.sessionEpoch,
    };
  }

  /** The directory entries of a user: one per operation of their grants (the first grant's role and offices). */
  function directory(u: Pick<Info, "userID" | "name" | "grants" | "languages">) {
    return [...new Set(u.grants.map((g) => g.operationID))].map((operationID) => {
      const g = u.grants.find((x) => x.operationID === operationID)!;
      return {
        operationID,
        userID: u.userID,
        name: u.name,
        role: g.role,
        officeIDs: g.officeIDs,
        ...(u.languages?.length ? { languages: u.languages } : {}),
      };
    });
  }

  /**
   * Writes a user's directory entries again (idempotent): for users created before the directory existed (a local
   * data folder seeded earlier). System only.
   */
  export async function refreshDirectory(u: Info): Promise<void> {
    if (Actor.use().type !== "system") throw new ForbiddenError("user.manage");
    for (const m of directory(u)) await MemberEntity.put(m).go();
  }

  /**
   * Gives a user a grant on one more operation (the creator of an operation becomes its admin), versioned and
   * audited, with the user's directory entry for that operation. Callers authorise (Operation.create does).
   */
  export async function grantOperation(userID: string, grant: Grant): Promise<void> {
    const cur = (await UserEntity.get({ userID }).go({ consistent: true })).data;
    if (!cur) throw new NotFoundError("user", userID);
    const grants = cur.grants as Grant[];
    if (grants.some((g) => g.operationID === grant.operationID)) return;
    const next = [...grants, grant];
    const [member] = directory({ userID, name: cur.name, grants: [grant], languages: cur.languages });
    await writeVersioned(
      {
        entity: UserEntity,
        key: { userID },
        expectedVersion: cur.version,
        set: { grants: next },
        audit: {
          recordID: userID,
          recordType: "user",
          action: "grant",
          operationID: grant.operationID,
          changes: { grants: { before: grants, after: next } },
        },
        with: [{ put: MemberEntity.put(member!).params() }],
        view: () => undefined,
      },
      async () => (await UserEntity.get({ userID }).go({ consistent: true })).data ?? undefined,
    );
  }

  /** A user item as read from the table (a sign-in's own read, a batch read) as the Info the rest of core uses. */
  export function fromItem(item: Parameters<typeof toInfo>[0]): Info {
    return toInfo(item);
  }

  /** Internal: includes the password hash, for sign-in only. */
  export async function byEmailWithSecret(email: string) {
    const res = await UserEntity.query.byEmail({ email: email.trim().toLowerCase() }).go();
    return res.data[0];
  }

  export async function byEmail(email: string): Promise<Info | undefined> {
    const u = await byEmailWithSecret(email);
    return u ? toInfo(u) : undefined;
  }

  export async function get(userID: string): Promise<Info> {
    const res = await UserEntity.get({ userID }).go();
    if (!res.data) throw new NotFoundError("user", userID);
    return toInfo(res.data);
  }
}
