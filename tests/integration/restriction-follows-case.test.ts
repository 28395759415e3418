import { describe, expect, it } from "vitest";
import { Case } from "@waypoint/core";
import { as, call, createTestOperation } from "../support/fixtures.ts";
import { extraUser, people } from "../support/programmes.ts";

const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
const ids = (r: { json: { items: Record<string, string>[] } }, key: string) =>
  r.json.items.map((i) => i[key]);

describe("restriction follows the live case", () => {
  it("a case that becomes SGBV after its referral, appointment and submission were made hides them from viewers and office caseworkers", async () => {
    const op = await createTestOperation();
    const owner = await extraUser(op, "caseworker");
    const [person] = await people(op, [{ age: 30 }]);
    const c = await as(owner.actor, () =>
      Case.create({
        officeID: op.officeA,
        type: "protection",
        individualIDs: [person!.individualID],
        assignedTo: owner.userID,
      }),
    );
    const referral = await call("POST", "/api/referrals", {
      token: owner.token,
      body: {
        officeID: op.officeA,
        caseID: c.caseID,
        serviceCategory: "legal",
        reason: "Legal advice",
        consent: { given: false },
      },
    });
    expect(referral.status).toBe(201);
    const appointment = await call("POST", "/api/appointments", {
      token: owner.token,
      body: {
        officeID: op.officeA,
        caseID: c.caseID,
        kind: "counselling",
        room: "R1",
        start: `${day}T09:00:00.000Z`,
        end: `${day}T10:00:00.000Z`,
      },
    });
    expect(appointment.status).toBe(201);
    const submission = await call("POST", "/api/resettlement", {
      token: owner.token,
      body: { caseID: c.caseID, programme: "rst", country: "CAN", quotaYear: 2026, primaryCategory: "LPN" },
    });
    expect(submission.status).toBe(201);
    const records = [
      ["referrals", referral.json.referralID, "referralID"],
      ["appointments", appointment.json.appointmentID, "appointmentID"],
      ["resettlement", submission.json.submissionID, "submissionID"],
    ] as const;
    const outsiders = [op.users.viewer, op.users.caseworker];
    // before the disclosure the office reads them
    for (const u of outsiders)
      for (const [path, id, key] of records) {
        expect((await call("GET", `/api/${path}/${id}`, { token: u.token })).status).toBe(200);
        const list = await call("GET", `/api/${path}?officeID=${op.officeA}`, { token: u.token });
        expect(ids(list, key)).toContain(id);
      }

    const patched = await call("PATCH", "/api/cases", {
      token: owner.token,
      body: { rows: [{ id: c.caseID, version: c.version, changes: { subType: "sgbv" } }] },
    });
    expect(patched.json.results[0]).toMatchObject({ status: "saved" });

    for (const u of outsiders)
      for (const [path, id, key] of records) {
        expect((await call("GET", `/api/${path}/${id}`, { token: u.token })).status).toBe(404);
        const list = await call("GET", `/api/${path}?officeID=${op.officeA}`, { token: u.token });
        expect(list.status).toBe(200);
        expect(ids(list, key)).not.toContain(id);
      }
    // the case's caseworker and a supervisor still work on them, and see them as restricted
    for (const u of [owner, op.users.supervisor])
      for (const [path, id] of records) {
        const got = await call("GET", `/api/${path}/${id}`, { token: u.token });
        expect(got.status).toBe(200);
        expect(got.json.restricted).toBe(true);
      }
  });
});
