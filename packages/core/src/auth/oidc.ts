import { createHash, randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Grant } from "@waypoint/schema/auth";
import {
  SsoConfigInput,
  type SecondFactorChallenge,
  type SsoConfigInfo,
  type SsoProvider,
  type SsoRoleMapping,
} from "@waypoint/schema/identity";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { config } from "../config.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError, RuleError, UnavailableError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { log } from "../common/log.ts";
import { writeVersioned } from "../common/record.ts";
import { open, seal } from "../common/seal.ts";
import { OfficeEntity } from "../operation/operation.entity.ts";
import { MemberEntity } from "../user/member.entity.ts";
import { UserEntity } from "../user/user.entity.ts";
import { User } from "../user/index.ts";
import { Auth } from "./index.ts";
import { Session } from "./session.ts";
import { SecondFactor } from "./totp.ts";
import { SsoConfigEntity } from "./sso-config.entity.ts";
import { SsoFlowEntity } from "./sso-flow.entity.ts";

type Stored = NonNullable<Awaited<ReturnType<ReturnType<typeof SsoConfigEntity.get>["go"]>>["data"]>;

/**
 * Single sign-on with an operation's identity provider: OpenID Connect, authorization code with PKCE (S256),
 * state and nonce, through `openid-client` (v6).
 *
 * Decisions:
 * - One provider per operation, configured by its admin (`user.manage`): issuer, client, the claim that carries
 *   groups, and rules "group → role and offices" (first matching rule wins). No matching group: no session, a
 *   sentence on the sign-in page.
 * - Accounts are matched by e-mail: an existing Waypoint user with that e-mail is the one who signs in (an
 *   identity provider that says `email_verified: false` is refused); a new e-mail creates the user (no
 *   password: they sign in through the provider only). The provider's groups decide the role in this operation at
 *   every sign-in: a changed group changes the stored grant (versioned, audited); grants in other operations stay.
 * - Second factor: when the ID token's `amr` says several factors were used (`mfa`, or two methods or more,
 *   RFC 8176) Waypoint does not ask for its own code; otherwise the same rules as a password sign-in apply (roles
 *   that need a second factor are asked for Waypoint's TOTP).
 * - The browser never sees the provider's tokens: the callback leaves a one-time ticket (2 minutes) in the page's
 *   fragment, and the app exchanges it for a session (or a second-factor challenge) like a password sign-in.
 */
export namespace Sso {
  const SEAL = "oidc-client-secret";
  const STATE_MS = 10 * 60_000;
  const TICKET_MS = 2 * 60_000;
  const MFA_METHODS = new Set(["mfa", "otp", "hwk", "swk", "sms", "fpt", "face", "iris", "retina", "vbm", "pop"]);

  function info(s: Stored): SsoConfigInfo {
    return {
      operationID: s.operationID,
      name: s.name,
      issuer: s.issuer,
      clientID: s.clientID,
      hasClientSecret: !!s.clientSecret,
      claim: s.claim,
      mappings: s.mappings as SsoRoleMapping[],
      enabled: s.enabled,
      version: s.version,
      timeUpdated: s.timeUpdated,
    };
  }

  async function load(operationID: string) {
    return (await SsoConfigEntity.get({ operationID }).go({ consistent: true })).data ?? undefined;
  }

  /** The admin's view of their operation's configuration (never the client secret). */
  export async function get(): Promise<SsoConfigInfo | null> {
    const operationID = Actor.operationID();
    Actor.assert("user.manage", { operationID });
    const s = await load(operationID);
    return s ? info(s) : null;
  }

