import { describe, expect, it } from "vitest";
import { Audit } from "@waypoint/core";
import { as, call, createTestOperation } from "../support/fixtures.ts";

/**
 * A colleague who already has a Waypoint account (another country office) is invited into a second operation: the
 * account joins it with its own password and rights per operation, instead of the e-mail being refused.
 */
let n = 0;
const addr = () => ({ "x-forwarded-for": `192.0.2.${(n++ % 250) + 1}` });
const GOOD = "harbour-violet-compass-31";

describe("an existing account joins another operation", () => {
  it("gets a grant in the second operation, keeps its password, is told by e-mail, and is not added twice", async () => {
    const first = await createTestOperation();
    const second = await createTestOperation();
    const email = `moves.${Date.now()}@test.example.org`;
    const invited = await call("POST", "/api/users", {
      token: first.users.admin.token,
      body: { email, name: "Awa Diallo", role: "caseworker", officeIDs: [first.officeA] },
    });
    expect(invited.status, invited.text).toBe(201);
    const box = await call("GET", "/api/outbox", { token: first.users.admin.token });
    const link = box.json.items.find((m: { to: string }) => m.to === email).link.replace("/invite/", "");
    expect((await call("POST", `/auth/links/${link}`, { body: { password: GOOD } })).status).toBe(204);

    const joined = await call("POST", "/api/users", {
      token: second.users.admin.token,
      body: { email, name: "Awa Diallo", role: "supervisor", officeIDs: [second.officeB] },
    });
    expect(joined.status, joined.text).toBe(201);
    expect(joined.json.user).toMatchObject({ userID: invited.json.user.userID, role: "supervisor", status: "active" });
    // the second operation's admin lists them; the first keeps its own grant
    const list2 = await call("GET", "/api/users", { token: second.users.admin.token });
    expect(list2.json.items.map((u: { email: string }) => u.email)).toContain(email);
    const list1 = await call("GET", "/api/users", { token: first.users.admin.token });
    expect(list1.json.items.find((u: { email: string }) => u.email === email)).toMatchObject({ role: "caseworker" });
    // told by e-mail, in the second operation's outbox, without a password link
    const box2 = await call("GET", "/api/outbox", { token: second.users.admin.token });
    const notice = box2.json.items.find((m: { to: string }) => m.to === email);
    expect(notice).toBeTruthy();
    expect(notice.link).toBeUndefined();

    // signs in to each operation with the same password, with that operation's role
    const in1 = await call("POST", "/auth/login", { body: { email, password: GOOD, operationID: first.operationID }, headers: addr() });
    expect(in1.status, in1.text).toBe(200);
    expect(in1.json.me ?? in1.json).toBeTruthy();
    const in2 = await call("POST", "/auth/login", { body: { email, password: GOOD, operationID: second.operationID }, headers: addr() });
    expect(in2.status, in2.text).toBe(200);
    // a supervisor needs a second factor: the answer is the enrolment step, not a session
    expect(in2.json.secondFactor).toBe("enrol");

    // invited again: a field error, nothing changes
    const twice = await call("POST", "/api/users", {
      token: second.users.admin.token,
      body: { email, name: "Awa Diallo", role: "caseworker", officeIDs: [second.officeA] },
    });
    expect(twice.status).toBe(422);
    expect(twice.json.errors[0]).toMatchObject({ path: "email", code: "user.already_member" });
    const after = await call("GET", "/api/users", { token: second.users.admin.token });
    expect(after.json.items.find((u: { email: string }) => u.email === email)).toMatchObject({ role: "supervisor" });

    const actions = await as(second.users.admin.actor, async () =>
      (await Audit.history({ recordID: invited.json.user.userID })).items.map((e: { action: string }) => e.action),
    );
    expect(actions).toContain("grant");
  });
});
