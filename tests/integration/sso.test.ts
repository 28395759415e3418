import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Audit, User } from "@waypoint/core";
import { Sso } from "@waypoint/core/auth/oidc";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { signInAtProvider, startProvider, type TestProvider } from "../support/oidc-provider.ts";

// app.request() builds request URLs on http://localhost: the callback Waypoint registers there
const CALLBACK = "http://localhost/auth/sso/callback";
const tag = Date.now().toString(36);
const mail = (who: string) => `${who}.${tag}@agency.example.org`;

let idp: TestProvider;
let op: TestOperation;

beforeAll(async () => {
  op = await createTestOperation();
  idp = await startProvider(
    [
      { login: "amina", email: mail("amina"), name: "Amina Diallo", groups: ["staff", "wp-caseworkers"] },
      { login: "omar", email: mail("omar"), name: "Omar Sy", groups: ["staff", "wp-leads"] },
      { login: "nobody", email: mail("nobody"), name: "No Group", groups: ["staff"] },
      { login: "unverified", email: mail("unverified"), name: "Un Verified", groups: ["wp-caseworkers"], emailVerified: false },
      { login: "viewer", email: op.users.viewer.email, name: "Existing Viewer", groups: ["wp-caseworkers"] },
    ],
    [CALLBACK],
  );
  const put = await call("PUT", "/api/sso-config", {
    token: op.users.admin.token,
    body: {
      name: "Agency ID",
      issuer: idp.issuer,
      clientID: idp.clientID,
      clientSecret: idp.clientSecret,
      claim: "groups",
      mappings: [
        { value: "wp-leads", role: "supervisor", officeIDs: [op.officeA] },
        { value: "wp-caseworkers", role: "caseworker", officeIDs: [op.officeA] },
      ],
    },
  });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
});
afterAll(async () => idp?.close());

/** The browser's way through: Waypoint's start, the provider's pages, back to Waypoint's callback. */
async function ssoAs(login: string, tamper?: (callback: URL, cookie: string) => { url: URL; cookie: string }) {
  const start = await call("GET", `/auth/sso/${op.operationID}/start`);
  expect(start.status).toBe(302);
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0]!;
  expect(cookie).toMatch(/^waypoint_sso=/);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  const back = await signInAtProvider(authorize.href, login);
  expect(back.origin + back.pathname).toBe(CALLBACK);
  const sent = tamper ? tamper(back, cookie) : { url: back, cookie };
  const cb = await call("GET", sent.url.pathname + sent.url.search, { headers: { cookie: sent.cookie } });
  expect(cb.status).toBe(302);
  const to = new URL(cb.headers.get("location")!);
  const hash = new URLSearchParams(to.hash.slice(1));
  return { ticket: hash.get("sso"), error: hash.get("sso-error"), location: to };
}

