import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { AppointmentEntity } from "@waypoint/core/appointment/appointment.entity";
import { CaseEntity } from "@waypoint/core/case/case.entity";
import { documentClient } from "@waypoint/core/dynamo";
import { ReferralEntity } from "@waypoint/core/referral/referral.entity";
import { IndividualEntity } from "@waypoint/core/individual/individual.entity";
import { conflictView } from "@waypoint/core/common/record";
import { Organisation, Referral } from "@waypoint/core";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

/**
 * A stale write's 409 carries the current record so the caller can compare; it must show each caller only what
 * a read would show them.
 */
let ops: TestOperation;
let partner: { key: string; organisationID: string };

beforeAll(async () => {
  ops = await createTestOperation();
  // a clinic whose data-sharing agreement covers the name and sex only
  partner = await as(system, async () => {
    const org = await Organisation.create({
      operationID: ops.operationID,
      name: "Clinic",
      sharedFields: ["givenName", "familyName", "sex"],
    });
    const key = await Organisation.createKey({
      organisationID: org.organisationID,
      name: "test",
      scopes: ["referrals:read", "referrals:respond"],
    });
    return { key: key.key, organisationID: org.organisationID };
  });
});

/** Runs `write` against the real table just before the next transaction, as a colleague saving at that moment. */
async function withColleagueFirst<R>(write: () => Promise<unknown>, fn: () => Promise<R>): Promise<R> {
  const client = documentClient();
  let pending: (() => Promise<unknown>) | undefined = write;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "TransactWriteItemsCommand" && pending) {
        const w = pending;
        pending = undefined;
        await w();
      }
      return next(args);
    },
    { step: "initialize", name: "colleagueFirst" },
  );
  try {
    return await fn();
  } finally {
    client.middlewareStack.remove("colleagueFirst");
  }
}

