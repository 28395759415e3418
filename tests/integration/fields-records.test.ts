import { beforeAll, describe, expect, it } from "vitest";
import { Audit } from "@waypoint/core";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

/**
 * Configured fields on every record type the issue names beyond individuals, households and cases (issue 19):
 * assessment, referral, appointment, incident, host, return and payee carry `fields: {<key>: value}`, created,
 * bulk-patched (conditional on version, audited), withheld from roles a field is not visible to, and refused with
 * the path `fields.<key>` when the value is wrong.
 */
let op: TestOperation;
let n = 0;
const L = (en: string) => ({ en, es: `${en} (es)`, fr: `${en} (fr)`, ar: `${en} (ar)` });
const tok = (role: keyof TestOperation["users"]) => op.users[role].token;

interface Kind {
  recordType: string;
  path: string;
  idKey: string;
  /** Who creates and edits it (and sees every field but the one visible to `hiddenWriter` only). */
  writer: keyof TestOperation["users"];
  /** The only role the hidden field is visible to: it writes that value. */
  hiddenWriter: keyof TestOperation["users"];
  /** A role that reads the record but not the hidden field. */
  reader: keyof TestOperation["users"];
  body: () => Promise<Record<string, unknown>>;
}

let individualID = "";
let caseID = "";
let day = 3;
const slot = (hh: string) => {
  const d = new Date(Date.now() + day * 86_400_000).toISOString().slice(0, 10);
  return `${d}T${hh}:00:00.000Z`;
};

const kinds: Kind[] = [
  {
    recordType: "assessment",
    path: "/api/assessments",
    idKey: "assessmentID",
    writer: "caseworker",
    hiddenWriter: "supervisor",
    reader: "caseworker",
    body: async () => ({ caseID, kind: "socio_economic", summary: "Household income assessed" }),
  },
  {
    recordType: "referral",
    path: "/api/referrals",
    idKey: "referralID",
    writer: "caseworker",
    hiddenWriter: "supervisor",
    reader: "caseworker",
    body: async () => ({
      officeID: op.officeA,
      individualID,
      serviceCategory: "legal",
      reason: "Asylum claim",
      consent: { given: true },
    }),
  },
  {
    recordType: "appointment",
    path: "/api/appointments",
    idKey: "appointmentID",
    writer: "caseworker",
    hiddenWriter: "supervisor",
    reader: "caseworker",
    body: async () => {
      day += 1;
      return { officeID: op.officeA, kind: "interview", room: `Sala ${day}`, start: slot("09"), end: slot("10") };
    },
  },
  {
    recordType: "incident",
    path: "/api/incidents",
    idKey: "incidentID",
    writer: "caseworker",
    hiddenWriter: "supervisor",
    reader: "caseworker",
    body: async () => ({
      officeID: op.officeA,
      kind: "sgbv",
      dateOfIncident: "2026-10-02",
      description: "Reported near the shelter",
      assignedTo: op.users.caseworker.userID,
    }),
  },
  {
    recordType: "host",
    path: "/api/hosts",
    idKey: "hostID",
    writer: "caseworker",
    hiddenWriter: "supervisor",
    reader: "caseworker",
    body: async () => ({
      officeID: op.officeA,
      kind: "family",
      name: `Familia ${++n}`,
      capacity: 3,
      adm1: "MX07",
      contractStart: "2026-01-01",
      contractEnd: "2026-12-31",
      visitEveryDays: 30,
    }),
  },
  {
    recordType: "return",
    path: "/api/returns",
    idKey: "returnID",
    writer: "caseworker",
    hiddenWriter: "supervisor",
    reader: "caseworker",
    body: async () => ({ officeID: op.officeA, individualIDs: [individualID], countryOfReturn: "HND" }),
  },
  {
    recordType: "payee",
    path: "/api/payees",
    idKey: "payeeID",
    writer: "finance",
    hiddenWriter: "finance",
    reader: "finance_approver",
    body: async () => ({
      kind: "individual",
      name: `María López ${++n}`,
      channel: { type: "bank", accountNumber: "012180001234567897" },
    }),
  },
];