describe("single sign-on (OpenID Connect, against a real provider)", () => {
  it("lists the operation on the sign-in page, and never shows the client secret to the admin", async () => {
    const list = await call("GET", "/auth/sso");
    expect(list.json.providers).toContainEqual({ operationID: op.operationID, name: "Agency ID" });
    const cfg = await call("GET", "/api/sso-config", { token: op.users.admin.token });
    expect(cfg.json).toMatchObject({ config: { hasClientSecret: true, issuer: idp.issuer }, redirectURI: CALLBACK });
    const none = await call("GET", "/api/sso-config", { token: (await createTestOperation()).users.admin.token });
    expect(none.json).toEqual({ config: null, redirectURI: CALLBACK });
    expect(JSON.stringify(cfg.json)).not.toContain(idp.clientSecret);
    expect((await call("GET", "/api/sso-config", { token: op.users.supervisor.token })).status).toBe(403);
  });

  it("signs a new user in with the role their group maps to", async () => {
    const { ticket, error } = await ssoAs("amina");
    expect(error).toBeNull();
    expect(ticket).toBeTruthy();
    const session = await call("POST", "/auth/sso/ticket", { body: { ticket } });
    expect(session.status).toBe(200);
    const me = await call("GET", "/api/me", { token: session.json.token });
    expect(me.json).toMatchObject({
      role: "caseworker",
      operationID: op.operationID,
      officeIDs: [op.officeA],
      email: mail("amina"),
      name: "Amina Diallo",
    });
    // the ticket is spent
    const again = await call("POST", "/auth/sso/ticket", { body: { ticket } });
    expect(again.status).toBe(422);
    expect(again.json.token).toBeUndefined();
    // stored: a user with the mapped grant and no password
    const stored = await User.byEmailWithSecret(mail("amina"));
    expect(stored?.grants).toEqual([{ operationID: op.operationID, role: "caseworker", officeIDs: [op.officeA] }]);
    expect(stored?.passwordHash).toBeUndefined();
  });

  it("links an existing user by e-mail and gives them the role of their group (audited), ending their older sessions", async () => {
    const before = await call("GET", "/api/me", { token: op.users.viewer.token });
    expect(before.json.role).toBe("viewer");
    const { ticket } = await ssoAs("viewer");
    const session = await call("POST", "/auth/sso/ticket", { body: { ticket } });
    const me = await call("GET", "/api/me", { token: session.json.token });
    expect(me.json).toMatchObject({ userID: op.users.viewer.userID, role: "caseworker" });
    const history = await as(op.users.admin.actor, () => Audit.history({ recordID: op.users.viewer.userID }));
    expect(history.items.map((e: { action: string }) => e.action)).toContain("sso.grant");
    // the session from before, as a viewer, no longer works
    expect((await call("GET", "/api/me", { token: op.users.viewer.token })).status).toBe(401);
  });

  it("asks a role that needs a second factor for Waypoint's when the provider asserted no MFA", async () => {
    const { ticket } = await ssoAs("omar");
    const answer = await call("POST", "/auth/sso/ticket", { body: { ticket } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ secondFactor: "enrol" });
    expect(answer.json.token).toBeUndefined();
    expect(Sso.mfaAsserted(["pwd"])).toBe(false);
    expect(Sso.mfaAsserted(["pwd", "otp"])).toBe(true);
    expect(Sso.mfaAsserted(["mfa"])).toBe(true);
  });

  it("refuses a user in no mapped group: a sentence, no user, no session", async () => {
    const { ticket, error } = await ssoAs("nobody");
    expect(ticket).toBeNull();
    expect(error).toBe("no_role");
    expect(await User.byEmail(mail("nobody"))).toBeUndefined();
  });

  it("refuses an e-mail the provider says is not verified", async () => {
    const { ticket, error } = await ssoAs("unverified");
    expect(ticket).toBeNull();
    expect(error).toBe("email");
    expect(await User.byEmail(mail("unverified"))).toBeUndefined();
  });

  it("refuses a tampered state, and a callback from another browser", async () => {
    const tampered = await ssoAs("amina", (url, cookie) => {
      const u = new URL(url);
      u.searchParams.set("state", `${u.searchParams.get("state")}x`);
      return { url: u, cookie: cookie.replace(/=(.*)$/, "=$1x") };
    });
    expect(tampered.ticket).toBeNull();
    expect(tampered.error).toBe("state");
    const otherBrowser = await ssoAs("amina", (url) => ({ url, cookie: "" }));
    expect(otherBrowser.ticket).toBeNull();
    expect(otherBrowser.error).toBe("state");
    // a replayed callback (code and state already used)
    let first: URL | undefined;
    let cookieUsed = "";
    const ok = await ssoAs("amina", (url, cookie) => ((first = url), (cookieUsed = cookie), { url, cookie }));
    expect(ok.ticket).toBeTruthy();
    const replay = await call("GET", first!.pathname + first!.search, { headers: { cookie: cookieUsed } });
    expect(new URL(replay.headers.get("location")!).hash).toBe("#sso-error=state");
  });

  it("validates the configuration: offices of the operation only, admins only", async () => {
    const other = await createTestOperation();
    const bad = await call("PUT", "/api/sso-config", {
      token: other.users.admin.token,
      body: {
        name: "X",
        issuer: idp.issuer,
        clientID: "x",
        clientSecret: "y",
        mappings: [{ value: "g", role: "caseworker", officeIDs: [op.officeA] }],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(["mappings.0.officeIDs.0"]);
    const refused = await call("PUT", "/api/sso-config", {
      token: other.users.caseworker.token,
      body: { name: "X", issuer: idp.issuer, clientID: "x", clientSecret: "y", mappings: [] },
    });
    expect([403, 422]).toContain(refused.status);
    await as(system, async () => expect((await call("GET", "/auth/sso")).json.providers).not.toContainEqual(
      expect.objectContaining({ operationID: other.operationID }),
    ));
  });
});
