import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Grant } from "@waypoint/schema/auth";
import {
  LinkInfo,
  SetPassword,
  StaffName,
  StaffUser,
  UserChanges,
  UserInvite,
  UserVersion,
  type UserStatus,
} from "@waypoint/schema/users";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Session } from "../auth/session.ts";
import { batchGet } from "../common/batch-get.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { Unique } from "../common/unique.ts";
import { Mail } from "../mail/index.ts";
import { mailText } from "../mail/templates.ts";
import { Operation } from "../operation/index.ts";
import { User } from "./index.ts";
import { MemberEntity } from "./member.entity.ts";
import { PasswordRules } from "./password.ts";
import { UserEntity } from "./user.entity.ts";

type Stored = {
  userID: string;
  email: string;
  name: string;
  grants: unknown;
  languages?: string[];
  language?: string;
  disabled?: boolean;
  passwordHash?: string;
  sessionEpoch?: number;
  linkHash?: string;
  linkPurpose?: string;
  linkExpires?: string;
  version: number;
  timeCreated: string;
  timeUpdated: string;
};

/** An invitation link works for three days, a password reset link for two hours. */
const LINK_HOURS = { invite: 72, reset: 2 } as const;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * Staff accounts of the admin's operation: invite (a one-time link by e-mail), change role and offices,
 * deactivate (every open session ends on its next request), reactivate, send a new link (password reset); and,
 * signed out, the holder of a link sets a password. Every change is audited with the record `user`. Roles and
 * offices are per operation (the user's grant for the admin's operation); deactivation is of the account.
 */
export namespace Accounts {
  function statusOf(u: Stored): UserStatus {
    if (u.disabled) return "disabled";
    return u.passwordHash ? "active" : "invited";
  }

  function grantIn(u: Stored, operationID: string): Grant | undefined {
    return (u.grants as Grant[]).find((g) => g.operationID === operationID);
  }

  function view(u: Stored, operationID: string): StaffUser {
    const g = grantIn(u, operationID)!;
    const open = u.linkExpires && u.linkHash && u.linkExpires > nowIso() ? u.linkExpires : undefined;
    return {
      userID: u.userID,
      email: u.email,
      name: u.name,
      role: g.role,
      officeIDs: g.officeIDs,
      ...(u.languages?.length ? { languages: u.languages } : {}),
      ...(u.language ? { language: Mail.languageFor(u) } : {}),
      status: statusOf(u),
      ...(open ? { linkExpiresAt: open } : {}),
      version: u.version,
      timeCreated: u.timeCreated,
      timeUpdated: u.timeUpdated,
    };
  }

  async function stored(userID: string, consistent = false): Promise<Stored | undefined> {
    return ((await UserEntity.get({ userID }).go({ consistent })).data ?? undefined) as Stored | undefined;
  }

  /** The account, if it works in the admin's operation (otherwise not found: nothing of other operations). */
  async function managed(userID: string, consistent = false): Promise<Stored> {
    Actor.assert("user.manage");
    const op = Actor.operationID();
    const u = await stored(userID, consistent);
    if (!u || !grantIn(u, op)) throw new NotFoundError("user", userID);
    return u;
  }

  async function assertOffices(officeIDs: string[], path: string): Promise<void> {
    const known = new Set((await Operation.offices()).map((o) => o.officeID));
    const bad = officeIDs.findIndex((id) => !known.has(id));
    if (bad >= 0)
      throw InvalidError.field(
        `${path}.${bad}`,
        "office.unknown",
        "This office is not one of the operation's",
      );
  }

  /** A fresh one-time link: the token goes to the person only, the table keeps its SHA-256. */
  function newLink(userID: string, purpose: "invite" | "reset") {
    const secret = randomBytes(32).toString("base64url");
    const token = `${userID}.${secret}`;
    return {
      token,
      path: `/invite/${token}`,
      set: {
        linkHash: sha256(secret),
        linkPurpose: purpose,
        linkExpires: new Date(Date.now() + LINK_HOURS[purpose] * 3600_000).toISOString(),
      },
    };
  }

