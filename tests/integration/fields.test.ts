import { beforeAll, describe, expect, it } from "vitest";
import { coerceConfiguredCell } from "@waypoint/schema/fields";
import { Job } from "@waypoint/core";
import { IndividualEntity } from "@waypoint/core/individual/individual.entity";
import {
  FIELD_INDEX_BACKFILL_JOB,
  FieldIndexStateEntity,
  FieldValueEntity,
} from "@waypoint/core/fields/value-index.entity";
import { as, call, createPartnerKey, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

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

  it("lists a record type's fields in the admin's order: by position, then in the order they were added", async () => {
    // keys chosen so that alphabetical order would differ from the order added
    const zeta = await addField({ recordType: "referral", key: uniqueKey("zeta"), type: "text", labels: L("Zeta") });
    const alpha = await addField({ recordType: "referral", key: uniqueKey("alpha"), type: "text", labels: L("Alpha") });
    const first = await addField({ recordType: "referral", key: uniqueKey("mid"), type: "text", position: 1, labels: L("Mid") });
    const res = await call("GET", "/api/fields?recordType=referral", { token: cw() });
    expect(res.status).toBe(200);
    const keys = (res.json.items as { key: string }[]).map((d) => d.key);
    expect(keys).toEqual([first.key, zeta.key, alpha.key]);
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

describe("the configured-value index (list filter as a query)", () => {
  it("answers a filter from the index: results equal a recount of the records after creates, updates, a bulk PATCH, an erasure, and the one-time backfill of values saved before it", async () => {
    const t = await createTestOperation();
    const adm = t.users.admin.token;
    const tok = t.users.caseworker.token;
    const add = async (body: Record<string, unknown>) => {
      const res = await call("POST", "/api/fields", { token: adm, body });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    };
    const list = await call("POST", "/api/code-lists", {
      token: adm,
      body: { listKey: "needsIdx", labels: L("Needs"), codes: ["X", "Y", "Z"].map((code) => ({ code, labels: L(code) })) },
    });
    expect(list.status).toBe(201);
    await add({ recordType: "individual", key: "site", type: "text", labels: L("Site") });
    await add({ recordType: "individual", key: "needs", type: "manyOf", options: "needsIdx", labels: L("Needs") });
    await add({ recordType: "individual", key: "pregnant", type: "yesNo", labels: L("Pregnant") });
    const reg = async (fields: Record<string, unknown>) => {
      const res = await call("POST", "/api/individuals", { token: tok, body: { ...person(t.officeA), fields } });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return res.json.individualID as string;
    };
    const a = await reg({ site: "Norte", needs: ["X", "Y"], pregnant: true });
    const b = await reg({ site: "Nórte", needs: ["Y"] });
    const c = await reg({ site: "Sur", pregnant: false });
    const d = await reg({ site: "Sur" });
    const e = await reg({ needs: ["Z"] });
    const mine = [a, b, c, d, e];
    // d's value written straight to the table, as a record saved before the index existed: only the backfill has it
    await as(system, () => IndividualEntity.patch({ individualID: d }).set({ fields: { site: "Norte" } }).go());

    const filter = async (spec: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; json: { items: { individualID: string }[]; nextCursor: string | null } } =
          await call("GET", `/api/individuals?limit=2&field=${encodeURIComponent(spec)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: tok });
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        ids.push(...res.json.items.map((i) => i.individualID));
        cursor = res.json.nextCursor;
      } while (cursor);
      return ids.sort();
    };
    const fold = (v: unknown) => String(v).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
    /** The records of this test that hold the value, read one by one. */
    const recount = async (key: string, want: string) => {
      const out: string[] = [];
      for (const id of mine) {
        const r = await call("GET", `/api/individuals/${id}`, { token: tok });
        if (r.status !== 200) continue;
        const v = (r.json.fields ?? {})[key];
        if (v === undefined || v === null) continue;
        if (Array.isArray(v) ? v.some((x) => fold(x) === fold(want)) : fold(v) === fold(want)) out.push(id);
      }
      return out.sort();
    };
    const specs: [string, string][] = [["site", "norte"], ["site", "SUR"], ["needs", "y"], ["needs", "Z"], ["pregnant", "true"], ["pregnant", "false"]];
    const check = async () => {
      for (const [key, want] of specs) expect(await filter(`${key}:${want}`), `${key}:${want}`).toEqual(await recount(key, want));
    };

    // the first filter starts the one-time backfill (and is answered by reading the register meanwhile)
    expect(await filter("site:norte")).toEqual([a, b, d].sort());
    expect((await as(system, () => FieldIndexStateEntity.get({ operationID: t.operationID }).go())).data?.state).toBe("pending");
    await as(system, () => Job.run({ kinds: [FIELD_INDEX_BACKFILL_JOB], limit: 1000 }));
    expect((await as(system, () => FieldIndexStateEntity.get({ operationID: t.operationID }).go())).data?.state).toBe("done");
    await check();

    // updates: a changed value, a cleared one, a many-of changed, through PATCH and bulk PATCH
    const ver = async (id: string) => (await call("GET", `/api/individuals/${id}`, { token: tok })).json.version as number;
    expect((await patch(b, await ver(b), { fields: { site: "Sur", needs: ["X", "Z"] } }, tok)).status).toBe(200);
    expect((await patch(a, await ver(a), { fields: { site: null, pregnant: false } }, tok)).status).toBe(200);
    const bulk = await call("PATCH", "/api/individuals", {
      token: tok,
      body: { rows: [{ id: c, version: await ver(c), changes: { fields: { site: "norte", needs: ["Y"] } } }] },
    });
    expect(bulk.json.results[0].status).toBe("saved");
    await check();
    expect(await filter("site:norte")).toEqual([c, d].sort());

    // erasure: the person leaves the results and no index item of theirs is left
    const erased = await call("POST", `/api/individuals/${c}/erase`, { token: t.users.supervisor.token, body: { reason: "asked" } });
    expect(erased.status, JSON.stringify(erased.json)).toBe(200);
    await check();
    expect(await filter("site:norte")).toEqual([d]);
    expect((await as(system, () => FieldValueEntity.query.primary({ ownerID: c }).go())).data).toEqual([]);

    // the answer is the index's: a value written past it (not through core) is not found, a query not a scan
    await as(system, () => IndividualEntity.patch({ individualID: e }).set({ fields: { site: "Norte" } }).go());
    expect(await filter("site:norte")).toEqual([d]);
  });
});

describe("report disaggregation by a configured field", () => {
  it("breaks the AGD and people-by-sex tables down by a one-of, many-of or yes/no field, labelled in the reader's language, small counts withheld as in exports", async () => {
    const t = await createTestOperation();
    const adm = t.users.admin.token;
    const list = await call("POST", "/api/code-lists", {
      token: adm,
      body: {
        listKey: "embassyRep",
        labels: L("Embassies"),
        codes: [
          { code: "MEX", labels: { en: "Embassy of Mexico", es: "Embajada de México", fr: "Ambassade du Mexique", ar: "سفارة المكسيك" } },
          { code: "ITA", labels: { en: "Embassy of Italy", es: "Embajada de Italia", fr: "Ambassade d'Italie", ar: "سفارة إيطاليا" } },
        ],
      },
    });
    expect(list.status).toBe(201);
    const add = async (body: Record<string, unknown>) =>
      expect((await call("POST", "/api/fields", { token: adm, body })).status).toBe(201);
    await add({
      recordType: "individual",
      key: "referredBy",
      type: "oneOf",
      options: "embassyRep",
      hxl: "#org+referrer",
      labels: { en: "Referred by embassy", es: "Referida por embajada", fr: "Orientée par l'ambassade", ar: "أحالتها السفارة" },
    });
    await add({ recordType: "individual", key: "helpedBy", type: "manyOf", options: "embassyRep", labels: L("Helped by") });
    await add({ recordType: "individual", key: "pregnantRep", type: "yesNo", labels: L("Pregnant") });
    await add({ recordType: "individual", key: "noteRep", type: "text", labels: L("Note") });
    const values = [
      ...Array.from({ length: 5 }, () => ({ referredBy: "MEX", helpedBy: ["MEX", "ITA"], pregnantRep: true })),
      { referredBy: "ITA", helpedBy: ["ITA"], pregnantRep: false },
      {},
    ];
    for (const [i, fields] of values.entries()) {
      const res = await call("POST", "/api/individuals", {
        token: t.users.caseworker.token,
        body: { ...person(t.officeA), dateOfBirth: `${1975 + i * 2}-05-0${i + 1}`, fields },
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    }
    type T = { columns: { header: string; hxl: string }[]; rows: (string | number | null)[][] };
    const table = async (name: string, q: string) => {
      const res = await call("GET", `/api/reports/${name}?format=json&${q}`, { token: adm });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json as T;
    };
    const cell = (tb: T, row: string, col: string) => tb.rows.find((r) => r[0] === row)?.[tb.columns.findIndex((c) => c.header === col)];

    // AGD by the one-of in Spanish, every count: codes as labels, a "no value" row, a totals row
    const all = await table("individuals-agd", "by=fields.referredBy&lang=es&suppressBelow=0");
    expect(all.columns[0]).toEqual({ header: "Referida por embajada", hxl: "#org+referrer", count: undefined });
    expect(all.rows.map((r) => r[0])).toEqual(["Embajada de México", "Embajada de Italia", "Sin valor", "Total"]);
    expect(cell(all, "Embajada de México", "Female 18-59")).toBe(5);
    expect(cell(all, "Embajada de Italia", "Female 18-59")).toBe(1);
    expect(cell(all, "Sin valor", "Total")).toBe(1);
    expect(cell(all, "Total", "Total")).toBe(7);

    // the default export suppression withholds the single person (and what would give them away)
    const safe = await table("individuals-agd", "by=fields.referredBy&lang=ar");
    expect(safe.rows.map((r) => r[0])).toEqual(["سفارة المكسيك", "سفارة إيطاليا", "بلا قيمة", "Total"]);
    expect(cell(safe, "سفارة المكسيك", "Female 18-59")).toBe(5);
    expect(cell(safe, "سفارة إيطاليا", "Female 18-59")).toBeNull();
    expect(cell(safe, "سفارة إيطاليا", "Total")).toBeNull();

    // a many-of counts each person under each code they hold: no totals row
    const many = await table("individuals-nationality", "by=fields.helpedBy&lang=fr&suppressBelow=0");
    expect(many.columns[0]!.header).toBe("Helped by (fr)");
    expect(many.rows.map((r) => [r[0], r[r.length - 1]])).toEqual([
      ["Ambassade du Mexique", 5],
      ["Ambassade d'Italie", 6],
      ["Sans valeur", 1],
    ]);
    // yes / no
    const yes = await table("individuals-nationality", "by=fields.pregnantRep&lang=es&suppressBelow=0");
    expect(yes.rows.map((r) => [r[0], r[1]])).toEqual([["Sí", 5], ["No", 1], ["Sin valor", 1], ["Total", 7]]);

    // refused: a free-text field, an unknown one, a report without people rows
    for (const [name, by] of [["individuals-agd", "fields.noteRep"], ["individuals-agd", "fields.nope"], ["cases", "fields.referredBy"]]) {
      const res = await call("GET", `/api/reports/${name}?format=json&by=${by}`, { token: adm });
      expect(res.status, `${name} ${by}`).toBe(422);
      expect(JSON.stringify(res.json)).toContain('"by"');
    }
  });
});
