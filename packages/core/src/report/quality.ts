import type { DataQualityIssue, DataQualityKind, DataQualityReport } from "@waypoint/schema/reports";
import { specificNeedsCategory } from "@waypoint/schema/codes";
import { Actor } from "../actor.ts";
import { assertOffice, ageAt, context, mayRead, visible, zoned } from "./dims.ts";
import { projection, type IndividualRow } from "./projection.ts";
import { ForbiddenError } from "../common/errors.ts";
import { localDate } from "../common/zone.ts";
import { FieldValues } from "../fields/values.ts";
import { recordRows } from "../fields/records.ts";

interface Check {
  resource: DataQualityIssue["resource"];
  severity: DataQualityIssue["severity"];
  title: string;
  suggestedFix: string;
}

/** What each inconsistency means and how a registry admin resolves it. */
export const Checks: Record<DataQualityKind, Check> = {
  "missing.sex": {
    resource: "individuals",
    severity: "warning",
    title: "Sex not recorded",
    suggestedFix:
      "Record the sex from the registration interview or identity document; AGD figures count these people as unknown.",
  },
  "missing.birth": {
    resource: "individuals",
    severity: "error",
    title: "No date of birth and no estimated age",
    suggestedFix: "Enter the date of birth, or an estimated age in years when the person does not know it.",
  },
  "missing.legalStatus": {
    resource: "individuals",
    severity: "warning",
    title: "Legal status unknown",
    suggestedFix: "Record the legal status (asylum seeker, refugee, migrant…) from the person's documents.",
  },
  "missing.nationality": {
    resource: "individuals",
    severity: "error",
    title: "Nationality missing",
    suggestedFix: "Enter the ISO 3166 alpha-3 country code; use XXX for stateless persons.",
  },
  "missing.relationshipToHead": {
    resource: "individuals",
    severity: "warning",
    title: "Household member without a relationship to the head",
    suggestedFix: "Set the relationship to the head of household (spouse, child, …).",
  },
  "date.futureBirth": {
    resource: "individuals",
    severity: "error",
    title: "Date of birth in the future",
    suggestedFix: "Correct the date of birth (day and month swapped, or wrong year).",
  },
  "date.birthBefore1900": {
    resource: "individuals",
    severity: "error",
    title: "Date of birth before 1900",
    suggestedFix: "Correct the year of birth; if unknown, clear it and record an estimated age.",
  },
  "date.registeredBeforeBirth": {
    resource: "individuals",
    severity: "error",
    title: "Registered before being born",
    suggestedFix: "The date of birth is after the registration date: correct the date of birth.",
  },
  "needs.womanAtRiskMale": {
    resource: "individuals",
    severity: "warning",
    title: "Woman at risk (WR) recorded on a male",
    suggestedFix: "Check the sex; if it is right, replace WR with the specific need that applies.",
  },
  "needs.childCodeOnAdult": {
    resource: "individuals",
    severity: "warning",
    title: "Child at risk / UASC recorded on an adult",
    suggestedFix:
      "Check the date of birth; if the person is now 18 or older, close the child codes and review the case.",
  },
  "needs.olderPersonUnder60": {
    resource: "individuals",
    severity: "warning",
    title: "Older person at risk (ER) recorded on someone under 60",
    suggestedFix:
      "Check the date of birth or estimated age; otherwise replace ER with the specific need that applies.",
  },
  "household.noHead": {
    resource: "households",
    severity: "error",
    title: "Household without a head",
    suggestedFix: "Set one member's relationship to 'Head of household' (or the household's head).",
  },
  "household.severalHeads": {
    resource: "households",
    severity: "error",
    title: "Household with several heads",
    suggestedFix: "Keep one head; set the others' relationship (spouse, sibling, …).",
  },
  "duplicate.unresolved": {
    resource: "individuals",
    severity: "error",
    title: "Possible duplicates: same identity document number",
    suggestedFix:
      "Open the records side by side; deactivate the duplicate (status inactive) or correct the document number.",
  },
  "missing.configuredField": {
    resource: "individuals",
    severity: "warning",
    title: "Required field missing",
    suggestedFix:
      "The field was made required after these records were saved: fill it in (the records keep saving other changes meanwhile).",
  },
};

const MAX_IDS = 1000;

/**
 * Records that lack a value of a configured field made required after they were saved (one issue per field), for
 * fields the viewer may see, in the viewer's reach.
 */
