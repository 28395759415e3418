import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { Case, Identifier, Individual, Note, Payee, Payment, Referral } from "@waypoint/core";
import { config } from "@waypoint/core/config";
import { documentClient } from "@waypoint/core/dynamo";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { as, call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

/** Every item of the table, every page. */
async function scanTable(): Promise<string[]> {
  const out: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new ScanCommand({ TableName: config().tableName, ExclusiveStartKey }),
    );
    for (const i of res.Items ?? []) out.push(JSON.stringify(i).toLowerCase());
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

/** Every file of the local object store, as text. */
async function scanFiles(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  const walk = async (d: string) => {
    for (const name of await readdir(d).catch(() => [] as string[])) {
      const p = join(d, name);
      if ((await stat(p)).isDirectory()) await walk(p);
      else out.push({ path: p, text: (await readFile(p)).toString("utf8").toLowerCase() });
    }
  };
  await walk(dir);
  return out;
}

let t: TestOperation;
beforeAll(async () => {
  t = await createTestOperation();
});

/** A person with values no other test uses, so a scan of the shared table finds only theirs. */
function uniquePerson() {
  const tag = Identifier.create("individual")
    .slice(-6)
    .replace(/[^A-Z]/g, "Q");
  const digits = String(Date.now()).slice(-7) + String(Math.floor(Math.random() * 90 + 10));
  return {
    givenName: `Ximena${tag}`,
    familyName: `Oquendo${tag}`,
    phone: `+5255${digits.slice(0, 8)}`,
    document: `PX${digits}`,
  };
}

describe("erasure on request", () => {
  it("a supervisor erases a person: no name, phone or document number of theirs is left in any item of the table or any stored file; the erasure is audited without them", async () => {
    const p = uniquePerson();
    const supervisor = t.users.supervisor;
    // a configured field (a proGres ID): its value is on the record and in the configured-value index
    const progres = `PRG${p.document}`;
    const field = await call("POST", "/api/fields", {
      token: t.users.admin.token,
      body: {
        recordType: "individual",
        key: "erasureProgres",
        type: "text",
        labels: { en: "proGres ID", es: "ID proGres", fr: "ID proGres", ar: "رقم proGres" },
      },
    });
    expect(field.status, JSON.stringify(field.json)).toBe(201);
    const created = await call("POST", "/api/individuals", {
      token: t.users.caseworker.token,
      body: {
        givenName: p.givenName,
        familyName: p.familyName,
        sex: "female",
        dateOfBirth: "1991-03-04",
        nationality: "HND",
        officeID: t.officeA,
        phone: p.phone,
        documents: [{ type: "passport", number: p.document }],
        languages: ["spa"],
        legalStatus: "asylum_seeker",
        fields: { erasureProgres: progres },
        overrideDuplicates: { reason: "test fixture person" },
      },
    });
    expect(created.status).toBe(201);
    const id: string = created.json.individualID;

    // a case with notes that name them
    const kase = await as(supervisor.actor, () =>
      Case.create({
        officeID: t.officeA,
        type: "protection",
        individualIDs: [id],
        summary: `${p.givenName} ${p.familyName} reached the office; call ${p.phone}`,
      }),
    );
    for (let i = 0; i < 3; i++)
      await as(supervisor.actor, () =>
        Note.create({ caseID: kase.caseID, body: `Spoke to ${p.givenName} (doc ${p.document}), visit ${i}` }),
      );

    // a referral shared with a partner that has a webhook (a queued delivery)
    const partner = await createPartnerKey(t.operationID, ["referrals:read", "referrals:respond"], "Clinic");
    const hook = await call("PUT", "/v1/webhook", {
      token: partner.key,
      body: { url: "http://127.0.0.1:9/hook" },
    });
    expect(hook.status).toBe(200);
    const referral = await as(supervisor.actor, () =>
      Referral.create({
        officeID: t.officeA,
        toOrganisationID: partner.organisation.organisationID,
        individualID: id,
        caseID: kase.caseID,
        serviceCategory: "health",
        reason: `Medical follow-up for ${p.familyName}`,
        consent: { given: true, date: "2026-01-10", scope: "health partners" },
      }),
    );
    const partnerRead = await call("GET", `/v1/referrals/${referral.referralID}`, { token: partner.key });
    expect(partnerRead.status).toBe(200);

    // a Kobo intake of the same person
    const kobo = await createPartnerKey(t.operationID, ["intake:kobo"], "Field team");
    const form = await call("PUT", "/api/kobo-forms/erasure1", {
      token: t.users.admin.token,
      body: {
        name: "Registration",
        phoneCountry: "MX",
        fields: {
          fullName: { field: "fullName" },
          phoneNumber: { field: "phone" },
          sex: { field: "sex", values: { Female: "female" } },
        },
      },
    });
    expect(form.status).toBe(200);
    const intake = await call("POST", "/v1/intake/kobo/erasure1", {
      headers: { "x-waypoint-key": kobo.key },
      body: {
        fullName: `${p.givenName} ${p.familyName}`,
        phoneNumber: p.phone,
        sex: "Female",
        "meta/instanceID": `uuid:${Identifier.create("individual")}`,
      },
    });
    expect(intake.status).toBe(201);

    // a payee who is the person, with payments
    const payee = await as(t.users.finance.actor, () =>
      Payee.create({
        kind: "individual",
        name: `${p.givenName} ${p.familyName}`,
        individualID: id,
        channel: { type: "mobile_money", provider: "Tigo", msisdn: p.phone } as never,
      }),
    );
    const paid = await as(t.users.finance.actor, () =>
      Payment.createMany([
        {
          values: { payeeID: payee.payeeID, purpose: "cash_for_protection", amount: 150000, currency: "MXN" },
        },
        {
          values: { payeeID: payee.payeeID, purpose: "cash_for_protection", amount: 90000, currency: "MXN" },
        },
      ]),
    );
    expect(paid.summary).toEqual({ created: 2 });

    const needles = [p.givenName, p.familyName, p.phone, p.phone.replace("+", ""), p.document, progres].map((s) =>
      s.toLowerCase(),
    );
    const before = (await scanTable()).filter((i) => needles.some((n) => i.includes(n)));
    // the record, its dedupe keys, the case, the referral, the lead and review item, the payee… (notes are encrypted)
    expect(before.length).toBeGreaterThan(5);
    // the configured-value index names the proGres ID (normalised: lower case) before the erasure
    expect(before.some((i) => i.includes('"__edb_e__":"fieldvalue"') && i.includes(progres.toLowerCase()))).toBe(true);

    // a caseworker may not erase; a supervisor gives a reason
    const refused = await call("POST", `/api/individuals/${id}/erase`, {
      token: t.users.caseworker.token,
      body: { reason: "asked by the person" },
    });
    expect(refused.status).toBe(403);
    const erased = await call("POST", `/api/individuals/${id}/erase`, {
      token: supervisor.token,
      body: { reason: `Request of ${p.givenName} at the office` },
    });
    expect(erased.status).toBe(200);
    expect(erased.json.deleted).toMatchObject({ case: 1, note: 3, referral: 1, lead: 1 });

    const left = (await scanTable()).filter((i) => needles.some((n) => i.includes(n)));
    expect(left).toEqual([]);
    const files = (await scanFiles(process.env.WAYPOINT_FILES!)).filter((f) =>
      needles.some((n) => f.text.includes(n)),
    );
    expect(files.map((f) => f.path)).toEqual([]);

    // the person is gone for everyone; the partner's read is a 404
    expect((await call("GET", `/api/individuals/${id}`, { token: supervisor.token })).status).toBe(404);
    expect((await call("GET", `/v1/referrals/${referral.referralID}`, { token: partner.key })).status).toBe(
      404,
    );
    // the erasure is audited: who, when, why (without the name), what went
    const trail = (await AuditEntity.query.byRecord({ recordID: id }).go({ pages: "all" })).data;
    const event = trail.find((e) => e.action === "erase")!;
    expect(event.actorID).toBe(supervisor.userID);
    expect(event.reason).toBe("Request of [erased] at the office");
    // the registration stays in the trail (who created it), without its values
    const createdEvent = trail.find((e) => e.action === "create")!;
    expect(createdEvent.actorID).toBe(t.users.caseworker.userID);
    expect(JSON.stringify(createdEvent.changes)).not.toContain(p.familyName);
    // payments stay for the accounts, paying an anonymised payee
    const kept = await as(t.users.finance.actor, () => Payment.get(paid.results[0]!.id!));
    expect(kept.amount).toBe(150000);
    // a second erasure finds nothing
    expect(
      (
        await call("POST", `/api/individuals/${id}/erase`, {
          token: supervisor.token,
          body: { reason: "again" },
        })
      ).status,
    ).toBe(404);
  }, 120_000);

  it("erasing a member of a shared case keeps the case for the others, without the erased person's values", async () => {
    const p = uniquePerson();
    const other = await as(t.users.caseworker.actor, () =>
      Individual.create(
        {
          givenName: "Lucía",
          familyName: "Pineda",
          sex: "female",
          dateOfBirth: "1985-01-01",
          nationality: "HND",
          officeID: t.officeA,
          legalStatus: "asylum_seeker",
        },
        { overrideDuplicates: { reason: "fixture" } },
      ),
    );
    const person = await as(t.users.caseworker.actor, () =>
      Individual.create(
        {
          givenName: p.givenName,
          familyName: p.familyName,
          sex: "male",
          estimatedAge: 12,
          nationality: "HND",
          officeID: t.officeA,
          phone: p.phone,
          legalStatus: "asylum_seeker",
        },
        { overrideDuplicates: { reason: "fixture" } },
      ),
    );
    const kase = await as(t.users.supervisor.actor, () =>
      Case.create({
        officeID: t.officeA,
        type: "protection",
        individualIDs: [other.record.individualID, person.record.individualID],
        summary: `Mother and son ${p.givenName}`,
      }),
    );
    const res = await call("POST", `/api/individuals/${person.record.individualID}/erase`, {
      token: t.users.supervisor.token,
      body: { reason: "the family asked" },
    });
    expect(res.status).toBe(200);
    const still = await as(t.users.supervisor.actor, () => Case.get(kase.caseID));
    expect(still.summary).toBe("Mother and son [erased]");
    const left = (await scanTable()).filter((i) => i.includes(p.givenName.toLowerCase()));
    expect(left).toEqual([]);
  });
});