async function addField(body: Record<string, unknown>) {
  const res = await call("POST", "/api/fields", { token: tok("admin"), body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.field as { key: string };
}

async function ids(k: Kind, token: string): Promise<string[]> {
  const res = await call("GET", `${k.path}?limit=1000`, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json.items as Record<string, string>[]).map((r) => r[k.idKey]!);
}

beforeAll(async () => {
  op = await createTestOperation();
  const [p] = await people(op, [{ age: 34 }]);
  individualID = p!.individualID;
  caseID = (await caseWith(op, "protection", [individualID])).caseID;
});

describe("configured fields on every record type", () => {
  for (const k of kinds)
    it(`${k.recordType}: a value is stored, read back, bulk-patched and audited; a wrong one is refused with its path; a hidden one is withheld`, async () => {
      const code = await addField({ recordType: k.recordType, key: `code${++n}`, type: "text", labels: L("Code") });
      const count = await addField({
        recordType: k.recordType,
        key: `count${++n}`,
        type: "number",
        min: 0,
        integer: true,
        labels: L("Count"),
      });
      const hidden = await addField({
        recordType: k.recordType,
        key: `secret${++n}`,
        type: "text",
        labels: L("Secret"),
        visibleTo: [k.hiddenWriter],
      });
      const locked = await addField({
        recordType: k.recordType,
        key: `locked${++n}`,
        type: "text",
        labels: L("Locked"),
        editableBy: ["admin"],
      });
      const writer = tok(k.writer);

      // a wrong value: 422 at fields.<key>, and nothing stored
      const before = await ids(k, writer);
      const bad = await call("POST", k.path, {
        token: writer,
        body: { ...(await k.body()), fields: { [count.key]: -2 } },
      });
      expect(bad.status, JSON.stringify(bad.json)).toBe(422);
      expect(bad.json.errors.map((e: { path: string }) => e.path)).toContain(`fields.${count.key}`);
      expect((await ids(k, writer)).sort()).toEqual(before.sort());

      // a value stored and read back
      const made = await call("POST", k.path, {
        token: writer,
        body: { ...(await k.body()), fields: { [code.key]: "MIM-1", [count.key]: 2 } },
      });
      expect(made.status, JSON.stringify(made.json)).toBe(201);
      const id = made.json[k.idKey] as string;
      const got = await call("GET", `${k.path}/${id}`, { token: writer });
      expect(got.json.fields).toEqual({ [code.key]: "MIM-1", [count.key]: 2 });

      // bulk PATCH merges per key, conditional on the version; a bad row is invalid with its path and changes nothing
      const rejected = await call("PATCH", k.path, {
        token: writer,
        body: { rows: [{ id, version: got.json.version, changes: { fields: { [count.key]: 1.5 } } }] },
      });
      expect(rejected.json.results[0].status).toBe("invalid");
      expect(JSON.stringify(rejected.json.results[0])).toContain(`fields.${count.key}`);
      const saved = await call("PATCH", k.path, {
        token: writer,
        body: { rows: [{ id, version: got.json.version, changes: { fields: { [count.key]: 5 } } }] },
      });
      expect(saved.json.results[0].status, JSON.stringify(saved.json)).toBe("saved");
      const stale = await call("PATCH", k.path, {
        token: writer,
        body: { rows: [{ id, version: got.json.version, changes: { fields: { [count.key]: 7 } } }] },
      });
      expect(stale.json.results[0].status).toBe("conflict");
      // a field only admins may edit: the row is refused, nothing changes
      const refused = await call("PATCH", k.path, {
        token: writer,
        body: { rows: [{ id, version: got.json.version + 1, changes: { fields: { [locked.key]: "x" } } }] },
      });
      expect(refused.json.results[0].status).toBe("forbidden");
      const after = await call("GET", `${k.path}/${id}`, { token: writer });
      expect(after.json.fields).toEqual({ [code.key]: "MIM-1", [count.key]: 5 });
      expect(after.json.version).toBe(got.json.version + 1);

      // the change is in the record's audit trail with the field's label
      const trail = await as({ ...system, operationID: op.operationID }, () =>
        Audit.history({ recordID: id, limit: 100 }),
      );
      const update = trail.items.find((e) => e.action === "update" && e.changes?.[`fields.${count.key}`]);
      expect(update?.changes?.[`fields.${count.key}`]).toMatchObject({ before: 2, after: 5 });

      // a field visible to one role only: written by it, absent for a role not in visibleTo
      const h = await call("PATCH", k.path, {
        token: tok(k.hiddenWriter),
        body: { rows: [{ id, version: after.json.version, changes: { fields: { [hidden.key]: "only us" } } }] },
      });
      expect(h.json.results[0].status, JSON.stringify(h.json)).toBe("saved");
      const own = await call("GET", `${k.path}/${id}`, { token: tok(k.hiddenWriter) });
      expect(own.json.fields[hidden.key]).toBe("only us");
      const other = await call("GET", `${k.path}/${id}`, { token: tok(k.reader) });
      expect(other.status).toBe(200);
      expect(other.json.fields).not.toHaveProperty(hidden.key);
      expect(other.json.fields[code.key]).toBe("MIM-1");
      expect(other.json.redacted).toContain(`fields.${hidden.key}`);
      const listed = (await call("GET", `${k.path}?limit=1000`, { token: tok(k.reader) })).json.items.find(
        (r: Record<string, unknown>) => r[k.idKey] === id,
      );
      expect(listed.fields).not.toHaveProperty(hidden.key);
      // the reader's own edit of another field keeps the hidden value (merged per key on the stored record)
      const readerEdit = await call("PATCH", k.path, {
        token: tok(k.reader === "finance_approver" ? "finance" : k.reader),
        body: { rows: [{ id, version: other.json.version, changes: { fields: { [code.key]: "MIM-2" } } }] },
      });
      if (k.reader !== "finance_approver") {
        expect(readerEdit.json.results[0].status, JSON.stringify(readerEdit.json)).toBe("saved");
        const kept = await call("GET", `${k.path}/${id}`, { token: tok(k.hiddenWriter) });
        expect(kept.json.fields).toMatchObject({ [hidden.key]: "only us", [code.key]: "MIM-2" });
      }
    });
});

describe("reference values", () => {
  it("must point to a record of the referenced type that exists in the operation", async () => {
    const ref = await addField({
      recordType: "referral",
      key: `person${++n}`,
      type: "reference",
      referenceType: "individual",
      labels: L("Referred person"),
    });
    const body = await kinds[1]!.body();
    // shaped like an individual ID, but no such person here
    const ghost = "ind_01JZZZZZZZZZZZZZZZZZZZZZZZ";
    const before = await ids(kinds[1]!, tok("caseworker"));
    const bad = await call("POST", "/api/referrals", {
      token: tok("caseworker"),
      body: { ...body, fields: { [ref.key]: ghost } },
    });
    expect(bad.status, JSON.stringify(bad.json)).toBe(422);
    const issue = bad.json.errors.find((e: { path: string }) => e.path === `fields.${ref.key}`);
    expect(issue?.message).toBe("no such individual in this operation");
    expect((await ids(kinds[1]!, tok("caseworker"))).sort()).toEqual(before.sort());
    // a person of another operation is refused the same way
    const elsewhere = await createTestOperation();
    const [stranger] = await people(elsewhere, [{ age: 51 }]);
    const foreign = await call("POST", "/api/referrals", {
      token: tok("caseworker"),
      body: { ...body, fields: { [ref.key]: stranger!.individualID } },
    });
    expect(foreign.status).toBe(422);
    const ok = await call("POST", "/api/referrals", {
      token: tok("caseworker"),
      body: { ...body, fields: { [ref.key]: individualID } },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    expect(ok.json.fields[ref.key]).toBe(individualID);
  });
});
