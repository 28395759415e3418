import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { IntakeReviewEntity, LeadEntity } from "@waypoint/core/intake/intake.entity";
import { call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

/**
 * Kobo intake that loses nothing: every answer of each oracle submission stays with its intake (mapped ones in
 * the lead's fields, the rest beside them), and Kobo's edit of a submission (same `_id`, `meta/deprecatedID`
 * naming the earlier `meta/instanceID`) updates that intake and records what changed, never a second one.
 */
const oracle = (f: string) =>
  JSON.parse(readFileSync(new URL(`../../../shared/oracles/kobo/${f}`, import.meta.url), "utf8"));

type Sub = Record<string, unknown>;
let ops: TestOperation;
let kobo: Awaited<ReturnType<typeof createPartnerKey>>;
let admin: string;

/** Every primitive answer of a submission (whatever its nesting), as JSON text: what must not be lost. */
function leaves(v: unknown): string[] {
  if (Array.isArray(v)) {
    if (v.length && v.every((r) => r && typeof r === "object" && !Array.isArray(r))) return v.flatMap(leaves);
    return [JSON.stringify(v)];
  }
  if (v && typeof v === "object") {
    const entries = Object.values(v as object);
    return entries.length ? entries.flatMap(leaves) : [JSON.stringify(v)];
  }
  return [JSON.stringify(v)];
}

async function intakesOf(formID: string) {
  const leads = (
    await LeadEntity.query.byOperation({ operationID: ops.operationID }).go({ pages: "all" })
  ).data.filter((l) => l.formID === formID);
  const reviews = (
    await IntakeReviewEntity.query.byOperation({ operationID: ops.operationID }).go({ pages: "all" })
  ).data.filter((r) => r.formID === formID);
  return { leads, reviews };
}

const post = (formID: string, body: unknown) =>
  call("POST", `/v1/intake/kobo/${formID}`, { body, headers: { "x-waypoint-key": kobo.key } });

/** Kobo's edit of a submission: a new instance ID naming the one it replaces, the same `_id`. */
function edited(sub: Sub, n: number, changes: Sub): Sub {
  return {
    ...sub,
    ...changes,
    "meta/instanceID": `uuid:edit-${n}-${String(sub["meta/instanceID"]).slice(5)}`,
    "meta/deprecatedID": sub["meta/instanceID"],
  };
}

beforeAll(async () => {
  ops = await createTestOperation();
  kobo = await createPartnerKey(ops.operationID, ["intake:kobo"], "Field team");
  admin = ops.users.admin.token;
  await call("PUT", "/api/kobo-forms/rgv1", {
    token: admin,
    body: {
      name: "Household visit",
      fields: {
        "household_visit/household_location": { field: "location" },
        "household_visit/houshold_member_repeat/household_member_name": { field: "fullName" },
      },
    },
  });
  await call("PUT", "/api/kobo-forms/aPYSXuXP6o9YS8zU39TkyL", {
    token: admin,
    body: {
      name: "121 registration",
      phoneCountry: "NL",
      fields: {
        fullName: { field: "fullName" },
        sex: { field: "sex", values: { Female: "female", Male: "male" } },
        birthYear: { field: "birthYear" },
        phoneNumber: { field: "phone" },
      },
    },
  });
});

describe("Kobo intake keeps every answer and follows edits", () => {
  it("each oracle submission and an edit of it keep every answer and make one intake", async () => {
    const cases: [string, Sub][] = [
      ...oracle("formpack_grouped_repeatable_v1.json").submissions.map((s: Sub) => ["rgv1", s] as [string, Sub]),
      ...oracle("formpack_hxl_grouped_repeatable_v1.json").submissions.map(
        (s: Sub) => ["hxlrgv1", s] as [string, Sub],
      ),
      ["aPYSXuXP6o9YS8zU39TkyL", oracle("rodekruis-kobo-connect_kobo_data.json")],
      ["aeiaPbvwnbj4KZJUj899kr", oracle("rodekruis-kobo-connect_kobo_data_espo.json")],
    ];
    for (const [formID, sub] of cases) {
      const first = await post(formID, sub);
      expect(first.status).toBe(201);
      const id = first.json.id as string;
      // every answer is kept with the intake: a lead's answers, or the review's whole payload
      const keptAnswers = async (intakeID: string) => {
        if (intakeID.startsWith("led_")) {
          const lead = await call("GET", `/api/intake/leads/${intakeID}`, { token: admin });
          expect(lead.status).toBe(200);
          return lead.json.answers as Sub;
        }
        const r = (await IntakeReviewEntity.get({ reviewID: intakeID }).go()).data!;
        return JSON.parse(r.payload!) as Sub;
      };
      const kept = leaves(await keptAnswers(id)).sort();
      expect(kept).toEqual(leaves(sub).sort());

      // Kobo's edit: one answer changed, one added
      const change: Sub =
        formID === "rgv1" || formID === "hxlrgv1"
          ? { "household_visit/household_location": `${sub["household_visit/household_location"]} (moved)` }
          : formID === "aeiaPbvwnbj4KZJUj899kr"
            ? { task_name: "kobo-connect unit test, corrected" }
            : { wardName: "Siavonga" };
      const edit = edited(sub, 1, { ...change, extra_note: "added on edit" });
      const res = await post(formID, edit);
      expect(res.status).toBe(200);
      expect(res.json.outcome).toBe("updated");
      // Kobo retries the edit: a duplicate, nothing more
      const again = await post(formID, edit);
      expect(again.json.outcome).toBe("duplicate");
      expect(again.json.id).toBe(res.json.id);

      const now = await intakesOf(formID);
      const same = [...now.leads, ...now.reviews].filter(
        (i) => i.instanceID === edit["meta/instanceID"],
      );
      expect(same).toHaveLength(1); // one intake for the submission and its edit
      expect(
        [...now.leads, ...now.reviews].filter((i) => i.instanceID === sub["meta/instanceID"]),
      ).toHaveLength(0);
      const keptAfter = leaves(await keptAnswers(res.json.id)).sort();
      expect(keptAfter).toEqual(leaves(edit).sort());
      const history = (same[0] as { history?: { changes: Record<string, unknown> }[] }).history!;
      expect(history).toHaveLength(1);
      expect(Object.keys(history[0]!.changes).sort()).toEqual([...Object.keys(change), "extra_note"].sort());
    }
    // the mapped form's leads took the edited location into their field
    const rg = await intakesOf("rgv1");
    expect(rg.leads).toHaveLength(6);
    expect(rg.leads.every((l) => l.location?.endsWith("(moved)"))).toBe(true);
    const boston = rg.leads.find((l) => l.location === "boston (moved)")!;
    const audit = (await AuditEntity.query.byRecord({ recordID: boston.leadID }).go()).data;
    expect(audit.map((a) => a.action)).toContain("kobo.edit");
    expect(audit.find((a) => a.action === "kobo.edit")!.changes).toMatchObject({
      location: { before: "boston", after: "boston (moved)" },
    });
    // answers no field holds are shown apart to reviewers
    const detail = await call("GET", `/api/intake/leads/${boston.leadID}`, { token: ops.users.caseworker.token });
    expect(detail.json.otherAnswers).toMatchObject({ extra_note: "added on edit", "meta/formUID": expect.any(String) });
    expect(Object.keys(detail.json.otherAnswers)).not.toContain("household_visit/household_location");
  });

  it("an edit that fixes an unmappable 121 submission turns its review into the lead, with the history", async () => {
    const sub = { ...oracle("rodekruis-kobo-connect_kobo_data.json"), _id: 99001, "meta/instanceID": "uuid:fix-1" };
    const first = await post("aPYSXuXP6o9YS8zU39TkyL", sub);
    expect(first.json.outcome).toBe("queued");
    const fixed = await post("aPYSXuXP6o9YS8zU39TkyL", edited(sub, 1, { birthYear: "1990" }));
    expect(fixed.json.outcome).toBe("updated");
    const lead = (await LeadEntity.get({ leadID: fixed.json.id }).go()).data!;
    expect(lead.birthYear).toBe(1990);
    expect(lead.koboID).toBe("99001");
    const review = (await IntakeReviewEntity.get({ reviewID: first.json.id }).go()).data!;
    expect(review).toMatchObject({ status: "resolved", decision: "lead", leadID: lead.leadID });
    expect(review.payload).toBeUndefined();
    // a later edit (same _id) goes to the lead, not to a new intake
    const later = await post(
      "aPYSXuXP6o9YS8zU39TkyL",
      edited({ ...sub, "meta/instanceID": "uuid:edit-1-fix-1", birthYear: "1990" }, 2, { wardName: "Choma" }),
    );
    expect(later.json).toMatchObject({ outcome: "updated", id: lead.leadID });
    const after = (await LeadEntity.get({ leadID: lead.leadID }).go()).data!;
    expect(JSON.parse(after.answers!).wardName).toBe("Choma");
    expect((after.history as unknown[]).length).toBe(2);
  });

  it("an edit of a lead already registered is flagged for review and leaves the lead's fields alone", async () => {
    const sub = {
      ...oracle("rodekruis-kobo-connect_kobo_data.json"),
      _id: 99002,
      "meta/instanceID": "uuid:reg-1",
      birthYear: "1985",
    };
    const first = await post("aPYSXuXP6o9YS8zU39TkyL", sub);
    expect(first.json.outcome).toBe("created");
    const moved = await call("POST", `/api/intake/leads/${first.json.id}/status`, {
      token: admin,
      body: { version: 1, status: "registered" },
    });
    expect(moved.status).toBe(200);
    // Kobo sends the edit without meta/deprecatedID pointing at us (only the same _id): still the same intake
    const edit = { ...sub, "meta/instanceID": "uuid:reg-1-edit", fullName: "Other Person", birthYear: "1970" };
    const res = await post("aPYSXuXP6o9YS8zU39TkyL", edit);
    expect(res.json).toMatchObject({ outcome: "updated", id: first.json.id });
    const lead = await call("GET", `/api/intake/leads/${first.json.id}`, { token: admin });
    expect(lead.json).toMatchObject({ givenName: "asdf", birthYear: 1985, status: "registered" });
    expect(lead.json.reviewFlag).toMatchObject({ reason: "edited_after_acceptance" });
    expect(lead.json.history[0]).toMatchObject({
      applied: false,
      changes: { fullName: { before: "asdf", after: "Other Person" }, birthYear: { before: "1985", after: "1970" } },
    });
    expect(lead.json.answers.fullName).toBe("Other Person");
    // a caseworker may not clear it; an admin does, with the version
    const cw = await call("POST", `/api/intake/leads/${first.json.id}/reviewed`, {
      token: ops.users.caseworker.token,
      body: { version: lead.json.version },
    });
    expect(cw.status).toBe(403);
    const ok = await call("POST", `/api/intake/leads/${first.json.id}/reviewed`, {
      token: admin,
      body: { version: lead.json.version, note: "Checked with the person" },
    });
    expect(ok.status).toBe(200);
    expect((await LeadEntity.get({ leadID: first.json.id }).go()).data!.reviewFlag).toBeUndefined();
  });

  it("leads and waiting submissions export as formula-safe CSV with every answer", async () => {
    const sub = {
      ...oracle("rodekruis-kobo-connect_kobo_data.json"),
      _id: 99003,
      "meta/instanceID": "uuid:csv-1",
      birthYear: "1991",
      wardName: '=HYPERLINK("http://x.example","y")',
      zrcsName: "+1 202",
    };
    expect((await post("aPYSXuXP6o9YS8zU39TkyL", sub)).json.outcome).toBe("created");
    const csv = await call("GET", "/api/intake/export?kind=leads", { token: ops.users.caseworker.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = csv.text as string;
    expect(text.split("\r\n")[0]).toContain("answer:wardName");
    expect(text).toContain(`"'=HYPERLINK(""http://x.example"",""y"")"`);
    expect(text).toContain("'+1 202");
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    const reviews = await call("GET", "/api/intake/export?kind=reviews", { token: ops.users.caseworker.token });
    expect(reviews.status).toBe(403);
    const forAdmin = await call("GET", "/api/intake/export?kind=reviews", { token: admin });
    expect(forAdmin.status).toBe(200);
    expect(forAdmin.text).toContain("answer:_xform_id_string");
  });
});
