import { beforeAll, describe, expect, it } from "vitest";
import { coerceConfiguredCell } from "@waypoint/schema/fields";
import { call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

const rnd = () => Math.random().toString(36).slice(2, 8);
/** A person with random name, birth date and phone, so tests never trip over each other's duplicates. */
function person(officeID: string) {
  const letters = "bdfklmnrs";
  const name = () =>
    Array.from({ length: 4 }, () => letters[Math.floor(Math.random() * 9)]! + "aeiou"[Math.floor(Math.random() * 5)]!)
      .join("")
      .replace(/^./, (c) => c.toUpperCase());
  const dob = new Date(Date.UTC(1950, 0, 1) + Math.random() * 60 * 365 * 86_400_000).toISOString().slice(0, 10);
  return {
    givenName: name(),
    familyName: name(),
    sex: "female",
    dateOfBirth: dob,
    nationality: "HND",
    phone: `+52962${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
    documents: [{ type: "passport", number: `P${rnd().toUpperCase()}${Date.now().toString(36).toUpperCase()}` }],
    officeID,
  };
}

let op: TestOperation;
let n = 0;
const L = (en: string) => ({ en, es: `${en} (es)`, fr: `${en} (fr)`, ar: `${en} (ar)` });
const uniqueKey = (base: string) => `${base}${++n}`;

const admin = () => op.users.admin.token;
const cw = () => op.users.caseworker.token;

async function addField(body: Record<string, unknown>) {
  const res = await call("POST", "/api/fields", { token: admin(), body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.field as { fieldID: string; key: string; version: number };
}
async function register(fields?: Record<string, unknown>, token = cw()) {
  const res = await call("POST", "/api/individuals", { token, body: { ...person(op.officeA), fields } });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { individualID: string; version: number; fields?: Record<string, unknown> };
}
const read = async (id: string, token = cw()) => (await call("GET", `/api/individuals/${id}`, { token })).json;
const patch = (id: string, version: number, changes: unknown, token = cw()) =>
  call("PATCH", `/api/individuals/${id}`, { token, body: { version, changes } });

beforeAll(async () => {
  op = await createTestOperation();
  await call("POST", "/api/code-lists", {
    token: admin(),
    body: {
      listKey: "embassy",
      labels: L("Embassies"),
      codes: [
        { code: "MEX", labels: { en: "Embassy of Mexico", es: "Embajada de México", fr: "Ambassade du Mexique", ar: "سفارة المكسيك" } },
        { code: "ITA", labels: { en: "Embassy of Italy", es: "Embajada de Italia", fr: "Ambassade d'Italie", ar: "سفارة إيطاليا" } },
      ],
    },
  });
});

describe("field definitions", () => {
  it("keeps every version of a definition and never gives a retired field's key to another field", async () => {
    const key = uniqueKey("progresId");
    const f = await addField({ recordType: "individual", key, type: "text", labels: L("proGres ID"), hxl: "#affected+id+progres" });
    expect(f.fieldID).toBe(`individual.${key}`);
    expect(f.version).toBe(1);

    const changed = await call("PATCH", `/api/fields/${f.fieldID}`, {
      token: admin(),
      body: { version: 1, changes: { labels: { ...L("proGres ID"), es: "ID de proGres" } } },
    });
    expect(changed.status).toBe(200);
    expect(changed.json.field.version).toBe(2);
    const stale = await call("PATCH", `/api/fields/${f.fieldID}`, {
      token: admin(),
      body: { version: 1, changes: { required: true } },
    });
    expect(stale.status).toBe(409);

    const retired = await call("POST", `/api/fields/${f.fieldID}/retire`, { token: admin(), body: { version: 2 } });
    expect(retired.json.field.status).toBe("retired");
    const history = await call("GET", `/api/fields/${f.fieldID}/history`, { token: admin() });
    expect(history.json.items.map((v: { version: number; status: string; labels: { es: string } }) => [v.version, v.status, v.labels.es])).toEqual([
      [3, "retired", "ID de proGres"],
      [2, "active", "ID de proGres"],
      [1, "active", "proGres ID (es)"],
    ]);

    const again = await call("POST", "/api/fields", {
      token: admin(),
      body: { recordType: "individual", key, type: "number", labels: L("Reused") },
    });
    expect(again.status).toBe(422);
    expect(again.json.errors[0].path).toBe("key");

    const active = await call("GET", "/api/fields?recordType=individual", { token: cw() });
    expect(active.json.items.map((d: { key: string }) => d.key)).not.toContain(key);
    const all = await call("GET", "/api/fields?recordType=individual&includeRetired=true", { token: cw() });
    expect(all.json.items.map((d: { key: string }) => d.key)).toContain(key);
  });

  it("lets only admins define fields, and refuses a coded field without a real code list", async () => {
    const body = { recordType: "individual", key: uniqueKey("x"), type: "text", labels: L("X") };
    expect((await call("POST", "/api/fields", { token: op.users.supervisor.token, body })).status).toBe(403);
    const noList = await call("POST", "/api/fields", {
      token: admin(),
      body: { recordType: "individual", key: uniqueKey("coded"), type: "oneOf", labels: L("Coded"), options: "nope" },
    });
    expect(noList.status).toBe(422);
    expect(noList.json.errors[0].path).toBe("options");
    const missingLabels = await call("POST", "/api/fields", {
      token: admin(),
      body: { recordType: "individual", key: uniqueKey("y"), type: "text", labels: { en: "Only English" } },
    });
    expect(missingLabels.status).toBe(422);
  });
});

describe("configured values on records", () => {
  it("reads and writes values like built-in fields: merged per key, checked with the field's path, audited with its label", async () => {
    const text = await addField({ recordType: "individual", key: uniqueKey("progres"), type: "text", labels: L("proGres ID") });
    const embassy = await addField({
      recordType: "individual",
      key: uniqueKey("embassy"),
      type: "oneOf",
      options: "embassy",
      labels: L("Referred by embassy"),
    });
    const size = await addField({ recordType: "individual", key: uniqueKey("size"), type: "number", min: 0, max: 20, integer: true, labels: L("Size") });

    const rec = await register({ [text.key]: "MEX-26-001", [embassy.key]: "MEX" });
    expect(rec.fields).toEqual({ [text.key]: "MEX-26-001", [embassy.key]: "MEX" });

    // a PATCH of one key keeps the others
    const one = await patch(rec.individualID, 1, { fields: { [size.key]: 4 } });
    expect(one.status, JSON.stringify(one.json)).toBe(200);
    expect((await read(rec.individualID)).fields).toEqual({
      [text.key]: "MEX-26-001",
      [embassy.key]: "MEX",
      [size.key]: 4,
    });

    const bad = await patch(rec.individualID, 2, { fields: { [size.key]: 40, [embassy.key]: "FRA" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      [`fields.${embassy.key}`, `fields.${size.key}`].sort(),
    );
    const unknown = await patch(rec.individualID, 2, { fields: { notAField: "x" } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors[0].path).toBe("fields.notAField");

    // null clears one value
    const cleared = await patch(rec.individualID, 2, { fields: { [embassy.key]: null } });
    expect(cleared.status).toBe(200);
    expect((await read(rec.individualID)).fields).toEqual({ [text.key]: "MEX-26-001", [size.key]: 4 });

    const history = await call("GET", `/api/individuals/${rec.individualID}/history`, { token: cw() });
    const change = history.json.items
      .map((e: { changes?: Record<string, { before?: unknown; after?: unknown; label?: { en: string } }> }) => e.changes?.[`fields.${size.key}`])
      .find(Boolean);
    expect(change).toMatchObject({ after: 4, label: { en: "Size" } });
  });

  it("keeps a retired field's values readable and in history, but read-only", async () => {
    const f = await addField({ recordType: "individual", key: uniqueKey("annex"), type: "text", labels: L("SOP annex") });
    const rec = await register({ [f.key]: "Annex 3" });
    await call("POST", `/api/fields/${f.fieldID}/retire`, { token: admin(), body: { version: 1 } });
    expect((await read(rec.individualID)).fields).toEqual({ [f.key]: "Annex 3" });
    const write = await patch(rec.individualID, 1, { fields: { [f.key]: "Annex 4" } });
    expect(write.status).toBe(422);
    expect(write.json.errors[0]).toMatchObject({ path: `fields.${f.key}`, code: "invalid.retired" });
    // other changes to the record still save, the retired value stays
    const other = await patch(rec.individualID, 1, { languages: ["ara"] });
    expect(other.status).toBe(200);
    expect((await read(rec.individualID)).fields).toEqual({ [f.key]: "Annex 3" });
    const history = await call("GET", `/api/individuals/${rec.individualID}/history`, { token: cw() });
    const created = history.json.items.find((e: { action: string }) => e.action === "create");
    expect(created.changes[`fields.${f.key}`]).toMatchObject({ after: "Annex 3" });
  });

  it("withholds sensitive and restricted fields from roles that may not see them, and refuses edits by roles not allowed", async () => {
    const sensitive = await addField({ recordType: "individual", key: uniqueKey("sgbv"), type: "yesNo", sensitive: true, labels: L("SGBV survivor") });
    const supervisorsOnly = await addField({
      recordType: "individual",
      key: uniqueKey("mimosa"),
      type: "text",
      editableBy: ["supervisor", "admin"],
      labels: L("MiMOSA number"),
    });
    const rec = await register({ [sensitive.key]: true });

    const asViewer = await read(rec.individualID, op.users.viewer.token);
    expect(asViewer.fields?.[sensitive.key]).toBeUndefined();
    expect(asViewer.redacted).toContain(`fields.${sensitive.key}`);
    expect((await read(rec.individualID)).fields[sensitive.key]).toBe(true);
    const viewerList = await call("GET", "/api/individuals?limit=1000", { token: op.users.viewer.token });
    const listed = viewerList.json.items.find((i: { individualID: string }) => i.individualID === rec.individualID);
    expect(listed.fields?.[sensitive.key]).toBeUndefined();
    const viewerHistory = await call("GET", `/api/individuals/${rec.individualID}/history`, { token: op.users.viewer.token });
    expect(JSON.stringify(viewerHistory.json)).not.toContain(`fields.${sensitive.key}`);

    const refused = await patch(rec.individualID, 1, { fields: { [supervisorsOnly.key]: "MIM-1" } });
    expect(refused.status).toBe(403);
    const bulk = await call("PATCH", "/api/individuals", {
      token: cw(),
      body: { rows: [{ id: rec.individualID, version: 1, changes: { fields: { [supervisorsOnly.key]: "MIM-1" } } }] },
    });
    expect(bulk.json.results[0].status).toBe("forbidden");
    const bySupervisor = await patch(rec.individualID, 1, { fields: { [supervisorsOnly.key]: "MIM-1" } }, op.users.supervisor.token);
    expect(bySupervisor.status).toBe(200);
    expect((await read(rec.individualID)).fields[supervisorsOnly.key]).toBe("MIM-1");
  });

  it("answers bad cells of a bulk PATCH per row with the field's path, and saves the good rows", async () => {
    const f = await addField({ recordType: "individual", key: uniqueKey("arrival"), type: "date", labels: L("Arrival") });
    const a = await register();
    const b = await register();
    const res = await call("PATCH", "/api/individuals", {
      token: cw(),
      body: {
        rows: [
          { id: a.individualID, version: 1, changes: { fields: { [f.key]: "2026-02-30" } } },
          { id: b.individualID, version: 1, changes: { fields: { [f.key]: "2026-02-03" } } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.results[0]).toMatchObject({ status: "invalid" });
    expect(res.json.results[0].issues[0].path).toBe(`rows.0.changes.fields.${f.key}`);
    expect(res.json.results[1]).toMatchObject({ status: "saved", version: 2 });
    expect((await read(b.individualID)).fields).toEqual({ [f.key]: "2026-02-03" });
    expect((await read(a.individualID)).fields).toBeUndefined();
  });

  it("filters the register on a configured value", async () => {
    const f = await addField({ recordType: "individual", key: uniqueKey("camp"), type: "text", labels: L("Camp") });
    const a = await register({ [f.key]: "Norte" });
    await register({ [f.key]: "Sur" });
    const res = await call("GET", `/api/individuals?limit=50&field=${f.key}:norte`, { token: cw() });
    expect(res.status).toBe(200);
    expect(res.json.items.map((i: { individualID: string }) => i.individualID)).toEqual([a.individualID]);
  });
});

describe("making a field required", () => {
  it("reports the records that lack it, and those records keep saving unrelated changes", async () => {
    const f = await addField({ recordType: "individual", key: uniqueKey("unhcr"), type: "text", labels: L("UNHCR case") });
    const has = await register({ [f.key]: "C-1" });
    const lacks = await register();
    const res = await call("PATCH", `/api/fields/${f.fieldID}`, { token: admin(), body: { version: 1, changes: { required: true } } });
    expect(res.status).toBe(200);
    expect(res.json.missingRequired.ids).toContain(lacks.individualID);
    expect(res.json.missingRequired.ids).not.toContain(has.individualID);
    expect(res.json.missingRequired.count).toBeGreaterThanOrEqual(1);

    const unrelated = await patch(lacks.individualID, 1, { languages: ["spa", "eng"] });
    expect(unrelated.status).toBe(200);
    const clear = await patch(has.individualID, 1, { fields: { [f.key]: null } });
    expect(clear.status).toBe(422);
    // a new record must carry it now
    const fresh = await call("POST", "/api/individuals", { token: cw(), body: person(op.officeA) });
    expect(fresh.status).toBe(422);
    expect(fresh.json.errors[0].path).toBe(`fields.${f.key}`);
    // the data-quality page lists them under the field
    const dq = await call("GET", "/api/data-quality", { token: admin() });
    expect(dq.status).toBe(200);
    const issue = dq.json.issues.find((i: { kind: string; field?: { key: string } }) => i.kind === "missing.configuredField" && i.field?.key === f.key);
    expect(issue.ids).toContain(lacks.individualID);
    expect(issue.ids).not.toContain(has.individualID);
    expect(issue.field.labels.ar).toBe("UNHCR case (ar)");
    await call("PATCH", `/api/fields/${f.fieldID}`, { token: admin(), body: { version: 2, changes: { required: false } } });
  });
});

describe("code lists", () => {
  it("keeps built-in codes, takes new codes, and refuses retired codes for new values", async () => {
    const builtIn = await call("PATCH", "/api/code-lists/specificNeeds", {
      token: admin(),
      body: { version: 1, changes: { codes: [{ code: "WR", retired: true }] } },
    });
    expect(builtIn.status).toBe(422);
    const list = (await call("GET", "/api/code-lists/embassy", { token: cw() })).json;
    const added = await call("PATCH", "/api/code-lists/embassy", {
      token: admin(),
      body: { version: list.version, changes: { codes: [{ code: "LBY", labels: L("Embassy of Libya") }, { code: "ITA", retired: true }] } },
    });
    expect(added.status, JSON.stringify(added.json)).toBe(200);
    const f = await addField({ recordType: "individual", key: uniqueKey("emb"), type: "manyOf", options: "embassy", labels: L("Embassies") });
    const rec = await register({ [f.key]: ["LBY", "MEX"] });
    expect(rec.fields?.[f.key]).toEqual(["LBY", "MEX"]);
    const retired = await patch(rec.individualID, 1, { fields: { [f.key]: ["ITA"] } });
    expect(retired.status).toBe(422);

    // a grid cell pasted in Arabic maps to the code, as the API stores it
    const codes = (await call("GET", "/api/code-lists/embassy", { token: cw() })).json;
    const def = (await call("GET", `/api/fields/${f.fieldID}`, { token: cw() })).json;
    expect(coerceConfiguredCell(def, "سفارة المكسيك; Embassy of Libya", codes)).toEqual({ ok: true, value: ["MEX", "LBY"] });
    expect(coerceConfiguredCell(def, "سفارة إيطاليا", codes).ok).toBe(false);
  });
});

describe("other record types", () => {
  it("carries configured values on households and cases, merged per key and withheld like on individuals", async () => {
    const hhField = await addField({ recordType: "household", key: uniqueKey("shelter"), type: "oneOf", options: "embassy", labels: L("Shelter") });
    const hhSecret = await addField({ recordType: "household", key: uniqueKey("risk"), type: "text", visibleTo: ["supervisor", "admin"], labels: L("Risk note") });
    const hh = await call("POST", "/api/households", { token: cw(), body: { officeID: op.officeA, fields: { [hhField.key]: "MEX" } } });
    expect(hh.status, JSON.stringify(hh.json)).toBe(201);
    const hid = hh.json.householdID;
    const p = await call("PATCH", `/api/households/${hid}`, {
      token: op.users.supervisor.token,
      body: { version: 1, changes: { fields: { [hhSecret.key]: "night visits only" } } },
    });
    expect(p.status, JSON.stringify(p.json)).toBe(200);
    const asCw = (await call("GET", `/api/households/${hid}`, { token: cw() })).json;
    expect(asCw.fields).toEqual({ [hhField.key]: "MEX" });
    expect(asCw.redacted).toContain(`fields.${hhSecret.key}`);
    const asSup = (await call("GET", `/api/households/${hid}`, { token: op.users.supervisor.token })).json;
    expect(asSup.fields).toEqual({ [hhField.key]: "MEX", [hhSecret.key]: "night visits only" });
    const cwWrite = await call("PATCH", `/api/households/${hid}`, {
      token: cw(),
      body: { version: 2, changes: { fields: { [hhSecret.key]: "x" } } },
    });
    expect(cwWrite.status).toBe(422);
    expect(cwWrite.json.errors[0].path).toBe(`fields.${hhSecret.key}`);

    const caseField = await addField({ recordType: "case", key: uniqueKey("mimosa"), type: "text", labels: L("MiMOSA case number") });
    const caseNum = await addField({ recordType: "case", key: uniqueKey("visits"), type: "number", min: 0, labels: L("Visits") });
    const c = await call("POST", "/api/cases", { token: cw(), body: { officeID: op.officeA, type: "protection", fields: { [caseField.key]: "MIM-7" } } });
    expect(c.status, JSON.stringify(c.json)).toBe(201);
    const up = await call("PATCH", "/api/cases", {
      token: cw(),
      body: { rows: [{ id: c.json.caseID, version: 1, changes: { fields: { [caseNum.key]: 3 } } }] },
    });
    expect(up.json.results[0].status, JSON.stringify(up.json)).toBe("saved");
    expect((await call("GET", `/api/cases/${c.json.caseID}`, { token: cw() })).json.fields).toEqual({
      [caseField.key]: "MIM-7",
      [caseNum.key]: 3,
    });
    const bad = await call("PATCH", "/api/cases", {
      token: cw(),
      body: { rows: [{ id: c.json.caseID, version: 2, changes: { fields: { [caseNum.key]: -1 } } }] },
    });
    expect(bad.json.results[0].status).toBe("invalid");
    expect(bad.json.results[0].issues[0].path).toBe(`rows.0.changes.fields.${caseNum.key}`);
  });
});

describe("exports", () => {
  it("puts configured fields in the register export with their label and HXL tag, never sensitive ones", async () => {
    const tagged = await addField({
      recordType: "individual",
      key: uniqueKey("refEmbassy"),
      type: "oneOf",
      options: "embassy",
      hxl: "#affected+referral+embassy",
      labels: L("Embassy that referred"),
    });
    const secret = await addField({ recordType: "individual", key: uniqueKey("torture"), type: "yesNo", sensitive: true, labels: L("Torture survivor") });
    const rec = await register({ [tagged.key]: "MEX", [secret.key]: true });
    const res = await call("GET", "/api/reports/register?format=csv&hxl=true", { token: admin() });
    expect(res.status).toBe(200);
    const lines = res.text.split(/\r?\n/);
    const header = lines[0]!.split(",");
    const col = header.indexOf("Embassy that referred");
    expect(col).toBeGreaterThan(0);
    expect(lines[1]!.split(",")[col]).toBe("#affected+referral+embassy");
    const row = lines.find((l) => l.startsWith(rec.individualID))!.split(",");
    expect(row[col]).toBe("MEX");
    expect(res.text).not.toContain("Torture survivor");
  });
});

describe("import", () => {
  it("dry-runs rows mapped to configured fields: per-row results with the field's path, nothing stored", async () => {
    const f = await addField({ recordType: "individual", key: uniqueKey("progresImp"), type: "text", labels: L("proGres ID") });
    const emb = await addField({ recordType: "individual", key: uniqueKey("embImp"), type: "oneOf", options: "embassy", labels: L("Embassy") });
    const res = await call("POST", "/api/individuals?dryRun=true", {
      token: cw(),
      body: {
        rows: [
          { ref: "r1", values: { ...person(op.officeA), fields: { [f.key]: "IMP-1", [emb.key]: "MEX" } } },
          { ref: "r2", values: { ...person(op.officeA), fields: { [emb.key]: "XXX" } } },
          { ref: "r3", values: { ...person(op.officeA), fields: { nope: 1 } } },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.results[0]).toMatchObject({ ref: "r1", status: "created" });
    expect(res.json.results[0].id).toBeUndefined();
    expect(res.json.results[0].record.fields).toEqual({ [f.key]: "IMP-1", [emb.key]: "MEX" });
    expect(res.json.results[1].status).toBe("invalid");
    expect(res.json.results[1].issues[0].path).toBe(`rows.1.values.fields.${emb.key}`);
    expect(res.json.results[2].issues[0].path).toBe("rows.2.values.fields.nope");
    const stored = await call("GET", `/api/individuals?limit=50&field=${f.key}:IMP-1`, { token: cw() });
    expect(stored.json.items).toEqual([]);

    // the same rows for real: the good one is stored with its configured values
    const real = await call("POST", "/api/individuals", { token: cw(), body: { rows: [{ ref: "r1", values: { ...person(op.officeA), fields: { [f.key]: "IMP-1" } } }] } });
    expect(real.json.results[0].status).toBe("created");
    expect((await read(real.json.results[0].id)).fields).toEqual({ [f.key]: "IMP-1" });
  });
});

describe("partners", () => {
  it("lets a sharing agreement include a configured field, which the partner then reads through /v1", async () => {
    const progres = await addField({ recordType: "individual", key: uniqueKey("progresShare"), type: "text", labels: L("proGres ID") });
    const other = await addField({ recordType: "individual", key: uniqueKey("notShared"), type: "text", labels: L("Internal") });
    const secret = await addField({ recordType: "individual", key: uniqueKey("secretShare"), type: "text", sensitive: true, labels: L("Secret") });
    const rec = await register({ [progres.key]: "PRG-555", [other.key]: "internal", [secret.key]: "hidden" });
    const partner = await createPartnerKey(op.operationID, ["referrals:read"]);
    const orgID = partner.organisation.organisationID;
    const org = (await call("GET", `/api/organisations/${orgID}`, { token: admin() })).json;
    const refused = await call("PUT", `/api/organisations/${orgID}/sharing`, {
      token: admin(),
      body: { version: org.version, fields: { referral_person: ["givenName", `fields.${secret.key}`] } },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.errors[0].path).toBe("fields.referral_person.1");
    const agreed = await call("PUT", `/api/organisations/${orgID}/sharing`, {
      token: admin(),
      body: { version: org.version, fields: { referral_person: ["givenName", `fields.${progres.key}`] } },
    });
    expect(agreed.status, JSON.stringify(agreed.json)).toBe(200);
    const ref = await call("POST", "/api/referrals", {
      token: cw(),
      body: {
        officeID: op.officeA,
        individualID: rec.individualID,
        toOrganisationID: orgID,
        serviceCategory: "health",
        reason: "Medical follow-up",
        consent: { given: true, date: "2026-11-20" },
      },
    });
    expect(ref.status, JSON.stringify(ref.json)).toBe(201);
    const seen = await call("GET", `/v1/referrals/${ref.json.referralID}`, { token: partner.key });
    expect(seen.status).toBe(200);
    expect(seen.json.person.fields).toEqual({ [progres.key]: "PRG-555" });
    expect(JSON.stringify(seen.json)).not.toContain("internal");
    expect(JSON.stringify(seen.json)).not.toContain("hidden");
  });
});

describe("API description", () => {
  it("types each configured value of the operation in the record type's JSON Schema", async () => {
    const num = await addField({ recordType: "household", key: uniqueKey("rooms"), type: "number", min: 1, max: 9, labels: L("Rooms") });
    const emb = await addField({ recordType: "household", key: uniqueKey("embSchema"), type: "oneOf", options: "embassy", labels: L("Embassy") });
    const res = await call("GET", "/api/fields/json-schema?recordType=household", { token: cw() });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.additionalProperties).toBe(false);
    expect(JSON.stringify(res.json.properties[num.key])).toContain('"maximum":9');
    expect(JSON.stringify(res.json.properties[emb.key])).toContain('"MEX"');
    expect(res.json.properties[num.key].title ?? JSON.stringify(res.json.properties[num.key])).toContain("Rooms");
  });
});