  /** Creates or changes the operation's configuration (a change at the version read). Audited. */
  export const configure = fn(SsoConfigInput, async (input): Promise<SsoConfigInfo> => {
    const operationID = Actor.operationID();
    Actor.assert("user.manage", { operationID });
    // offices named by rules must be this operation's
    const offices = new Set(
      (await OfficeEntity.query.byOperation({ operationID }).go({ pages: "all" })).data.map((o) => o.officeID),
    );
    const issues = input.mappings.flatMap((m, i) =>
      m.officeIDs
        .map((o, j) => ({ o, j }))
        .filter(({ o }) => !offices.has(o))
        .map(({ j }) => ({
          path: `mappings.${i}.officeIDs.${j}`,
          code: "invalid.office",
          message: "Not an office of this operation",
        })),
    );
    if (issues.length) throw new InvalidError(issues);
    const cur = await load(operationID);
    const now = nowIso();
    const fields = {
      name: input.name,
      issuer: input.issuer.replace(/\/$/, ""),
      clientID: input.clientID,
      claim: input.claim,
      mappings: input.mappings,
      enabled: input.enabled,
    };
    const audited = { ...fields, clientSecret: input.clientSecret ? "(changed)" : undefined };
    if (!cur) {
      if (!input.clientSecret)
        throw InvalidError.field("clientSecret", "invalid.required", "The client secret is required");
      const tx = await transactWrite([
        {
          put: SsoConfigEntity.create({
            ...fields,
            operationID,
            clientSecret: await seal(SEAL, input.clientSecret),
            listed: "sso",
            version: 1,
            timeCreated: now,
            timeUpdated: now,
            createdBy: Actor.id(),
          }).params(),
        },
        Audit.txItem({
          recordID: operationID,
          recordType: "sso",
          action: "create",
          operationID,
          changes: Object.fromEntries(Object.entries(audited).map(([k, v]) => [k, { after: v }])),
        }),
      ]);
      if (!tx.ok) throw new ConflictError("Single sign-on was configured meanwhile: reload it", undefined);
    } else {
      if (input.version === undefined)
        throw InvalidError.field("version", "invalid.required", "Send the version you read");
      await writeVersioned(
        {
          entity: SsoConfigEntity,
          key: { operationID },
          expectedVersion: input.version,
          set: { ...fields, ...(input.clientSecret ? { clientSecret: await seal(SEAL, input.clientSecret) } : {}) },
          audit: {
            recordID: operationID,
            recordType: "sso",
            action: "update",
            operationID,
            changes: Audit.diff(
              { ...cur, clientSecret: undefined } as Record<string, unknown>,
              audited,
              Object.keys(audited),
            ),
          },
          view: async () => {
            const s = await load(operationID);
            return s ? info(s) : undefined;
          },
        },
        () => load(operationID),
      );
    }
    discovered.delete(operationID);
    return info((await load(operationID))!);
  });

  /** Operations whose staff may sign in with their provider (public: names only, for the sign-in page). */
  export async function providers(): Promise<SsoProvider[]> {
    const res = await SsoConfigEntity.query.listed({ listed: "sso" }).go({ pages: "all" });
    return res.data.filter((s) => s.enabled).map((s) => ({ operationID: s.operationID, name: s.name }));
  }

  // --- the relying party ---

  const discovered = new Map<string, { key: string; config: oidc.Configuration }>();

