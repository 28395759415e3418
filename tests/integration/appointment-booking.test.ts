import { describe, expect, it } from "vitest";
import { Individual, User } from "@waypoint/core";
import { MemberEntity } from "@waypoint/core/user/member.entity";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";

/** A Monday at least a week ahead (UTC), so office hours (Mon–Fri 08–17) are predictable. */
function monday(): string {
  const d = new Date(Date.now() + 7 * 86_400_000);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
const at = (date: string, hhmm: string) => `${date}T${hhmm}:00.000Z`;

async function setup() {
  const op = await createTestOperation();
  const mk = (name: string, languages: string[], officeIDs: string[]) =>
    as(system, () =>
      User.create({
        email: `${name}.${op.operationID.slice(-8)}@test.example.org`.toLowerCase(),
        name,
        languages,
        grants: [{ operationID: op.operationID, role: "interpreter", officeIDs }],
      }),
    );
  const creole = await mk("Jean Creole", ["hat", "fra"], [op.officeA]);
  const arabic = await mk("Amal Arabic", ["ara"], [op.officeA]);
  const elsewhere = await mk("Marc Elsewhere", ["hat"], [op.officeB]);
  const { record: person } = await as(op.users.caseworker.actor, () =>
    Individual.create(
      {
        givenName: "Marie",
        familyName: "Joseph",
        sex: "female",
        dateOfBirth: "1990-04-02",
        nationality: "HTI",
        officeID: op.officeA,
        languages: ["hat"],
        legalStatus: "asylum_seeker",
      },
      { overrideDuplicates: { reason: "test fixture person" } },
    ),
  );
  return { op, creole, arabic, elsewhere, person };
}

describe("booking: interpreters by language and availability before saving", () => {
  it("lists the office's interpreters working in the person's language, only to those who book", async () => {
    const { op, creole, elsewhere } = await setup();
    const res = await call("GET", `/api/appointments/interpreters?officeID=${op.officeA}&languages=hat`, {
      token: op.users.caseworker.token,
    });
    expect(res.status).toBe(200);
    expect(res.json.items).toEqual([
      { userID: creole.userID, name: "Jean Creole", languages: ["hat", "fra"] },
    ]);
    expect(res.json.items.map((i: { userID: string }) => i.userID)).not.toContain(elsewhere.userID);
    const all = await call("GET", `/api/appointments/interpreters?officeID=${op.officeA}`, {
      token: op.users.caseworker.token,
    });
    // every interpreter of the office (the fixture's own interpreter has no languages), by name
    const ids = all.json.items.map((i: { userID: string }) => i.userID);
    expect(ids).toHaveLength(3);
    expect(ids).toContain(op.users.interpreter.userID);
    expect(ids).not.toContain(elsewhere.userID);
    for (const role of ["viewer", "interpreter", "finance"] as const) {
      const refused = await call("GET", `/api/appointments/interpreters?officeID=${op.officeA}`, {
        token: op.users[role].token,
      });
      expect(refused.status, role).toBe(403);
    }
  });

  it("shows a proposed slot's room, interpreter and person conflicts with the next free slots, then the free slot books", async () => {
    const { op, creole, person } = await setup();
    const token = op.users.caseworker.token;
    const date = monday();
    // 10:00–11:00 Sala 1 with the interpreter and Marie; 11:00–12:00 the interpreter elsewhere in the office
    for (const b of [
      {
        room: "Sala 1",
        start: at(date, "10:00"),
        end: at(date, "11:00"),
        participants: [person.individualID],
      },
      { room: "Sala 2", start: at(date, "11:00"), end: at(date, "12:00"), participants: [] },
    ]) {
      const r = await call("POST", "/api/appointments", {
        token,
        body: {
          officeID: op.officeA,
          kind: "interview",
          ...b,
          interpreterID: creole.userID,
          interpreterLanguage: "hat",
        },
      });
      expect(r.status).toBe(201);
    }
    const q = (start: string, end: string, room = "sala 1") =>
      `/api/appointments/availability?officeID=${op.officeA}&room=${encodeURIComponent(room)}&start=${start}&end=${end}` +
      `&interpreterID=${creole.userID}&participants=${person.individualID}&count=3&tz=UTC`;
    const busy = await call("GET", q(at(date, "10:30"), at(date, "11:30")), { token });
    expect(busy.status).toBe(200);
    expect(busy.json.free).toBe(false);
    expect(busy.json.conflicts).toEqual([
      { kind: "interpreter", start: at(date, "10:00"), end: at(date, "11:00") },
      { kind: "person", start: at(date, "10:00"), end: at(date, "11:00") },
      { kind: "room", start: at(date, "10:00"), end: at(date, "11:00") },
      { kind: "interpreter", start: at(date, "11:00"), end: at(date, "12:00") },
    ]);
    // the interpreter is busy until 12:00: the next free hour starts then
    expect(busy.json.next).toEqual([
      { start: at(date, "12:00"), end: at(date, "13:00") },
      { start: at(date, "12:15"), end: at(date, "13:15") },
      { start: at(date, "12:30"), end: at(date, "13:30") },
    ]);
    // office hours: an hour proposed at 16:30 proposes the next morning, 08:00
    const late = await call("GET", q(at(date, "16:00"), at(date, "17:00"), "Sala 3"), { token });
    expect(late.json.free).toBe(true);
    const tuesday = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const lateNext = await call(
      "GET",
      q(at(date, "16:00"), at(date, "17:00"), "Sala 3").replace("count=3", "count=1"),
      { token },
    );
    expect(lateNext.json.next).toEqual([{ start: at(tuesday, "08:00"), end: at(tuesday, "09:00") }]);
    // the proposed free slot books
    const booked = await call("POST", "/api/appointments", {
      token,
      body: {
        officeID: op.officeA,
        kind: "interview",
        room: "Sala 1",
        start: busy.json.next[0].start,
        end: busy.json.next[0].end,
        participants: [person.individualID],
        interpreterID: creole.userID,
        interpreterLanguage: "hat",
      },
    });
    expect(booked.status).toBe(201);
    const after = await call("GET", q(at(date, "12:00"), at(date, "13:00")), { token });
    expect(after.json.free).toBe(false);
  });

  it("refuses the check to roles that may not book and in an office outside the caseworker's, and says which field is wrong", async () => {
    const { op } = await setup();
    const date = monday();
    const path = (office: string, end = at(date, "11:00")) =>
      `/api/appointments/availability?officeID=${office}&room=A&start=${at(date, "10:00")}&end=${end}`;
    expect((await call("GET", path(op.officeA), { token: op.users.viewer.token })).status).toBe(403);
    expect((await call("GET", path(op.officeB), { token: op.users.caseworker.token })).status).toBe(403);
    const bad = await call("GET", path(op.officeA, at(date, "09:00")), { token: op.users.caseworker.token });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toContain("end");
  });

  it("documents both routes in the staff OpenAPI document", async () => {
    const doc = await call("GET", "/api/openapi.json");
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.json.paths);
    expect(paths).toContain("/appointments/availability");
    expect(paths).toContain("/appointments/interpreters");
    const params = doc.json.paths["/appointments/availability"].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(params).toEqual(
      expect.arrayContaining(["officeID", "room", "start", "end", "interpreterID", "participants"]),
    );
  });

  it("an interpreter created before the staff directory is listed once their entry is written again", async () => {
    const { op, creole } = await setup();
    await MemberEntity.delete({ operationID: op.operationID, userID: creole.userID }).go();
    const list = () =>
      call("GET", `/api/appointments/interpreters?officeID=${op.officeA}&languages=hat`, {
        token: op.users.caseworker.token,
      });
    expect((await list()).json.items).toEqual([]);
    await expect(as(op.users.admin.actor, () => User.refreshDirectory(creole))).rejects.toMatchObject({
      status: 403,
    });
    await as(system, () => User.refreshDirectory(creole));
    expect((await list()).json.items.map((i: { name: string }) => i.name)).toEqual(["Jean Creole"]);
  });
});
