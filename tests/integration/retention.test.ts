import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { Case, Identifier, Incident, Note, Payee, Payment } from "@waypoint/core";
import { Audit } from "@waypoint/core/audit/index";
import { HouseholdEntity } from "@waypoint/core/household/household.entity";
import { IncidentEntity } from "@waypoint/core/incident/incident.entity";
import { PayeeEntity } from "@waypoint/core/payee/payee.entity";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { config } from "@waypoint/core/config";
import { documentClient } from "@waypoint/core/dynamo";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { AppointmentEntity } from "@waypoint/core/appointment/appointment.entity";
import { ReferralEntity } from "@waypoint/core/referral/referral.entity";
import { CaseEntity } from "@waypoint/core/case/case.entity";
import { IndividualEntity } from "@waypoint/core/individual/individual.entity";
import { IdempotencyEntity } from "@waypoint/core/idempotency/idempotency.entity";
import { IntakeReviewEntity, LeadEntity } from "@waypoint/core/intake/intake.entity";
import { NoteEntity } from "@waypoint/core/note/note.entity";
import { Idempotency } from "@waypoint/core/idempotency/index";
import { Retention } from "@waypoint/core/retention/index";
import { sealStoredNarratives } from "@waypoint/core/privacy/seal-stored";
import { BatchEntity } from "@waypoint/core/batch/batch.entity";
import { ExportEntity } from "@waypoint/core/export/export.entity";
import { ObjectStore } from "@waypoint/core/export/store";
import { rekey } from "@waypoint/core/retention/job";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { buildLambda, root } from "../support/lambda-bundle.ts";

const T = () => config().tableName;
const db = () => documentClient();

