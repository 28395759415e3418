import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { IndividualEntity } from "@waypoint/core/individual/individual.entity";
import { IntakeReviewEntity, LeadEntity } from "@waypoint/core/intake/intake.entity";
import { call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

/** A submission exactly as a KoboToolbox REST Service posts it (rodekruis/kobo-connect test data, AGPL-3.0). */
const oracle = () =>
  JSON.parse(
    readFileSync(new URL("../../../shared/oracles/kobo/rodekruis-kobo-connect_kobo_data.json", import.meta.url), "utf8"),
  ) as Record<string, unknown>;

const L = (en: string) => ({ en, es: `${en} (es)`, fr: `${en} (fr)`, ar: `${en} (ar)` });
let op: TestOperation;
let key: string;
const FORM = "aPYSXuXP6o9YS8zU39TkyL";
let seq = 0;

/** The oracle submission as a new one (own instance and Kobo IDs), with a plausible person and these answers. */
function submission(answers: Record<string, unknown>) {
  seq += 1;
  return {
    ...oracle(),
    "meta/instanceID": `uuid:fields-${Date.now()}-${seq}`,
    _id: Date.now() * 10 + seq,
    fullName: `Mwila Banda${"bcdfg"[seq % 5]}`,
    birthYear: String(1980 + seq * 7),
    ...answers,
  };
}

beforeAll(async () => {
  op = await createTestOperation();
  key = (await createPartnerKey(op.operationID, ["intake:kobo"], "Field team")).key;
  const admin = op.users.admin.token;
  const list = await call("POST", "/api/code-lists", {
    token: admin,
    body: {
      listKey: "criteria",
      labels: L("Selection criteria"),
      codes: [
        { code: "disabled", labels: { en: "Disabled", es: "Discapacidad", fr: "Handicap", ar: "إعاقة" } },
        { code: "elderly", labels: { en: "Elderly", es: "Persona mayor", fr: "Personne âgée", ar: "مسن" } },
      ],
    },
  });
  expect(list.status, JSON.stringify(list.json)).toBe(201);
  for (const body of [
    { recordType: "individual", key: "nrc", type: "text", labels: L("NRC number") },
    { recordType: "individual", key: "criteria", type: "oneOf", options: "criteria", labels: L("Criteria") },
    { recordType: "individual", key: "maxPayments", type: "number", integer: true, min: 1, max: 12, labels: L("Payments") },
  ]) {
    const res = await call("POST", "/api/fields", { token: admin, body });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
  }
});

describe("Kobo mappings with configured fields as targets", () => {
  it("a mapped answer lands in the configured field, is checked like any value, and reaches the registered person", async () => {
    const admin = op.users.admin.token;
    // a target that is no configured field is refused when the mapping is saved
    const wrong = await call("PUT", `/api/kobo-forms/${FORM}`, {
      token: admin,
      body: { name: "121 registration", fields: { fullName: { field: "fullName" }, NRC: { field: "fields.shoeSize" } } },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors[0].path).toBe("fields.NRC.field");

    const put = await call("PUT", `/api/kobo-forms/${FORM}`, {
      token: admin,
      body: {
        name: "121 registration",
        phoneCountry: "NL",
        fields: {
          fullName: { field: "fullName" },
          birthYear: { field: "birthYear" },
          sex: { field: "sex", values: { Female: "female", Male: "male" } },
          NRC: { field: "fields.nrc" },
          selectionCriteria: { field: "fields.criteria" },
          maxPayments: { field: "fields.maxPayments" },
        },
      },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);

    // the oracle's answers: NRC "12345", selectionCriteria "Disabled" (a label), maxPayments "5" (text)
    const ok = await call("POST", `/v1/intake/kobo/${FORM}`, {
      body: submission({}),
      headers: { "x-waypoint-key": key },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    expect(ok.json.outcome).toBe("created");
    const lead = (await LeadEntity.get({ leadID: ok.json.id }).go()).data!;
    expect(lead.fields).toEqual({ nrc: "12345", criteria: "disabled", maxPayments: 5 });

    // a bad answer: the submission waits for review with the answer's path, nothing becomes a lead, no 500
    const bad = await call("POST", `/v1/intake/kobo/${FORM}`, {
      body: submission({ maxPayments: "40", selectionCriteria: "Refugee" }),
      headers: { "x-waypoint-key": key },
    });
    expect(bad.status, JSON.stringify(bad.json)).toBe(201);
    expect(bad.json.outcome).toBe("queued");
    expect((await LeadEntity.get({ leadID: bad.json.id }).go()).data).toBeNull();
    const review = (await IntakeReviewEntity.get({ reviewID: bad.json.id }).go()).data!;
    const byPath = Object.fromEntries((review.issues as { path: string; code: string; message: string }[]).map((i) => [i.path, i]));
    expect(byPath.maxPayments?.code).toBe("kobo.invalid_configured");
    expect(byPath.maxPayments?.message).toContain("at most 12");
    expect(byPath.selectionCriteria?.code).toBe("kobo.invalid_configured");

    // the preview shows the same before a mapping is saved
    const preview = await call("POST", "/api/kobo-forms/preview", {
      token: admin,
      body: {
        mapping: { name: "x", fields: { maxPayments: { field: "fields.maxPayments" }, fullName: { field: "fullName" } } },
        submission: submission({ maxPayments: "0" }),
      },
    });
    expect(preview.status, JSON.stringify(preview.json)).toBe(200);
    expect(preview.json.issues.map((i: { path: string }) => i.path)).toContain("maxPayments");

    // registering the lead gives the person the configured values (checked again by the registry's create)
    const reg = await call("POST", `/api/enquiries/leads/${ok.json.id}/register`, {
      token: op.users.caseworker.token,
      body: {
        version: lead.version,
        person: {
          officeID: op.officeA,
          givenName: "Mwila",
          familyName: `Banda${Date.now().toString(36).replace(/\d/g, "")}`,
          sex: "female",
          dateOfBirth: "1961-05-04",
          nationality: "ZMB",
        },
      },
    });
    expect(reg.status, JSON.stringify(reg.json)).toBe(200);
    const person = (await IndividualEntity.get({ individualID: reg.json.individualID }).go()).data!;
    expect(person.fields).toEqual({ nrc: "12345", criteria: "disabled", maxPayments: 5 });
  });
});