  /** The invitation or reset e-mail, in the person's language (else the operation's first language). */
  async function mailFor(
    u: { email: string; name: string; language?: string },
    purpose: "invite" | "reset",
    path: string,
    operationID: string,
  ) {
    const language = Mail.languageFor(u, (await Operation.get(operationID)).languages);
    const t = mailText(purpose, language, { name: u.name, hours: LINK_HOURS[purpose], link: path });
    return { to: u.email, ...t, link: path, language };
  }

  /** The staff accounts of the admin's operation, by name. */
  export async function list(): Promise<{ items: StaffUser[] }> {
    Actor.assert("user.manage");
    const op = Actor.operationID();
    const members = (await MemberEntity.query.primary({ operationID: op }).go({ pages: "all" })).data;
    const users = await batchGet<Stored>(
      UserEntity,
      members.map((m) => ({ userID: m.userID })),
    );
    const items = users
      .filter((u) => grantIn(u, op))
      .map((u) => view(u, op))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { items };
  }

  export async function get(userID: string): Promise<StaffUser> {
    return view(await managed(userID), Actor.operationID());
  }

  /**
   * Invites a colleague into the admin's operation: the account (no password yet), its directory entry, the
   * audit event and the e-mail's one-time link. An e-mail that already has an account in another operation (a
   * colleague who moves or works for two country offices) joins this one: the account gets a grant here, keeps its
   * password and second factor, and is told by e-mail. Already in this operation, or deactivated: a field error
   * and nothing is stored. `mailed` is false when the message could not be sent (send a new link later).
   */
  export const invite = fn(UserInvite, async (input): Promise<{ user: StaffUser; mailed: boolean }> => {
    Actor.assert("user.manage");
    const op = Actor.operationID();
    const email = input.email.trim().toLowerCase();
    const taken = () =>
      InvalidError.field(
        "email",
        "user.email_taken",
        "A staff account with this e-mail address already exists",
      );
    const owner = await Unique.owner("user.email", email);
    await assertOffices(input.officeIDs, "officeIDs");
    if (owner) {
      const cur = await stored(owner, true);
      if (!cur || cur.disabled) throw taken();
      if (grantIn(cur, op))
        throw InvalidError.field("email", "user.already_member", "This colleague already works in this operation");
      await User.grantOperation(cur.userID, { operationID: op, role: input.role, officeIDs: input.officeIDs });
      const joined = (await stored(cur.userID, true))!;
      const operation = await Operation.get(op);
      const language = Mail.languageFor(joined, operation.languages);
      const mailed = await Mail.send({
        operationID: op,
        to: joined.email,
        ...mailText("joined", language, { name: joined.name, operation: operation.name }),
        language,
      });
      return { user: view(joined, op), mailed };
    }
    const userID = Identifier.create("user");
    const grants: Grant[] = [{ operationID: op, role: input.role, officeIDs: input.officeIDs }];
    const link = newLink(userID, "invite");
    const now = nowIso();
    const item = {
      userID,
      email,
      name: input.name,
      grants,
      ...(input.languages?.length ? { languages: input.languages } : {}),
      ...(input.language ? { language: input.language } : {}),
      ...link.set,
      sessionEpoch: 0,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const tx = await transactWrite([
      Unique.claim("user.email", email, userID),
      { put: UserEntity.create(item).params() },
      {
        put: MemberEntity.create({
          operationID: op,
          userID,
          name: input.name,
          role: input.role,
          officeIDs: input.officeIDs,
          ...(input.languages?.length ? { languages: input.languages } : {}),
        }).params(),
      },
      Audit.txItem({
        recordID: userID,
        recordType: "user",
        action: "invite",
        operationID: op,
        changes: {
          role: { after: input.role },
          officeIDs: { after: input.officeIDs },
          status: { after: "invited" },
        },
      }),
    ]);
    if (!tx.ok) throw taken();
    const mailed = await Mail.send({ operationID: op, ...(await mailFor(item, "invite", link.path, op)) });
    return { user: view(item as Stored, op), mailed };
  });

  /**
   * Changes a colleague's name, languages, or role and offices in the admin's operation. A role or office change
   * ends the colleague's open sessions (they sign in again with the new rights).
   */
  export async function update(userID: string, raw: z.input<typeof UserChanges>): Promise<StaffUser> {
    const parsed = UserChanges.safeParse(raw);
    if (!parsed.success)
      throw new InvalidError(
        parsed.error.issues.map((i) => ({
          path: i.path.join("."),
          code: `invalid.${i.code}`,
          message: i.message,
        })),
      );
    const changes = parsed.data;
    const op = Actor.operationID();
    const cur = await managed(userID, true);
    if (changes.officeIDs) await assertOffices(changes.officeIDs, "officeIDs");
    const me = Actor.user();
    const g = grantIn(cur, op)!;
    if (me.userID === userID && changes.role && changes.role !== g.role)
      throw new RuleError("user.self_role", "You cannot change your own role");
    const nextGrant: Grant = {
      operationID: op,
      role: changes.role ?? g.role,
      officeIDs: changes.officeIDs ?? g.officeIDs,
    };
    const rightsChanged =
      nextGrant.role !== g.role || JSON.stringify(nextGrant.officeIDs) !== JSON.stringify(g.officeIDs);
    const grants = (cur.grants as Grant[]).map((x) => (x.operationID === op ? nextGrant : x));
    const name = changes.name ?? cur.name;
    const languages = changes.languages ?? cur.languages;
    const language = changes.language ?? cur.language;
    const set: Record<string, unknown> = { grants, name };
    if (languages) set.languages = languages;
    if (language) set.language = language;
    if (rightsChanged) set.sessionEpoch = (cur.sessionEpoch ?? 0) + 1;
    const before = {
      role: g.role,
      officeIDs: g.officeIDs,
      name: cur.name,
      languages: cur.languages,
      language: cur.language,
    };
    const after = { role: nextGrant.role, officeIDs: nextGrant.officeIDs, name, languages, language };
    // every operation's directory entry carries the name; this operation's its role and offices
    const directory = (cur.grants as Grant[]).map((x) => {
      const gg = x.operationID === op ? nextGrant : x;
      return {
        put: MemberEntity.put({
          operationID: gg.operationID,
          userID,
          name,
          role: gg.role,
          officeIDs: gg.officeIDs,
          ...(languages?.length ? { languages } : {}),
        }).params(),
      };
    });
    await writeVersioned(
      {
        entity: UserEntity,
        key: { userID },
        expectedVersion: changes.expectedVersion,
        set,
        audit: {
          recordID: userID,
          recordType: "user",
          action: rightsChanged ? "update.rights" : "update",
          operationID: op,
          changes: Audit.diff(before, after, ["role", "officeIDs", "name", "languages", "language"]),
        },
        with: directory,
        view: async () => view((await stored(userID, true))!, op),
      },
      () => stored(userID, true),
    );
    Session.forget(userID);
    return get(userID);
  }

  async function setState(
    userID: string,
    expectedVersion: number,
    action: "deactivate" | "reactivate",
  ): Promise<StaffUser> {
    UserVersion.parse({ expectedVersion });
    const op = Actor.operationID();
    const cur = await managed(userID, true);
    if (action === "deactivate" && Actor.user().userID === userID)
      throw new RuleError("user.self_deactivate", "You cannot deactivate your own account");
    const disabled = action === "deactivate";
    await writeVersioned(
      {
        entity: UserEntity,
        key: { userID },
        expectedVersion,
        // deactivation ends every session at once: the revision moves on with the flag
        set: disabled ? { disabled, sessionEpoch: (cur.sessionEpoch ?? 0) + 1 } : { disabled },
        audit: {
          recordID: userID,
          recordType: "user",
          action,
          operationID: op,
          changes: { status: { before: statusOf(cur), after: statusOf({ ...cur, disabled }) } },
        },
        view: async () => view((await stored(userID, true))!, op),
      },
      () => stored(userID, true),
    );
    Session.forget(userID);
    return get(userID);
  }

  /** Deactivates an account: it cannot sign in, and its open sessions are refused from their next request. */
  export const deactivate = (userID: string, expectedVersion: number) =>
    setState(userID, expectedVersion, "deactivate");
  export const reactivate = (userID: string, expectedVersion: number) =>
    setState(userID, expectedVersion, "reactivate");

  /**
   * Sends a new one-time link: a password reset for an active account, the invitation again for one that never
   * set a password. The previous link stops working (only the latest is stored).
   */
  export async function sendLink(
    userID: string,
    expectedVersion: number,
  ): Promise<{ user: StaffUser; mailed: boolean }> {
    UserVersion.parse({ expectedVersion });
    const op = Actor.operationID();
    const cur = await managed(userID, true);
    if (cur.disabled)
      throw new RuleError("user.disabled", "Reactivate this account before sending it a new link");
    const purpose = cur.passwordHash ? "reset" : "invite";
    const link = newLink(userID, purpose);
    await writeVersioned(
      {
        entity: UserEntity,
        key: { userID },
        expectedVersion,
        set: link.set,
        audit: {
          recordID: userID,
          recordType: "user",
          action: purpose === "reset" ? "password.reset" : "invite.resend",
          operationID: op,
        },
        view: async () => view((await stored(userID, true))!, op),
      },
      () => stored(userID, true),
    );
    const mailed = await Mail.send({ operationID: op, ...(await mailFor(cur, purpose, link.path, op)) });
    return { user: await get(userID), mailed };
  }

  /** Ends every session of the signed-in user (on every device), this one included. */
  export async function signOutEverywhere(): Promise<void> {
    const me = Actor.user();
    const cur = await stored(me.userID, true);
    if (!cur) throw new NotFoundError("user", me.userID);
    await writeVersioned(
      {
        entity: UserEntity,
        key: { userID: me.userID },
        expectedVersion: cur.version,
        set: { sessionEpoch: (cur.sessionEpoch ?? 0) + 1 },
        audit: {
          recordID: me.userID,
          recordType: "user",
          action: "sessions.end",
          operationID: me.operationID,
        },
      },
      () => stored(me.userID, true),
    );
    Session.forget(me.userID);
  }

  /** Names and roles of colleagues of the operation (anyone on its staff): no e-mail, no status. */
  export async function names(userIDs: string[]): Promise<{ items: StaffName[] }> {
    Actor.assert("user.read");
    const op = Actor.operationID();
    const ids = [...new Set(userIDs.filter((id) => /^usr_[0-9A-Za-z]+$/.test(id)))].slice(0, 200);
    const rows = await batchGet<{ userID: string; name: string; role: string }>(
      MemberEntity,
      ids.map((userID) => ({ operationID: op, userID })),
      { attributes: ["userID", "name", "role"] },
    );
    return { items: rows.map((r) => StaffName.parse({ userID: r.userID, name: r.name, role: r.role })) };
  }

  // ---- the holder of a one-time link (signed out) ----

  /** The account a link opens, if the link is the latest, unused and not expired. */
  async function byLink(token: string): Promise<{ user: Stored; purpose: "invite" | "reset" }> {
    const dot = token.indexOf(".");
    const userID = token.slice(0, dot);
    const secret = token.slice(dot + 1);
    const gone = () =>
      new RuleError(
        "link.invalid",
        "This link does not work any more (it was used, replaced by a newer one, or has expired). Ask an administrator for a new one.",
      );
    if (dot < 1 || !secret || !/^usr_[0-9A-Za-z]+$/.test(userID)) throw gone();
    const u = await stored(userID, true);
    if (!u?.linkHash || !u.linkExpires || u.disabled) throw gone();
    const a = Buffer.from(sha256(secret), "hex");
    const b = Buffer.from(u.linkHash, "hex");
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw gone();
    if (u.linkExpires <= nowIso()) throw gone();
    return { user: u, purpose: u.linkPurpose === "reset" ? "reset" : "invite" };
  }

  /**
   * The first sign-in of an account created with a temporary password (the first admin of a stage): the new
   * password (rules checked, not the temporary one again) replaces it, and the account's other sessions end. The
   * write holds only while the account still has to change its password, so a replayed challenge changes nothing.
   */
  export async function replaceTemporaryPassword(
    userID: string,
    operationID: string,
    password: string,
  ): Promise<void> {
    const user = await stored(userID, true);
    const grant = (user?.grants as Grant[] | undefined)?.find((g) => g.operationID === operationID);
    if (!user || !grant || user.disabled)
      throw new RuleError("password.notTemporary", "Sign in again with your password");
    const already = () =>
      new RuleError("password.notTemporary", "Your password was already changed: sign in with the new one");
    if (!(user as { mustChangePassword?: boolean }).mustChangePassword) throw already();
    const normalised = await PasswordRules.check(password, { email: user.email, name: user.name });
    if (await User.verifyPassword(normalised, user.passwordHash))
      throw InvalidError.field("password", "password.same", "Choose a password other than the temporary one");
    const hash = await User.hashPassword(normalised);
    const self: Actor.User = {
      type: "user",
      userID: user.userID,
      email: user.email,
      operationID,
      role: grant.role,
      officeIDs: grant.officeIDs,
    };
    await Actor.provide(self, () =>
      writeVersioned(
        {
          entity: UserEntity,
          key: { userID: user.userID },
          expectedVersion: user.version,
          set: { passwordHash: hash, sessionEpoch: (user.sessionEpoch ?? 0) + 1 },
          remove: ["mustChangePassword"],
          guard: { where: (attr, op) => op.eq(attr.mustChangePassword, true), refused: already },
          audit: {
            recordID: user.userID,
            recordType: "user",
            action: "password.changed",
            operationID,
            reason: "temporary password replaced at first sign-in",
          },
          view: () => undefined,
        },
        () => stored(user.userID, true),
      ).catch((err: unknown) => {
        if (err instanceof ConflictError) throw already();
        throw err;
      }),
    );
    Session.forget(user.userID);
  }

  export async function linkInfo(token: string): Promise<LinkInfo> {
    const { user, purpose } = await byLink(token);
    return { purpose, name: user.name, email: user.email, expiresAt: user.linkExpires! };
  }

  /**
   * Sets the password of the account a link opens (password rules checked, `password` field errors) and spends
   * the link: the write is conditional on the stored link, so a link works once even when used twice at once.
   * A new password also ends the account's other sessions.
   */
  export async function acceptLink(token: string, raw: z.input<typeof SetPassword>): Promise<void> {
    const { password } = SetPassword.parse(raw);
    const { user, purpose } = await byLink(token);
    const normalised = await PasswordRules.check(password, { email: user.email, name: user.name });
    const hash = await User.hashPassword(normalised);
    const grant = (user.grants as Grant[])[0]!;
    // the person acts on their own account: the audit event names them
    const self: Actor.User = {
      type: "user",
      userID: user.userID,
      email: user.email,
      operationID: grant.operationID,
      role: grant.role,
      officeIDs: grant.officeIDs,
    };
    await Actor.provide(self, () =>
      writeVersioned(
        {
          entity: UserEntity,
          key: { userID: user.userID },
          expectedVersion: user.version,
          set: { passwordHash: hash, sessionEpoch: (user.sessionEpoch ?? 0) + 1 },
          remove: ["linkHash", "linkPurpose", "linkExpires"],
          guard: {
            where: (attr, op) => op.eq(attr.linkHash, user.linkHash),
            refused: () => new RuleError("link.invalid", "This link has already been used"),
          },
          audit: {
            recordID: user.userID,
            recordType: "user",
            action: purpose === "invite" ? "invite.accept" : "password.set",
            operationID: grant.operationID,
            changes: { status: { before: statusOf(user), after: "active" } },
          },
          view: () => undefined,
        },
        () => stored(user.userID, true),
      ).catch((err: unknown) => {
        if (err instanceof ConflictError)
          throw new RuleError("link.invalid", "This link has already been used");
        throw err;
      }),
    );
    Session.forget(user.userID);
  }
}
