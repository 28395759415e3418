import { describe, expect, it } from "vitest";
import { Operation } from "@waypoint/core";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";

/**
 * Staff e-mails are written in the recipient's language (their account's language), else in the operation's first
 * language: the invitation, the password reset, the note that they joined another operation, and the lockout
 * warning. The local outbox keeps each message with its language.
 */
let n = 0;
const addr = () => ({ "x-forwarded-for": `203.0.113.${(n++ % 250) + 1}` });

async function outboxTo(token: string, email: string) {
  const res = await call("GET", "/api/outbox", { token });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { to: string; subject: string; text: string; language?: string }[]).filter(
    (m) => m.to === email,
  );
}

describe("e-mails in the person's language", () => {
  it("an invitation to a French-speaking colleague is in French, and a password reset too", async () => {
    const t = await createTestOperation();
    const admin = t.users.admin.token;
    const email = `amelie.${Date.now()}@test.example.org`;
    const res = await call("POST", "/api/users", {
      token: admin,
      body: { email, name: "Amélie Fournier", role: "caseworker", officeIDs: [t.officeA], language: "fr" },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.user.language).toBe("fr");
    const [invite] = await outboxTo(admin, email);
    expect(invite).toBeDefined();
    expect(invite!.language).toBe("fr");
    expect(invite!.subject).toBe("Vous êtes invité·e sur Waypoint");
    expect(invite!.text).toContain("Bonjour Amélie Fournier,");
    expect(invite!.text).toContain("pendant 72 heures");
    expect(invite!.text).toMatch(/\/invite\/usr_/);

    // the invitation sent again (no password yet) is French as well
    const again = await call("POST", `/api/users/${res.json.user.userID}/link`, {
      token: admin,
      body: { expectedVersion: res.json.user.version },
    });
    expect(again.status, again.text).toBe(200);
    const mails = await outboxTo(admin, email);
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => m.language === "fr" && m.subject === "Vous êtes invité·e sur Waypoint")).toBe(true);
  });

  it("without a language of their own, a colleague is written to in the operation's first language", async () => {
    const t = await createTestOperation();
    await as(system, async () => {
      const op = await Operation.get(t.operationID);
      await Operation.update(t.operationID, op.version, { languages: ["ar", "en"] });
    });
    const email = `karim.${Date.now()}@test.example.org`;
    const res = await call("POST", "/api/users", {
      token: t.users.admin.token,
      body: { email, name: "Karim Haddad", role: "viewer", officeIDs: [] },
    });
    expect(res.status, res.text).toBe(201);
    const [invite] = await outboxTo(t.users.admin.token, email);
    expect(invite!.language).toBe("ar");
    expect(invite!.subject).toBe("أنت مدعو إلى Waypoint");
    expect(invite!.text).toContain("مرحبًا Karim Haddad");
  });

  it("joining another operation and a locked account are told in the person's language", async () => {
    const home = await createTestOperation();
    const other = await createTestOperation();
    const cw = home.users.caseworker;
    // the caseworker reads Spanish
    const cur = await call("GET", `/api/users/${cw.userID}`, { token: home.users.admin.token });
    const set = await call("PATCH", `/api/users/${cw.userID}`, {
      token: home.users.admin.token,
      body: { expectedVersion: cur.json.version, language: "es" },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.json.language).toBe("es");

    // an admin of another operation invites the same e-mail: the account joins, told in Spanish
    const join = await call("POST", "/api/users", {
      token: other.users.admin.token,
      body: { email: cw.email, name: "Caso Trabajador", role: "viewer", officeIDs: [] },
    });
    expect(join.status, join.text).toBe(201);
    const [joined] = await outboxTo(other.users.admin.token, cw.email);
    expect(joined!.language).toBe("es");
    expect(joined!.subject).toMatch(/^Ahora trabaja en .+ en Waypoint$/);

    // five wrong passwords in a row lock the account: the holder gets the warning in Spanish
    for (let i = 0; i < 5; i++) {
      const r = await call("POST", "/auth/login", {
        body: { email: cw.email, password: `wrong-password-${i}` },
        headers: addr(),
      });
      expect([401, 429]).toContain(r.status);
    }
    const locked = (await outboxTo(home.users.admin.token, cw.email)).filter((m) =>
      m.subject.startsWith("Su cuenta de Waypoint está bloqueada"),
    );
    expect(locked).toHaveLength(1);
    expect(locked[0]!.language).toBe("es");
    expect(locked[0]!.text).toMatch(/bloqueado durante \d+ minutos/);
  });
});