  /** http:// issuers only on a local instance talking to this machine (the test provider). */
  function insecureAllowed(issuer: string): boolean {
    const u = new URL(issuer);
    return (
      config().mode === "local" &&
      u.protocol === "http:" &&
      ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)
    );
  }

  /** The client secret in clear; one sealed the old way (AuthSecret) is sealed again with the at-rest key. */
  async function clientSecretOf(operationID: string, stored: string): Promise<string> {
    const { plaintext, stale } = await open(SEAL, stored);
    if (stale) await resealSecret(operationID, stored, plaintext);
    return plaintext;
  }

  /**
   * Seals a client secret sealed the old way again with the at-rest key (common/seal.ts), at use or from
   * privacy/reseal-secrets.ts: conditional on the stored value (a secret changed meanwhile stays). Whether it wrote.
   */
  export async function resealSecret(operationID: string, stored: string, plaintext?: string): Promise<boolean> {
    try {
      const clear = plaintext ?? (await open(SEAL, stored)).plaintext;
      await SsoConfigEntity.patch({ operationID })
        .set({ clientSecret: await seal(SEAL, clear) })
        .where(({ clientSecret }, { eq }) => eq(clientSecret, stored))
        .go({ response: "none" });
      return true;
    } catch (err) {
      log.warn({ operationID, err: (err as Error).name }, "sso client secret not sealed again");
      return false;
    }
  }

  async function client(s: Stored): Promise<oidc.Configuration> {
    const key = `${s.issuer}|${s.clientID}|${s.version}`;
    const hit = discovered.get(s.operationID);
    if (hit?.key === key) return hit.config;
    try {
      const secret = s.clientSecret ? await clientSecretOf(s.operationID, s.clientSecret) : undefined;
      const c = await oidc.discovery(
        new URL(s.issuer),
        s.clientID,
        secret,
        undefined,
        insecureAllowed(s.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
      discovered.set(s.operationID, { key, config: c });
      return c;
    } catch (err) {
      log.warn({ operationID: s.operationID, err: (err as Error).message }, "sso discovery failed");
      throw new UnavailableError("The identity provider cannot be reached");
    }
  }

  async function enabled(operationID: string): Promise<Stored> {
    const s = await load(operationID);
    if (!s || !s.enabled) throw new RuleError("sso.not_configured", "This operation has no single sign-on");
    return s;
  }

  /**
   * Step 1: where to send the browser (the provider's authorization endpoint, with PKCE, state and nonce). The
   * caller binds `state` to the browser (a cookie) and checks it at the callback.
   */
  export async function start(operationID: string, redirectURI: string): Promise<{ url: string; state: string }> {
    const s = await enabled(operationID);
    const c = await client(s);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const now = Date.now();
    await SsoFlowEntity.create({
      flowID: `state:${state}`,
      operationID,
      verifier,
      nonce,
      redirectURI,
      validUntil: now + STATE_MS,
      expiresAt: Math.ceil((now + STATE_MS) / 1000) + 60,
    }).go();
    const url = oidc.buildAuthorizationUrl(c, {
      redirect_uri: redirectURI,
      scope: `openid email profile${s.claim === "groups" ? " groups" : ""}`,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /** Takes one flow step out of the table (used once): undefined when absent, expired or already taken. */
  async function take(flowID: string) {
    try {
      const res = await SsoFlowEntity.delete({ flowID })
        .where(({ flowID: f }, { exists }) => exists(f))
        .go({ response: "all_old" });
      const d = res.data as { validUntil?: number } | null;
      return d && (d.validUntil ?? 0) > Date.now() ? (res.data as NonNullable<typeof res.data>) : undefined;
    } catch {
      return undefined;
    }
  }

  function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
    // a dotted claim reaches into objects (Keycloak's `realm_access.roles`)
    let v: unknown = claims;
    for (const part of claim.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
    if (Array.isArray(v)) return v.map(String);
    if (typeof v === "string") return v.split(/[\s,]+/).filter(Boolean);
    return [];
  }

  export function mfaAsserted(amr: unknown): boolean {
    if (!Array.isArray(amr)) return false;
    const methods = new Set(amr.map(String));
    return methods.has("mfa") || (methods.size >= 2 && [...methods].some((m) => MFA_METHODS.has(m)));
  }

  /** Stores the grant the provider's groups give in this operation (versioned, audited), when it changed. */
  async function applyGrant(user: User.Info, grant: Grant): Promise<User.Info> {
    const cur = (await UserEntity.get({ userID: user.userID }).go({ consistent: true })).data;
    if (!cur) throw new NotFoundError("user", user.userID);
    const grants = cur.grants as Grant[];
    const had = grants.find((g) => g.operationID === grant.operationID);
    if (had && had.role === grant.role && JSON.stringify(had.officeIDs) === JSON.stringify(grant.officeIDs))
      return user;
    const next = had ? grants.map((g) => (g === had ? grant : g)) : [...grants, grant];
    await writeVersioned(
      {
        entity: UserEntity,
        key: { userID: user.userID },
        expectedVersion: cur.version,
        // a changed role or offices ends the user's open sessions, as any change of rights does (auth/session.ts)
        set: { grants: next, ...(had ? { sessionEpoch: (cur.sessionEpoch ?? 0) + 1 } : {}) },
        audit: {
          recordID: user.userID,
          recordType: "user",
          action: "sso.grant",
          operationID: grant.operationID,
          reason: "single sign-on: the identity provider's groups",
          changes: { grants: { before: had, after: grant } },
        },
        with: [
          {
            put: MemberEntity.put({
              operationID: grant.operationID,
              userID: user.userID,
              name: cur.name,
              role: grant.role,
              officeIDs: grant.officeIDs,
              ...(cur.languages?.length ? { languages: cur.languages } : {}),
            }).params(),
          },
        ],
        view: () => undefined,
      },
      async () => (await UserEntity.get({ userID: user.userID }).go({ consistent: true })).data ?? undefined,
    );
    Session.forget(user.userID);
    return User.get(user.userID);
  }

  /**
   * Step 2, the provider's redirect back: checks the state against the browser's (`boundState`) and the stored
   * one (used once), exchanges the code (PKCE verifier, nonce checked by openid-client), maps the groups to a role,
   * links or creates the user, and leaves a one-time ticket. Refusals are RuleErrors `sso.*`.
   */
  export async function finish(callbackURL: string, boundState: string | undefined): Promise<{ ticket: string }> {
    const url = new URL(callbackURL);
    const state = url.searchParams.get("state") ?? "";
    if (!state || state !== boundState)
      throw new RuleError("sso.state", "The sign-in did not start in this browser: start again");
    const flow = await take(`state:${state}`);
    if (!flow?.verifier || !flow.nonce || !flow.redirectURI)
      throw new RuleError("sso.state", "The sign-in has expired or was already used: start again");
    if (url.searchParams.get("error"))
      throw new RuleError("sso.denied", "The identity provider did not sign you in");
    const s = await enabled(flow.operationID);
    const c = await client(s);
    // the redirect URI as registered, whatever host or proxy the callback came through
    const current = new URL(flow.redirectURI);
    current.search = url.search;
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(c, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const id = tokens.claims()!;
      claims = { ...id };
      // groups and e-mail may come only from the userinfo endpoint (OpenID Connect Core 5.4)
      if (tokens.access_token && c.serverMetadata().userinfo_endpoint) {
        const more = await oidc.fetchUserInfo(c, tokens.access_token, id.sub).catch(() => undefined);
        if (more) claims = { ...more, ...id, ...(claims[s.claim] === undefined ? pick(more, s.claim) : {}) };
      }
    } catch (err) {
      log.warn({ operationID: s.operationID, err: (err as Error).message }, "sso code exchange refused");
      throw new RuleError("sso.provider", "The identity provider's answer could not be verified: start again");
    }
    const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
    if (!email || claims.email_verified === false)
      throw new RuleError("sso.email", "The identity provider gave no verified e-mail address for you");
    const groups = groupsOf(claims, s.claim);
    const rule = (s.mappings as SsoRoleMapping[]).find((m) => groups.includes(m.value));
    if (!rule)
      throw new RuleError("sso.no_role", "Your groups at the identity provider give you no role in this operation");
    const grant: Grant = { operationID: s.operationID, role: rule.role, officeIDs: rule.officeIDs };
    const user = await Actor.provide({ type: "system", operationID: s.operationID, reason: "sso" }, async () => {
      const found = await User.byEmail(email);
      if (found) {
        if (found.disabled) throw new RuleError("sso.disabled", "This account is disabled");
        return applyGrant(found, grant);
      }
      const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim() : email;
      return User.create({ email, name, grants: [grant] });
    });
    const ticket = randomBytes(32).toString("base64url");
    const now = Date.now();
    await SsoFlowEntity.create({
      flowID: `ticket:${hash(ticket)}`,
      operationID: s.operationID,
      userID: user.userID,
      mfa: mfaAsserted(claims.amr),
      validUntil: now + TICKET_MS,
      expiresAt: Math.ceil((now + TICKET_MS) / 1000) + 60,
    }).go();
    log.info({ operationID: s.operationID, userID: user.userID, role: rule.role }, "sso sign-in");
    return { ticket };
  }

  const hash = (t: string) => createHash("sha256").update(t).digest("base64url");
  const pick = (o: Record<string, unknown>, k: string) => (k in o ? { [k]: o[k] } : {});

  /** Step 3, the app redeems the ticket (once): a session, or the second-factor challenge. */
  export async function redeem(ticket: string) {
    const flow = await take(`ticket:${hash(ticket)}`);
    if (!flow?.userID) throw new RuleError("sso.ticket", "This sign-in has expired: sign in again");
    const user = await User.get(flow.userID);
    const pending: SecondFactorChallenge | undefined = await SecondFactor.gate(user, flow.operationID, {
      mfaAsserted: flow.mfa === true,
    });
    if (pending) return pending;
    return Auth.issue(user, flow.operationID);
  }
}