async function missingConfigured(
  operationID: string,
  f: { officeID?: string },
  seeInd: (r: never) => boolean,
  seeHh: (r: never) => boolean,
): Promise<DataQualityIssue[]> {
  await FieldValues.ready(operationID);
  const out: DataQualityIssue[] = [];
  for (const [kind, resource, see] of [
    ["individual", "individuals", seeInd],
    ["household", "households", seeHh],
  ] as const) {
    const required = FieldValues.definitions(kind, operationID).filter(
      (d) => d.required && d.status === "active" && FieldValues.visible(d),
    );
    if (required.length === 0) continue;
    const rows = (await recordRows(kind, operationID)).filter((r) => see(r as never));
    for (const d of required) {
      const ids = rows.filter((r) => FieldValues.lacks(r as never, d.key)).map((r) => r.id);
      if (ids.length === 0) continue;
      const q = new URLSearchParams({
        dq: "missing.configuredField",
        field: d.key,
        ...(f.officeID ? { officeID: f.officeID } : {}),
      });
      out.push({
        kind: "missing.configuredField",
        resource,
        severity: "warning",
        title: `Required field missing: ${d.labels.en}`,
        suggestedFix: Checks["missing.configuredField"].suggestedFix,
        count: ids.length,
        ids: ids.slice(0, MAX_IDS),
        link: `/${resource}?${q}`,
        field: { key: d.key, labels: d.labels },
      });
    }
  }
  return out;
}
function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/**
 * The inconsistencies a registry admin should resolve, in the viewer's scope (report.read and individual.read;
 * specific-needs checks only for roles that may see specific needs). Each issue links into the grid filtered on
 * its records.
 */
export async function dataQuality(f: { officeID?: string }): Promise<DataQualityReport> {
  assertOffice(f.officeID);
  if (!mayRead("individuals") || !mayRead("households")) throw new ForbiddenError("individual.read");
  const operationID = Actor.operationID();
  // "today" (future births, ages) is the operation's
  const ctx = context(undefined, (await zoned(f)).zone);
  const today = ctx.referenceDate;
  const [ip, hp] = await Promise.all([
    projection(operationID, "individuals"),
    projection(operationID, "households"),
  ]);
  const seeInd = visible("individuals", f);
  const seeHh = visible("households", f);
  const found = new Map<DataQualityKind, string[]>();
  const flag = (k: DataQualityKind, id: string) => push(found, k, id);
  const members = new Map<string, IndividualRow[]>();
  const byDoc = new Map<string, IndividualRow[]>();
  let checkedInd = 0;
  for (const r of ip.rows.values()) {
    if (r.deleted) continue;
    if (r.householdID) push(members, r.householdID, r);
    if (!seeInd(r)) continue;
    checkedInd++;
    if (r.status === "active") for (const d of r.docs) push(byDoc, d, r);
    if (r.sex === "unknown") flag("missing.sex", r.id);
    if (!r.dateOfBirth && r.estimatedAge === undefined) flag("missing.birth", r.id);
    if (!r.legalStatus || r.legalStatus === "unknown") flag("missing.legalStatus", r.id);
    if (!r.nationality) flag("missing.nationality", r.id);
    if (r.householdID && !r.relationshipToHead) flag("missing.relationshipToHead", r.id);
    if (r.dateOfBirth) {
      if (r.dateOfBirth > today) flag("date.futureBirth", r.id);
      else if (localDate(r.timeCreated, ctx.zone) < r.dateOfBirth) flag("date.registeredBeforeBirth", r.id);
      if (r.dateOfBirth < "1900-01-01") flag("date.birthBefore1900", r.id);
    }
    if (ctx.needs !== "none" && r.specificNeeds.length > 0) {
      const cats = new Set(r.specificNeeds.map(specificNeedsCategory));
      const age = ageAt(r, today);
      if (cats.has("WR") && r.sex === "male") flag("needs.womanAtRiskMale", r.id);
      if ((cats.has("CR") || cats.has("UASC")) && age !== undefined && age >= 18)
        flag("needs.childCodeOnAdult", r.id);
      if (cats.has("ER") && age !== undefined && age < 60) flag("needs.olderPersonUnder60", r.id);
    }
  }
  let checkedHh = 0;
  for (const h of hp.rows.values()) {
    if (!seeHh(h) || h.status !== "active") continue;
    checkedHh++;
    const list = members.get(h.id) ?? [];
    const heads = list.filter((m) => m.relationshipToHead === "head").length;
    if (heads > 1) flag("household.severalHeads", h.id);
    else if (heads === 0 && !(h.headID && list.some((m) => m.id === h.headID)) && list.length > 0)
      flag("household.noHead", h.id);
  }
  for (const group of byDoc.values())
    if (group.length > 1) for (const r of group) flag("duplicate.unresolved", r.id);

  const issues: DataQualityIssue[] = [];
  for (const [kind, check] of Object.entries(Checks) as [DataQualityKind, Check][]) {
    const ids = [...new Set(found.get(kind) ?? [])];
    if (ids.length === 0) continue;
    const q = new URLSearchParams({ dq: kind, ...(f.officeID ? { officeID: f.officeID } : {}) });
    issues.push({
      kind,
      ...check,
      count: ids.length,
      ids: ids.slice(0, MAX_IDS),
      link: `/${check.resource}?${q}`,
    });
  }
  issues.push(...(await missingConfigured(operationID, f, seeInd, seeHh)));
  return {
    generatedAt: new Date().toISOString(),
    checked: { individuals: checkedInd, households: checkedHh },
    issues,
  };
}