/** Every item of the table, as lower-cased JSON. */
async function scanTable(): Promise<string[]> {
  const out: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(new ScanCommand({ TableName: T(), ExclusiveStartKey }));
    for (const i of res.Items ?? []) out.push(JSON.stringify(i).toLowerCase());
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

const yearsAgo = (n: number) => new Date(Date.now() - n * 365.25 * 86_400_000).toISOString();

/** Moves a stored record back in time (its last change, optionally its creation), index keys included. */
async function age(key: { pk: string; sk: string }, set: Record<string, unknown>) {
  const cur = (
    await db().send(
      new QueryCommand({
        TableName: T(),
        KeyConditionExpression: "pk = :pk AND sk = :sk",
        ExpressionAttributeValues: { ":pk": key.pk, ":sk": key.sk },
      }),
    )
  ).Items![0]!;
  const changes = Object.fromEntries(Object.entries(set).filter(([k, v]) => typeof v === "string" && k.startsWith("time")));
  const all = { ...set, ...rekey(cur, changes as Record<string, string>) };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(all).map(([k, v], i) => {
    names[`#a${i}`] = k;
    values[`:v${i}`] = v;
    return `#a${i} = :v${i}`;
  });
  await db().send(
    new UpdateCommand({
      TableName: T(),
      Key: key,
      UpdateExpression: `SET ${parts.join(", ")}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

const keyOf = (params: { Key?: Record<string, unknown> }) => params.Key as { pk: string; sk: string };
const individualKey = (individualID: string) => keyOf(IndividualEntity.get({ individualID }).params());
const caseKey = (caseID: string) => keyOf(CaseEntity.get({ caseID }).params());

let t: TestOperation;
beforeAll(async () => {
  t = await createTestOperation();
  const field = await call("POST", "/api/fields", {
    token: t.users.admin.token,
    body: {
      recordType: "individual",
      key: "retentionProgres",
      type: "text",
      labels: { en: "proGres ID", es: "ID proGres", fr: "ID proGres", ar: "رقم proGres" },
    },
  });
  expect(field.status, JSON.stringify(field.json)).toBe(201);
});

function uniquePerson() {
  const tag = Identifier.create("individual")
    .slice(-6)
    .replace(/[^A-Z]/g, "Q");
  const digits = String(Date.now()).slice(-7) + String(Math.floor(Math.random() * 90 + 10));
  return {
    givenName: `Rosalba${tag}`,
    familyName: `Quintanar${tag}`,
    phone: `+5255${digits.slice(0, 8)}`,
    document: `RT${digits}`,
  };
}

/** A person registered through the API, in a case closed `years` ago (with a note naming them). */
async function closedCase(years: number) {
  const p = uniquePerson();
  const created = await call("POST", "/api/individuals", {
    token: t.users.supervisor.token,
    body: {
      givenName: p.givenName,
      familyName: p.familyName,
      sex: "female",
      dateOfBirth: "1988-07-19",
      nationality: "HND",
      officeID: t.officeA,
      phone: p.phone,
      documents: [{ type: "passport", number: p.document }],
      languages: ["spa"],
      legalStatus: "asylum_seeker",
      // a configured value (in the configured-value index too)
      fields: { retentionProgres: `RP${p.document}` },
      overrideDuplicates: { reason: "test fixture person" },
    },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const individualID: string = created.json.individualID;
  const kase = await as(t.users.supervisor.actor, () =>
    Case.create({
      officeID: t.officeA,
      type: "protection",
      individualIDs: [individualID],
      summary: `${p.givenName} ${p.familyName} came with her children; call ${p.phone}`,
    }),
  );
  await as(t.users.supervisor.actor, () =>
    Note.create({ caseID: kase.caseID, body: `Met ${p.givenName} (passport ${p.document})` }),
  );
  const when = yearsAgo(years);
  await age(caseKey(kase.caseID), { stage: "closed", closedReason: `${p.familyName} moved on`, timeUpdated: when, timeCreated: when });
  await age(individualKey(individualID), { timeUpdated: when });
  return { p, individualID, caseID: kase.caseID as string };
}

const rowsOf = async (name: string) => {
  const res = await call("GET", `/api/reports/${name}?format=json&suppressBelow=0`, { token: t.users.admin.token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return JSON.stringify(res.json.rows);
};

describe("retention policies", () => {
  it("an admin sees the defaults, changes one (conditional on the version read, audited); a supervisor may not", async () => {
    const list = await call("GET", "/api/retention-policies", { token: t.users.admin.token });
    expect(list.status).toBe(200);
    const byKind = Object.fromEntries(list.json.items.map((p: { kind: string }) => [p.kind, p]));
    expect(byKind.closedCase).toMatchObject({ value: 60, unit: "months", enabled: true, custom: false, version: 0 });
    expect(byKind.lead).toMatchObject({ value: 12, unit: "months" });
    expect(byKind.unlinkedIntake).toMatchObject({ value: 6, unit: "months" });
    expect(byKind.exportFile).toMatchObject({ value: 30, unit: "days" });
    expect(byKind.idempotency).toMatchObject({ value: 24, unit: "hours" });

    const set = await call("PUT", "/api/retention-policies/pastAppointment", {
      token: t.users.admin.token,
      body: { value: 18, unit: "months", enabled: true, expectedVersion: 0 },
    });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ value: 18, custom: true, version: 1 });
    const stale = await call("PUT", "/api/retention-policies/pastAppointment", {
      token: t.users.admin.token,
      body: { value: 12, unit: "months", enabled: true, expectedVersion: 0 },
    });
    expect(stale.status).toBe(409);
    const tooShort = await call("PUT", "/api/retention-policies/idempotency", {
      token: t.users.admin.token,
      body: { value: 2, unit: "hours", enabled: true, expectedVersion: 0 },
    });
    expect(tooShort.status).toBe(422);
    const refused = await call("PUT", "/api/retention-policies/lead", {
      token: t.users.supervisor.token,
      body: { value: 1, unit: "months", enabled: true, expectedVersion: 0 },
    });
    expect(refused.status).toBe(403);
    const trail = (
      await AuditEntity.query.byRecord({ recordID: `${t.operationID}/retention/pastAppointment` }).go()
    ).data;
    expect(trail.map((e) => e.action)).toEqual(["update"]);
    expect(trail[0]!.actorID).toBe(t.users.admin.userID);
  });
});

describe("the retention job", () => {
  it("anonymises a closed case past its policy and its person (statistics stay, reports still count them), leaves a younger one, skips one edited meanwhile, and does nothing new when run again", async () => {
    const old = await closedCase(6);
    const young = await closedCase(2);
    const edited = await closedCase(7);
    const reportBefore = await rowsOf("individuals-nationality");
    const casesBefore = await rowsOf("cases");

    // the run, with an edit of one case between the job's read and its write
    const run = await as(t.users.admin.actor, () =>
      Retention.runNow({
        hooks: {
          beforeWrite: async (_kind, id) => {
            if (id !== edited.caseID) return;
            const cur = await as(t.users.supervisor.actor, () => Case.get(id));
            const res = await as(t.users.supervisor.actor, () =>
              Case.bulkPatch([{ id, version: cur.version, changes: { summary: "Follow-up call logged" } }]),
            );
            expect(res.summary.saved).toBe(1);
          },
        },
      }),
    );
    expect(run.state).toBe("done");
    expect(run.counts.case).toMatchObject({ anonymised: 1, skipped: 1, errors: 0 });
    expect(run.counts.individual).toMatchObject({ anonymised: 1 });
    expect(run.counts.note).toMatchObject({ deleted: 1 });
    expect(run.auditEventsBlanked).toBeGreaterThan(0);

    // nothing of the old case's person is left anywhere in the table
    const items = await scanTable();
    const terms = [old.p.givenName, old.p.familyName, old.p.phone, old.p.phone.replace("+", ""), old.p.document];
    for (const term of terms) expect(items.filter((i) => i.includes(term.toLowerCase()))).toEqual([]);
    // its configured value went with the rest: off the record and out of the configured-value index
    expect((await IndividualEntity.get({ individualID: old.individualID }).go()).data!.fields).toBeUndefined();
    expect(items.filter((i) => i.includes(`"ownerid":"${old.individualID.toLowerCase()}"`))).toEqual([]);
    // what statistics need stays
    const person = (await IndividualEntity.get({ individualID: old.individualID }).go()).data!;
    expect(person).toMatchObject({ sex: "female", nationality: "HND", dateOfBirth: "1988-07-01", legalStatus: "asylum_seeker" });
    expect(person.givenName).toBe("[anonymised]");
    expect(person.phone).toBeUndefined();
    expect(person.documents).toBeUndefined();
    expect(person.timeCreated).toMatch(/^\d{4}-\d{2}-01T00:00:00.000Z$/);
    const rawPerson = (
      await db().send(
        new QueryCommand({
          TableName: T(),
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": individualKey(old.individualID).pk },
        }),
      )
    ).Items![0]!;
    expect(rawPerson.gsi3pk).toBeUndefined(); // out of the name index
    const kase = (await CaseEntity.get({ caseID: old.caseID }).go()).data!;
    expect(kase).toMatchObject({ stage: "closed", type: "protection", individualIDs: [old.individualID] });
    expect(kase.summary).toBeUndefined();
    expect((await NoteEntity.query.byCase({ caseID: old.caseID }).go()).data).toEqual([]);
    // audit events keep who did what, not the values
    const trail = (await AuditEntity.query.byRecord({ recordID: old.individualID }).go()).data;
    expect(trail.length).toBeGreaterThan(0);
    expect(trail[0]).toMatchObject({ action: "create", actorID: t.users.supervisor.userID });
    // reports count the same people and cases
    expect(await rowsOf("individuals-nationality")).toBe(reportBefore);
    expect(await rowsOf("cases")).toBe(casesBefore);

    // the younger case and the one edited meanwhile are untouched
    for (const kept of [young, edited]) {
      const p = (await IndividualEntity.get({ individualID: kept.individualID }).go()).data!;
      expect(p.givenName).toBe(kept.p.givenName);
      expect(p.phone).toBe(kept.p.phone);
      expect((await NoteEntity.query.byCase({ caseID: kept.caseID }).go()).data).toHaveLength(1);
    }
    expect((await CaseEntity.get({ caseID: edited.caseID }).go()).data!.summary).toBe("Follow-up call logged");

    // the run is stored and listed for the admin, without personal data
    const runs = await call("GET", "/api/retention-policies/runs", { token: t.users.admin.token });
    expect(runs.status).toBe(200);
    expect(runs.json.items[0]).toMatchObject({ runID: run.runID, state: "done", trigger: "manual" });
    expect(JSON.stringify(runs.json).toLowerCase()).not.toContain(edited.p.familyName.toLowerCase());

    // run again: nothing new
    const again = await call("POST", "/api/retention-policies/runs", { token: t.users.admin.token });
    expect(again.status).toBe(200);
    expect(again.json.state).toBe("done");
    expect(again.json.counts.case?.anonymised ?? 0).toBe(0);
    expect(again.json.counts.individual?.anonymised ?? 0).toBe(0);
    expect(again.json.auditEventsBlanked).toBe(0);

    // once the edited case is old again, a later run picks it up
    await age(caseKey(edited.caseID), { timeUpdated: yearsAgo(6) });
    const later = await as(t.users.admin.actor, () => Retention.runNow());
    expect(later.counts.case).toMatchObject({ anonymised: 1 });
    expect((await IndividualEntity.get({ individualID: edited.individualID }).go()).data!.givenName).toBe(
      "[anonymised]",
    );
  });

  it("a run stopped mid-way (a crash) is taken over by the next one where it stopped, and finishes every case", async () => {
    const cases = [];
    for (let i = 0; i < 5; i++) cases.push(await closedCase(8));
    let steps = 0;
    await expect(
      as(t.users.admin.actor, () =>
        Retention.runNow({
          pageSize: 2,
          concurrency: 1,
          leaseMs: 1,
          hooks: {
            step: (kind) => {
              if (kind === "case" && ++steps === 3) {
                const err = new Error("crash");
                err.name = "RetentionInterrupted";
                throw err;
              }
            },
          },
        }),
      ),
    ).rejects.toThrow("crash");
    const stopped = (await as(t.users.admin.actor, () => Retention.runs()))[0]!;
    expect(stopped.state).toBe("running");
    // the crashed case's transaction went through, its note is still there: the take-over finishes it
    const resumed = await as(t.users.admin.actor, () => Retention.runNow({ pageSize: 2 }));
    expect(resumed.runID).toBe(stopped.runID);
    expect(resumed.resumed).toBe(1);
    expect(resumed.state).toBe("done");
    expect(resumed.counts.case?.anonymised).toBe(5);
    for (const c of cases) {
      expect((await IndividualEntity.get({ individualID: c.individualID }).go()).data!.givenName).toBe("[anonymised]");
      expect((await NoteEntity.query.byCase({ caseID: c.caseID }).go()).data).toEqual([]);
    }
  });

  it("purges leads and unlinked intakes past their policies and expired idempotency records; younger ones and a linked intake stay", async () => {
    const now = new Date().toISOString();
    const mkLead = async (time: string) => {
      const leadID = Identifier.create("lead");
      await LeadEntity.create({
        leadID,
        operationID: t.operationID,
        source: "public",
        givenName: "Leandra",
        phone: "+525511112222",
        status: "new",
        version: 1,
        timeCreated: time,
        timeUpdated: time,
      }).go();
      return leadID;
    };
    const oldLead = await mkLead(yearsAgo(2));
    const newLead = await mkLead(now);
    const mkReview = async (time: string, leadID?: string) => {
      const reviewID = Identifier.create("intakeReview");
      await IntakeReviewEntity.create({
        reviewID,
        operationID: t.operationID,
        organisationID: "org_x",
        formID: "f",
        instanceID: reviewID,
        issues: [],
        payload: JSON.stringify({ fullName: "Leandra Sotomayor" }),
        status: leadID ? "resolved" : "open",
        ...(leadID ? { leadID, decision: "lead" as const } : {}),
        version: 1,
        timeCreated: time,
        timeUpdated: time,
      }).go();
      return reviewID;
    };
    const oldReview = await mkReview(yearsAgo(1));
    const linkedReview = await mkReview(yearsAgo(1), newLead);
    const newReview = await mkReview(now);

    // two requests' idempotency keys, claimed as the middleware claims them: one becomes two days old
    const scope = `user:${t.users.admin.userID}`;
    for (const k of ["ret-old", "ret-new"])
      await as(t.users.admin.actor, async () => {
        const begun = await Idempotency.begin(scope, `${k}-${t.operationID}`, Idempotency.hashRequest("POST", "/api/x", {}));
        expect(begun.kind).toBe("new");
        await Idempotency.complete(scope, `${k}-${t.operationID}`, { status: 201, contentType: "application/json", body: '{"givenName":"Leandra"}' });
      });
    const oldKey = keyOf(IdempotencyEntity.get({ scope, key: `ret-old-${t.operationID}` }).params());
    const stored = (await IdempotencyEntity.get({ scope, key: `ret-old-${t.operationID}` }).go()).data;
    expect(stored?.operationID).toBe(t.operationID);
    await age(oldKey, { timeCreated: new Date(Date.now() - 48 * 3_600_000).toISOString() });

    const run = await as(t.users.admin.actor, () => Retention.runNow());
    expect(run.counts.lead).toMatchObject({ deleted: 1 });
    expect(run.counts.intakereview).toMatchObject({ deleted: 1 });
    expect(run.counts.idempotency).toMatchObject({ deleted: 1 });
    expect((await LeadEntity.get({ leadID: oldLead }).go()).data).toBeNull();
    expect((await LeadEntity.get({ leadID: newLead }).go()).data).not.toBeNull();
    expect((await IntakeReviewEntity.get({ reviewID: oldReview }).go()).data).toBeNull();
    expect((await IntakeReviewEntity.get({ reviewID: linkedReview }).go()).data).not.toBeNull();
    expect((await IntakeReviewEntity.get({ reviewID: newReview }).go()).data).not.toBeNull();
    expect((await IdempotencyEntity.get({ scope, key: `ret-old-${t.operationID}` }).go()).data).toBeNull();
    expect((await IdempotencyEntity.get({ scope, key: `ret-new-${t.operationID}` }).go()).data).not.toBeNull();
  });

  it("anonymises a closed referral and a past appointment in place; an open referral of the same age stays", async () => {
    const old = yearsAgo(6);
    const mkReferral = async (status: "completed" | "pending") => {
      const referralID = Identifier.create("referral");
      await ReferralEntity.create({
        referralID,
        referralNumber: `R-${referralID.slice(-6)}`,
        operationID: t.operationID,
        officeID: t.officeA,
        direction: "outgoing",
        individualID: "ind_X",
        toOrganisationID: "org_X",
        serviceCategory: "health",
        urgency: "normal",
        reason: "Medical follow-up for Evangelina Tlapanco",
        consent: { given: true, date: "2020-01-10" },
        person: { givenName: "Evangelina", familyName: "Tlapanco", phone: "+525511119999" },
        serviceNote: "Seen by Dr Ruiz with Evangelina",
        status,
        restricted: false,
        createdBy: t.users.supervisor.userID,
        version: 2,
        timeCreated: old,
        timeUpdated: old,
      }).go();
      return referralID;
    };
    const closed = await mkReferral("completed");
    const open = await mkReferral("pending");
    const appointmentID = Identifier.create("appointment");
    await AppointmentEntity.create({
      appointmentID,
      operationID: t.operationID,
      officeID: t.officeA,
      kind: "interview",
      room: "Room 1",
      start: old,
      end: old,
      status: "completed",
      notes: "Evangelina Tlapanco came with her brother",
      restricted: false,
      createdBy: t.users.supervisor.userID,
      version: 1,
      timeCreated: old,
      timeUpdated: old,
    }).go();

    const run = await as(t.users.admin.actor, () => Retention.runNow());
    expect(run.counts.referral).toMatchObject({ anonymised: 1 });
    expect(run.counts.appointment).toMatchObject({ anonymised: 1 });
    const r = (await ReferralEntity.get({ referralID: closed }).go()).data!;
    expect(r).toMatchObject({ status: "completed", serviceCategory: "health", reason: "[anonymised]" });
    expect(r.person).toBeUndefined();
    expect(r.serviceNote).toBeUndefined();
    expect(r.timeCreated).toMatch(/-01T00:00:00.000Z$/);
    expect((await ReferralEntity.get({ referralID: open }).go()).data!.person).toMatchObject({ givenName: "Evangelina" });
    const a = (await AppointmentEntity.get({ appointmentID }).go()).data!;
    expect(a).toMatchObject({ status: "completed", kind: "interview" });
    expect(a.notes).toBeUndefined();
  });

  it("removes an exported payment file past its policy (the export's record stays, its download says so); a recent one stays", async () => {
    const batchID = Identifier.create("batch");
    const now = new Date().toISOString();
    await BatchEntity.create({
      batchID,
      batchNumber: `B-${batchID.slice(-6)}`,
      operationID: t.operationID,
      fspProfileID: "fsp_X",
      currency: "MXN",
      status: "exported",
      request: {},
      createdBy: t.users.finance.userID,
      timeCreated: now,
      timeUpdated: now,
    }).go();
    const mkExport = async (time: string) => {
      const exportID = Identifier.create("export");
      const key = `exports/${batchID}/${exportID}.csv`;
      await ObjectStore.put(key, Buffer.from("payee,amount\nEvangelina Tlapanco,100\n"), "text/csv");
      await ExportEntity.create({
        exportID,
        batchID,
        operationID: t.operationID,
        format: "csv",
        fileName: "batch.csv",
        key,
        contentType: "text/csv",
        bytes: 40,
        sha256: "x",
        count: 1,
        total: 100,
        currency: "MXN",
        messageId: exportID,
        pmtInfId: exportID,
        createdBy: t.users.finance.userID,
        timeCreated: time,
      }).go();
      return { exportID, key };
    };
    const old = await mkExport(new Date(Date.now() - 40 * 86_400_000).toISOString());
    const recent = await mkExport(now);

    const run = await as(t.users.admin.actor, () => Retention.runNow());
    expect(run.counts.exportfile).toMatchObject({ deleted: 1 });
    expect(run.filesDeleted).toBeGreaterThanOrEqual(1);
    expect(await ObjectStore.head(old.key)).toBeUndefined();
    expect(await ObjectStore.head(recent.key)).toBeDefined();
    expect((await ExportEntity.get({ exportID: old.exportID }).go()).data?.fileRemovedAt).toBeDefined();
    const download = await call("GET", `/api/exports/${old.exportID}/download`, { token: t.users.finance.token });
    expect(download.status).toBe(422);
    expect(download.json.code).toBe("export.file_removed");
  });

  it("seals narratives stored in clear before encryption existed (notes and their history), once, idempotently", async () => {
    const kase = await as(t.users.supervisor.actor, () =>
      Case.create({ officeID: t.officeA, type: "protection", individualIDs: [], summary: "clear text test" }),
    );
    const words = `Cuauhtemoc${Identifier.create("note").slice(-8)}`;
    const note = await as(t.users.supervisor.actor, () => Note.create({ caseID: kase.caseID, body: "placeholder" }));
    // as a note written before encryption: the body and its creation diff in clear
    const noteKey = keyOf(NoteEntity.get({ noteID: note.noteID }).params());
    await db().send(
      new UpdateCommand({
        TableName: T(),
        Key: noteKey,
        UpdateExpression: "SET body = :b",
        ExpressionAttributeValues: { ":b": `${words} spoke about the crossing` },
      }),
    );
    const [created] = (await AuditEntity.query.byRecord({ recordID: note.noteID }).go({ data: "includeKeys" })).data as unknown as {
      pk: string;
      sk: string;
    }[];
    await db().send(
      new UpdateCommand({
        TableName: T(),
        Key: { pk: created!.pk, sk: created!.sk },
        UpdateExpression: "SET changes = :c",
        ExpressionAttributeValues: { ":c": { body: { after: `${words} spoke about the crossing` } } },
      }),
    );
    expect((await scanTable()).some((i) => i.includes(words.toLowerCase()))).toBe(true);

    const report = await as(system, () => sealStoredNarratives(t.operationID));
    expect(report.sealed.note).toBeGreaterThanOrEqual(1);
    expect(report.auditEventsSealed).toBeGreaterThanOrEqual(1);
    expect((await scanTable()).some((i) => i.includes(words.toLowerCase()))).toBe(false);
    // readers still get the text
    const read = await as(t.users.supervisor.actor, () => Note.get(note.noteID));
    expect(read?.body).toBe(`${words} spoke about the crossing`);
    // again: nothing left to seal
    const again = await as(system, () => sealStoredNarratives(t.operationID));
    expect(again).toMatchObject({ sealed: { note: 0, incident: 0 }, auditEventsSealed: 0 });
  });

  it("the scheduled retention Lambda, bundled as infra/retention.ts does, carries the job and the narrative sealing", async () => {
    const out = mkdtempSync(join(tmpdir(), "retention-lambda-"));
    try {
      const built = await buildLambda(
        "retention",
        { file: join(root, "functions", "src", "retention.ts") },
        { outdir: out, splitting: false, plain: true },
      );
      const inputs = Object.keys(built.metafile.inputs);
      expect(inputs).toContain("packages/core/src/retention/job.ts");
      expect(inputs).toContain("packages/core/src/privacy/seal-stored.ts");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("the scheduled job runs every operation as the system", async () => {
    const out = await as(system, () => Retention.runScheduled({ operations: [t.operationID] }));
    expect(out.find((r) => r.operationID === t.operationID)?.state).toBe("done");
  });
});

describe("retention of records the closed-case policy does not reach", () => {
  let u: TestOperation;
  beforeAll(async () => {
    u = await createTestOperation();
  });
  const run = () => as(u.users.admin.actor, () => Retention.runNow());
  const registered = async (given: string, family: string, born: string, extra: Record<string, unknown> = {}) => {
    const res = await call("POST", "/api/individuals", {
      token: u.users.supervisor.token,
      body: {
        givenName: given,
        familyName: family,
        sex: "male",
        dateOfBirth: born,
        nationality: "GTM",
        officeID: u.officeA,
        overrideDuplicates: { reason: "test fixture person" },
        ...extra,
      },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json.individualID as string;
  };
  const person = async (id: string) => (await IndividualEntity.get({ individualID: id }).go()).data!;
  /** The stored item as it is (ElectroDB leaves out attributes its model does not name, such as anonymisedAt). */
  const stored = async (key: { pk: string; sk: string }) =>
    (
      await db().send(
        new QueryCommand({
          TableName: T(),
          KeyConditionExpression: "pk = :pk AND sk = :sk",
          ExpressionAttributeValues: { ":pk": key.pk, ":sk": key.sk },
        }),
      )
    ).Items![0]!;

  it("a closed case's time counts from its closure (stage history), not from a later change", async () => {
    const tag = Identifier.create("case").slice(-6).replace(/[^A-Z]/g, "K");
    const longAgo = await registered(`Evaristo${tag}`, `Tlapanco${tag}`, "1966-01-12");
    const recently = await registered(`Hermelindo${tag}`, `Xicotencatl${tag}`, "1949-06-03");
    const closeAt = async (individualID: string, closedYearsAgo: number, changedYearsAgo: number) => {
      const c = await as(u.users.supervisor.actor, () =>
        Case.create({ officeID: u.officeA, type: "protection", individualIDs: [individualID] }),
      );
      // the stage history: the case moved to closed `closedYearsAgo`; a correction came later
      await as(u.users.supervisor.actor, () =>
        Audit.record({
          recordID: c.caseID,
          recordType: "case",
          action: "transition",
          operationID: u.operationID,
          changes: { stage: { before: "open", after: "closed" } },
        }),
      );
      const [ev] = (await AuditEntity.query.byRecord({ recordID: c.caseID }).go({ data: "includeKeys" })).data.filter(
        (e) => (e.changes as { stage?: unknown } | undefined)?.stage,
      ) as unknown as { pk: string; sk: string }[];
      await db().send(
        new UpdateCommand({
          TableName: T(),
          Key: { pk: ev!.pk, sk: ev!.sk },
          UpdateExpression: "SET #t = :t",
          ExpressionAttributeNames: { "#t": "time" },
          ExpressionAttributeValues: { ":t": yearsAgo(closedYearsAgo) },
        }),
      );
      await age(caseKey(c.caseID), { stage: "closed", timeUpdated: yearsAgo(changedYearsAgo), timeCreated: yearsAgo(9) });
      // the person record itself unchanged since before the closure
      await age(individualKey(individualID), { timeUpdated: yearsAgo(closedYearsAgo + 0.5) });
      return c.caseID as string;
    };
    const oldClosure = await closeAt(longAgo, 6, 1); // closed 6 years ago, a note corrected last year
    const newClosure = await closeAt(recently, 2, 1);
    const r = await run();
    expect(r.state).toBe("done");
    expect((await stored(caseKey(oldClosure))).anonymisedAt).toBeDefined();
    expect((await person(longAgo)).givenName).toBe("[anonymised]");
    expect((await stored(caseKey(newClosure))).anonymisedAt).toBeUndefined();
    expect((await person(recently)).givenName).toBe(`Hermelindo${tag}`);
  });

  it("people registered long ago who never had a case are anonymised with their household once no member is left; others stay", async () => {
    const tag = Identifier.create("household").slice(-6).replace(/[^A-Z]/g, "H");
    const hh = await call("POST", "/api/households", {
      token: u.users.supervisor.token,
      body: { officeID: u.officeA, phone: "+50277889911", address: `Calle Sacatepequez ${tag} 4` },
    });
    expect(hh.status, JSON.stringify(hh.json)).toBe(201);
    const householdID = hh.json.householdID as string;
    const idle = await registered(`Leocadio${tag}`, `Mazariegos${tag}`, "1979-11-23", {
      householdID,
      relationshipToHead: "head",
      phone: "+50255512345",
    });
    const edited = await registered(`Pancracio${tag}`, `Chinchilla${tag}`, "1938-02-17");
    const withCase = await registered(`Eustaquio${tag}`, `Barrondo${tag}`, "1995-08-08");
    await as(u.users.supervisor.actor, () => Case.create({ officeID: u.officeA, type: "protection", individualIDs: [withCase] }));
    for (const id of [idle, edited, withCase]) await age(individualKey(id), { timeCreated: yearsAgo(4), timeUpdated: yearsAgo(4) });
    await age(individualKey(edited), { timeUpdated: yearsAgo(1) });
    await age(keyOf(HouseholdEntity.get({ householdID }).params()), { timeUpdated: yearsAgo(6) });
    const liveHousehold = await call("POST", "/api/households", {
      token: u.users.supervisor.token,
      body: { officeID: u.officeA, address: `Avenida Petapa ${tag}` },
    });
    await registered(`Gumercindo${tag}`, `Ixcoy${tag}`, "2001-04-30", { householdID: liveHousehold.json.householdID });
    await age(keyOf(HouseholdEntity.get({ householdID: liveHousehold.json.householdID }).params()), { timeUpdated: yearsAgo(6) });

    const r = await run();
    expect(r.counts.individual?.anonymised).toBeGreaterThanOrEqual(1);
    expect(r.counts.household?.anonymised).toBe(1);
    const p = await person(idle);
    expect(p).toMatchObject({ givenName: "[anonymised]", sex: "male", nationality: "GTM", dateOfBirth: "1979-11-01" });
    expect(p.phone).toBeUndefined();
    expect((await person(edited)).givenName).toBe(`Pancracio${tag}`);
    expect((await person(withCase)).givenName).toBe(`Eustaquio${tag}`);
    const h = await stored(keyOf(HouseholdEntity.get({ householdID }).params()));
    expect(h.anonymisedAt).toBeDefined();
    expect(h.address).toBeUndefined();
    expect(h.phone).toBeUndefined();
    expect((await HouseholdEntity.get({ householdID: liveHousehold.json.householdID }).go()).data!.address).toBe(
      `Avenida Petapa ${tag}`,
    );
    const items = await scanTable();
    for (const term of [`leocadio${tag}`, `mazariegos${tag}`, `sacatepequez ${tag}`, "50255512345", "50277889911"])
      expect(items.filter((i) => i.includes(term.toLowerCase()))).toEqual([]);
  });

  it("old protection incidents keep what monitoring counts and lose their narrative and people", async () => {
    const victim = await registered("Tranquilina", "Cojtí", "1990-12-05");
    const inc = await as(u.users.supervisor.actor, () =>
      Incident.create({
        officeID: u.officeA,
        kind: "sgbv",
        dateOfIncident: "2019-05-17",
        individualIDs: [victim],
        adm1: "GT01",
        description: "Tranquilina was threatened at the Tecún Umán crossing",
        survivorSex: "female",
      } as never),
    );
    const fresh = await as(u.users.supervisor.actor, () =>
      Incident.create({ officeID: u.officeA, kind: "sgbv", dateOfIncident: "2026-01-10", description: "Reported last month" } as never),
    );
    await age(keyOf(IncidentEntity.get({ incidentID: inc.incidentID }).params()), { timeUpdated: yearsAgo(6) });
    const r = await run();
    expect(r.counts.incident?.anonymised).toBe(1);
    const after = (await IncidentEntity.get({ incidentID: inc.incidentID }).go()).data!;
    expect(after).toMatchObject({ kind: "sgbv", adm1: "GT01", survivorSex: "female", dateOfIncident: "2019-05-01", individualIDs: [] });
    expect(after.description).toBe("[anonymised]");
    expect((await IncidentEntity.get({ incidentID: fresh.incidentID }).go()).data!.description).not.toBe("[anonymised]");
  });

  it("payments keep their amounts for financial retention; the payee of settled old payments loses name and account", async () => {
    const fin = u.users.finance.actor;
    const mk = (name: string) =>
      as(fin, () =>
        Payee.create({ kind: "individual", name, channel: { type: "bank", iban: "FI4880002002330354", bic: "OKOYFIHH" } } as never),
      );
    const oldPayee = await mk("Wenceslao Cuxil");
    const openPayee = await mk("Florinda Quemé");
    const made = await as(fin, () =>
      Payment.createMany([
        { values: { payeeID: oldPayee.payeeID, purpose: "cash_for_protection", amount: 12500, currency: "EUR" } },
        { values: { payeeID: openPayee.payeeID, purpose: "cash_for_protection", amount: 8000, currency: "EUR" } },
      ]),
    );
    const [paidID, draftID] = made.results.map((x) => x.id!);
    await age(keyOf(PaymentEntity.get({ paymentID: paidID! }).params()), { status: "paid", timeUpdated: yearsAgo(8) });
    await age(keyOf(PaymentEntity.get({ paymentID: draftID! }).params()), { timeUpdated: yearsAgo(8) });
    for (const p of [oldPayee, openPayee]) await age(keyOf(PayeeEntity.get({ payeeID: p.payeeID }).params()), { timeUpdated: yearsAgo(8) });

    const r = await run();
    expect(r.counts.payee).toMatchObject({ anonymised: 1, skipped: 1 });
    const gone = (await PayeeEntity.get({ payeeID: oldPayee.payeeID }).go()).data!;
    expect(gone.name).toBe("[anonymised]");
    expect(JSON.stringify(gone.channel)).not.toContain("FI4880002002330354");
    const paid = (await PaymentEntity.get({ paymentID: paidID! }).go()).data!;
    expect(paid).toMatchObject({ amount: 12500, currency: "EUR", status: "paid", purpose: "cash_for_protection" });
    // a payee with a payment not settled yet keeps everything
    expect((await PayeeEntity.get({ payeeID: openPayee.payeeID }).go()).data!.name).toBe("Florinda Quemé");
    const items = await scanTable();
    expect(items.filter((i) => i.includes("wenceslao cuxil"))).toEqual([]);
  });
});
