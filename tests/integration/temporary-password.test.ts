import { describe, expect, it } from "vitest";
import { Audit, User } from "@waypoint/core";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";

/**
 * An account created with a temporary password (the CLI's first admin of a deployed stage) chooses its own at its
 * first sign-in: the password step gives no session, the temporary password cannot be kept, the rules apply, the
 * challenge works once, and the sign-in then goes on as usual (a second factor where the role needs one).
 */
let n = 0;
const addr = () => ({ "x-forwarded-for": `198.51.100.${(n++ % 250) + 1}` });
const TEMP = "Temporary-Start-9931";
const MINE = "copper-meadow-lantern-58";

async function account(role: "caseworker" | "supervisor") {
  const op = await createTestOperation();
  const email = `first.${role}.${Date.now()}.${n++}@test.example.org`;
  const user = await as(system, () =>
    User.create({
      email,
      name: "Primera Persona",
      password: TEMP,
      mustChangePassword: true,
      grants: [{ operationID: op.operationID, role, officeIDs: [op.officeA] }],
    }),
  );
  return { op, email, user };
}

describe("temporary password replaced at first sign-in", () => {
  it("asks for a new password before any session, refuses the temporary one and weak ones, works once", async () => {
    const { op, email, user } = await account("caseworker");
    const login = await call("POST", "/auth/login", { body: { email, password: TEMP }, headers: addr() });
    expect(login.status, login.text).toBe(200);
    expect(login.json).toMatchObject({ secondFactor: "password" });
    expect(login.json.token).toBeUndefined();
    // the challenge is not a session
    expect((await call("GET", "/api/me", { token: login.json.challenge })).status).toBe(401);

    const same = await call("POST", "/auth/new-password", { body: { challenge: login.json.challenge, password: TEMP } });
    expect(same.status, same.text).toBe(422);
    expect(same.json.errors[0]).toMatchObject({ path: "password", code: "password.same" });
    const weak = await call("POST", "/auth/new-password", { body: { challenge: login.json.challenge, password: "password1234" } });
    expect(weak.status, weak.text).toBe(422);
    expect(weak.json.errors[0].path).toBe("password");

    const set = await call("POST", "/auth/new-password", { body: { challenge: login.json.challenge, password: MINE } });
    expect(set.status, set.text).toBe(200);
    expect(typeof set.json.token).toBe("string");
    expect((await call("GET", "/api/me", { token: set.json.token })).status).toBe(200);

    // the same challenge again changes nothing
    const replay = await call("POST", "/auth/new-password", { body: { challenge: login.json.challenge, password: "another-orchid-river-77" } });
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(replay.status).toBeLessThan(500);

    // the temporary password no longer works; the new one signs in straight away
    expect((await call("POST", "/auth/login", { body: { email, password: TEMP }, headers: addr() })).status).toBe(401);
    const again = await call("POST", "/auth/login", { body: { email, password: MINE }, headers: addr() });
    expect(again.status, again.text).toBe(200);
    expect(typeof again.json.token).toBe("string");

    const actions = await as(op.users.admin.actor, async () =>
      (await Audit.history({ recordID: user.userID })).items.map((e: { action: string }) => e.action),
    );
    expect(actions).toContain("password.changed");
  });

  it("goes on to set up the second factor for a role that needs one", async () => {
    const { email } = await account("supervisor");
    const login = await call("POST", "/auth/login", { body: { email, password: TEMP }, headers: addr() });
    expect(login.json.secondFactor).toBe("password");
    const set = await call("POST", "/auth/new-password", { body: { challenge: login.json.challenge, password: MINE } });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ secondFactor: "enrol" });
    expect(set.json.token).toBeUndefined();
  });
});