describe("conflict answers show only what a read shows", () => {
  it("a partner's stale accept gets its own view of the referral: agreed fields only, no internal IDs", async () => {
    const ind = await call("POST", "/api/individuals", {
      token: ops.users.caseworker.token,
      body: {
        officeID: ops.officeA,
        givenName: "Omar",
        familyName: `Saleh${Date.now()}`,
        sex: "male",
        dateOfBirth: "1990-04-02",
        nationality: "SYR",
        phone: "+525511112222",
        specificNeeds: ["SM-CI"],
      },
    });
    expect(ind.status, JSON.stringify(ind.json)).toBe(201);
    const individualID = ind.json.individualID ?? ind.json.record?.individualID;
    const staff = await as(ops.users.caseworker.actor, () =>
      Referral.create({
        officeID: ops.officeA,
        toOrganisationID: partner.organisationID,
        individualID,
        serviceCategory: "health",
        reason: "Medical follow-up",
        consent: { given: true, date: "2026-11-20" },
      }),
    );
    const stored = (await ReferralEntity.get({ referralID: staff.referralID }).go()).data!;
    expect(stored.person).toMatchObject({ phone: "+525511112222", dateOfBirth: "1990-04-02" });
    // staff change the referral after the partner read it
    const edited = await as(ops.users.caseworker.actor, () =>
      Referral.patch({
        referralID: staff.referralID,
        version: 1,
        changes: { reason: "Medical follow-up, urgent" },
      }),
    );
    expect(edited.version).toBe(2);

    const stale = await call("POST", `/v1/referrals/${staff.referralID}/accept`, {
      token: partner.key,
      body: { version: 1 },
    });
    expect(stale.status, JSON.stringify(stale.json)).toBe(409);
    const current = stale.json.current;
    // what GET /v1/referrals/{id} shows, nothing more
    const read = await call("GET", `/v1/referrals/${staff.referralID}`, { token: partner.key });
    expect(current).toEqual(read.json);
    expect(current.version).toBe(2);
    const text = JSON.stringify(current);
    for (const leak of [
      "+525511112222",
      "1990-04-02",
      "SM-CI",
      individualID,
      ops.users.caseworker.userID,
      ops.operationID,
    ])
      expect(text).not.toContain(leak);
    for (const internal of [
      "individualID",
      "caseID",
      "createdBy",
      "operationID",
      "toOrganisationID",
      "consent",
    ])
      expect(current).not.toHaveProperty(internal);
    expect(
      Object.keys(current.person ?? {}).every((k) => ["givenName", "familyName", "sex"].includes(k)),
    ).toBe(true);
    // nothing was stored by the refused accept
    expect((await ReferralEntity.get({ referralID: staff.referralID }).go()).data?.status).toBe("pending");
  });

  it("staff whose save meets a case that just became restricted get a conflict without the record", async () => {
    const created = await call("POST", "/api/cases", {
      token: ops.users.supervisor.token,
      body: { officeID: ops.officeA, type: "protection", riskLevel: "high" },
    });
    expect(created.status).toBe(201);
    const caseID = created.json.caseID as string;
    // a supervisor reclassifies the case as SGBV while the caseworker is saving
    const restrict = () =>
      CaseEntity.patch({ caseID })
        .set({ subType: "sgbv", restricted: true, summary: "Disclosed SGBV" } as never)
        .add({ version: 1 })
        .go();
    const res = await withColleagueFirst(restrict, () =>
      call("PATCH", "/api/cases", {
        token: ops.users.caseworker.token,
        body: { rows: [{ id: caseID, version: 1, changes: { riskLevel: "critical" } }] },
      }),
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const row = res.json.results[0];
    expect(row.status).toBe("conflict");
    // a read would now answer "not found" to this caseworker: the conflict shows nothing of the case
    expect(row.current).toBeUndefined();
    expect(JSON.stringify(res.json)).not.toContain("Disclosed SGBV");
    expect((await call("GET", `/api/cases/${caseID}`, { token: ops.users.caseworker.token })).status).toBe(
      404,
    );
    const stored = (await CaseEntity.get({ caseID }).go()).data!;
    expect([stored.riskLevel, stored.version]).toEqual(["high", 2]);
  });

  it("a supervisor, who may read restricted cases, still sees the current case, and that read is audited", async () => {
    const created = await call("POST", "/api/cases", {
      token: ops.users.caseworker.token,
      body: { officeID: ops.officeA, type: "protection", riskLevel: "high" },
    });
    const caseID = created.json.caseID as string;
    const restrict = () =>
      CaseEntity.patch({ caseID })
        .set({ subType: "sgbv", restricted: true } as never)
        .add({ version: 1 })
        .go();
    const res = await withColleagueFirst(restrict, () =>
      call("PATCH", "/api/cases", {
        token: ops.users.supervisor.token,
        body: { rows: [{ id: caseID, version: 1, changes: { riskLevel: "critical" } }] },
      }),
    );
    const row = res.json.results[0];
    expect(row.status).toBe("conflict");
    expect(row.current).toMatchObject({ caseID, version: 2, restricted: true });
    const events = (await AuditEntity.query.byRecord({ recordID: caseID }).go()).data;
    expect(
      events.some((e) => e.action === "read" && e.actorID === ops.users.supervisor.userID),
      "the restricted record shown in the conflict is audited as a read",
    ).toBe(true);
  });

  it("staff whose referral save meets its case becoming restricted get a conflict without the referral", async () => {
    const created = await call("POST", "/api/cases", {
      token: ops.users.supervisor.token,
      body: { officeID: ops.officeA, type: "protection", riskLevel: "high" },
    });
    const caseID = created.json.caseID as string;
    const referral = await as(ops.users.supervisor.actor, () =>
      Referral.create({
        officeID: ops.officeA,
        caseID,
        serviceCategory: "health",
        reason: "Psychosocial support",
        consent: { given: true, date: "2026-11-20" },
        person: { givenName: "Nour", familyName: "Haddad", sex: "female", phone: "+525511113333" },
      }),
    );
    // the case is reclassified as SGBV (the referral follows it) while a caseworker saves the referral
    const restrict = async () => {
      await CaseEntity.patch({ caseID })
        .set({ subType: "sgbv", restricted: true } as never)
        .add({ version: 1 })
        .go();
      await ReferralEntity.patch({ referralID: referral.referralID })
        .set({ reason: "Disclosed SGBV, specialised support" })
        .add({ version: 1 })
        .go();
    };
    const res = await withColleagueFirst(restrict, () =>
      call("PATCH", "/api/referrals", {
        token: ops.users.caseworker.token,
        body: { rows: [{ id: referral.referralID, version: 1, changes: { urgency: "urgent" } }] },
      }),
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const row = res.json.results[0];
    expect(row.status).toBe("conflict");
    expect(row.current).toBeUndefined();
    expect(JSON.stringify(res.json)).not.toContain("+525511113333");
    expect(
      (await call("GET", `/api/referrals/${referral.referralID}`, { token: ops.users.caseworker.token }))
        .status,
    ).toBe(404);
  });

  it("a partner whose accept meets the person's consent being withdrawn gets a conflict without the referral", async () => {
    const staff = await as(ops.users.caseworker.actor, () =>
      Referral.create({
        officeID: ops.officeA,
        toOrganisationID: partner.organisationID,
        serviceCategory: "health",
        reason: "Medical follow-up",
        consent: { given: true, date: "2026-11-20" },
        person: { givenName: "Samir", familyName: "Odeh", sex: "male" },
      }),
    );
    const withdrawConsent = () =>
      ReferralEntity.patch({ referralID: staff.referralID })
        .set({ consent: { given: false, date: "2026-11-21" } } as never)
        .add({ version: 1 })
        .go();
    const res = await withColleagueFirst(withdrawConsent, () =>
      call("POST", `/v1/referrals/${staff.referralID}/accept`, { token: partner.key, body: { version: 1 } }),
    );
    expect(res.status, JSON.stringify(res.json)).toBe(409);
    expect(res.json.current).toBeUndefined();
    expect(res.text).not.toContain("Samir");
    expect((await call("GET", `/v1/referrals/${staff.referralID}`, { token: partner.key })).status).toBe(404);
  });

  it("staff whose appointment save meets its case becoming restricted get a conflict without the appointment", async () => {
    const created = await call("POST", "/api/cases", {
      token: ops.users.supervisor.token,
      body: { officeID: ops.officeA, type: "protection", riskLevel: "high" },
    });
    const caseID = created.json.caseID as string;
    const d = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    const booked = await call("POST", "/api/appointments", {
      token: ops.users.supervisor.token,
      body: {
        officeID: ops.officeA,
        caseID,
        kind: "counselling",
        room: `Sala ${Date.now()}`,
        start: `${d}T09:00:00.000Z`,
        end: `${d}T10:00:00.000Z`,
        notes: "Follow-up",
      },
    });
    expect(booked.status, JSON.stringify(booked.json)).toBe(201);
    const appointmentID = booked.json.appointmentID as string;
    const restrict = async () => {
      await CaseEntity.patch({ caseID })
        .set({ subType: "sgbv", restricted: true } as never)
        .add({ version: 1 })
        .go();
      await AppointmentEntity.patch({ appointmentID })
        .set({ notes: "SGBV survivor, female counsellor only" } as never)
        .add({ version: 1 })
        .go();
    };
    const res = await withColleagueFirst(restrict, () =>
      call("PATCH", "/api/appointments", {
        token: ops.users.caseworker.token,
        body: { rows: [{ id: appointmentID, version: 1, changes: { room: "Sala B" } }] },
      }),
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const row = res.json.results[0];
    expect(row.status).toBe("conflict");
    expect(row.current).toBeUndefined();
    expect(res.text).not.toContain("SGBV survivor");
    expect(
      (await call("GET", `/api/appointments/${appointmentID}`, { token: ops.users.caseworker.token })).status,
    ).toBe(404);
  });

  it("a conflict body on a person is redacted for roles that may not read some fields (viewer, finance)", async () => {
    // No route lets a viewer write, so this checks the rule every 409 body goes through, on a stored record.
    const ind = await call("POST", "/api/individuals", {
      token: ops.users.caseworker.token,
      body: {
        officeID: ops.officeA,
        givenName: "Hana",
        familyName: `Yousef${Date.now()}`,
        sex: "female",
        dateOfBirth: "1988-03-03",
        nationality: "SYR",
        phone: "+525511114444",
        specificNeeds: ["SM-CI"],
      },
    });
    expect(ind.status, JSON.stringify(ind.json)).toBe(201);
    const stored = (await IndividualEntity.get({ individualID: ind.json.individualID }).go()).data!;
    const forViewer = (await as(ops.users.viewer.actor, () => conflictView("individual", stored))) as Record<
      string,
      unknown
    >;
    const read = await call("GET", `/api/individuals/${stored.individualID}`, {
      token: ops.users.viewer.token,
    });
    expect(read.status).toBe(200);
    expect(forViewer).toEqual(read.json);
    expect(forViewer).not.toHaveProperty("phone");
    expect(forViewer).not.toHaveProperty("specificNeeds");
    expect(forViewer).not.toHaveProperty("searchName");
    expect(forViewer.redacted).toEqual(expect.arrayContaining(["phone", "specificNeeds"]));
    const forFinance = (await as(ops.users.finance.actor, () =>
      conflictView("individual", stored),
    )) as Record<string, unknown>;
    expect(forFinance).not.toHaveProperty("specificNeeds");
    // a partner never gets a stored record without its own view
    expect(
      await as(
        {
          type: "partner",
          organisationID: partner.organisationID,
          operationID: ops.operationID,
          keyID: "k",
          scopes: [],
        },
        () => conflictView("individual", stored),
      ),
    ).toBeUndefined();
  });
});
