import { CountryCode, IsoDate, LanguageCode } from "@waypoint/schema/common";
import { Sex } from "@waypoint/schema/registry";
import { type FieldIssue } from "@waypoint/schema/problem";
import { type KoboFormMapping, type LeadFields } from "@waypoint/schema/partner";
import type { CountryCode as PhoneCountry } from "libphonenumber-js";
import { loadPhone } from "../common/lazy.ts";
import { coerceConfiguredCell } from "@waypoint/schema/fields";
import { InvalidError } from "../common/errors.ts";
import { FieldValues } from "../fields/values.ts";

type Submission = Record<string, unknown>;
type Mapping = KoboFormMapping & { fields: NonNullable<KoboFormMapping["fields"]> };

export interface MappedLead {
  givenName?: string;
  familyName?: string;
  sex?: string;
  dateOfBirth?: string;
  birthYear?: number;
  estimatedAge?: number;
  nationality?: string;
  phone?: string;
  languages?: string[];
  location?: string;
  householdSize?: number;
  members?: string[];
  notes?: string;
  /** Values of configured fields of individuals (`fields.<key>` targets), checked like any other value. */
  fields?: Record<string, unknown>;
}

const system = { type: "system", reason: "kobo mapping" } as const;

/**
 * Answers mapped to configured fields of individuals (`fields.<key>`): each read like a pasted cell (codes or their
 * labels in any language, a `select_multiple`'s space-separated codes, yes/no words, day-first dates) and then
 * checked by `FieldValues.prepare` exactly as a registration checks it (area of the operation, reference that
 * exists…). A bad answer is an issue at the Kobo question's path, never an exception.
 */
async function mapConfigured(
  operationID: string | undefined,
  answers: { path: string; key: string; raw: string }[],
  bad: (path: string, code: string, message: string) => void,
): Promise<Record<string, unknown> | undefined> {
  if (answers.length === 0) return undefined;
  if (!operationID) {
    for (const a of answers) bad(a.path, "kobo.unknown_field", `fields.${a.key} is not a configured field`);
    return undefined;
  }
  await FieldValues.ready(operationID);
  const defs = new Map(FieldValues.definitions("individual", operationID).map((d) => [d.key, d]));
  const lists = (await FieldValues.ready(operationID)).lists;
  const values: Record<string, unknown> = {};
  const pathOf = new Map<string, string>();
  for (const a of answers) {
    const def = defs.get(a.key);
    if (!def || def.status !== "active" || def.type === "group") {
      bad(a.path, "kobo.unknown_field", `fields.${a.key} is not an active configured field of individuals`);
      continue;
    }
    const raw = def.type === "manyOf" ? a.raw.split(/\s+/).filter(Boolean).join(";") : a.raw;
    const cell = coerceConfiguredCell(def, raw, def.options ? lists.get(def.options) : undefined);
    if (!cell.ok) {
      bad(a.path, "kobo.invalid_configured", `${def.labels.en}: ${cell.message}`);
      continue;
    }
    if (cell.value === null) continue;
    values[a.key] = cell.value;
    pathOf.set(a.key, a.path);
  }
  if (Object.keys(values).length === 0) return undefined;
  try {
    const p = await FieldValues.prepare("individual", operationID, values, { actor: system });
    return p.fields && Object.keys(p.fields).length ? p.fields : undefined;
  } catch (err) {
    if (!(err instanceof InvalidError)) throw err;
    for (const i of err.issues) {
      const key = i.path.split(".")[1] ?? "";
      bad(pathOf.get(key) ?? "", "kobo.invalid_configured", `${defs.get(key)?.labels.en ?? key}: ${i.message}`);
    }
    return undefined;
  }
}

/**
 * The values of a Kobo question path: a top-level key (`group/question`), or the answers inside a repeat group
 * (an array of objects keyed by full path, e.g. `group/repeat/question`), one per repeat instance.
 */
export function valuesAt(sub: Submission, path: string): unknown[] {
  if (path in sub) {
    const v = sub[path];
    return v === null || v === undefined || v === "" ? [] : [v];
  }
  for (const [k, v] of Object.entries(sub)) {
    if (Array.isArray(v) && path.startsWith(`${k}/`))
      return v.flatMap((row) => (row && typeof row === "object" ? valuesAt(row as Submission, path) : []));
  }
  return [];
}

/** Kobo's `_submission_time` has no zone; KoboToolbox records it in UTC. */
export function submissionTime(sub: Submission): string | undefined {
  const t = sub._submission_time;
  if (typeof t !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(t)) return undefined;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Maps a submission with an admin's mapping. Anything that does not fit becomes an issue, never an exception. */
export async function mapSubmission(
  sub: Submission,
  mapping: Mapping,
  /** The form's operation: its configured fields are the `fields.<key>` targets. */
  operationID?: string,
): Promise<{ lead: MappedLead; issues: FieldIssue[] }> {
  // Loaded only when a form maps a phone question (its metadata is the largest part of the intake code).
  const phone = Object.values(mapping.fields).some((m) => m.field === "phone")
    ? await loadPhone()
    : undefined;
  const lead: MappedLead & { fullName?: string } = {};
  const issues: FieldIssue[] = [];
  const bad = (path: string, code: string, message: string) => issues.push({ path, code, message });
  const configured: { path: string; key: string; raw: string }[] = [];
  for (const [path, m] of Object.entries(mapping.fields)) {
    const raw = valuesAt(sub, path).map((v) => (typeof v === "string" ? v.trim() : v));
    if (raw.length === 0) continue;
    if (m.field.startsWith("fields.")) {
      const v = m.values ? (Object.hasOwn(m.values, String(raw[0])) ? m.values[String(raw[0])] : undefined) : raw[0];
      if (v === undefined) bad(path, "kobo.unmapped_value", `The answer is not in the value map for ${m.field}`);
      else configured.push({ path, key: m.field.slice(7), raw: typeof v === "string" ? v : JSON.stringify(v) });
      continue;
    }
    const field = m.field as (typeof LeadFields)[number];
    const mapValue = (v: unknown): string | undefined => {
      const s = String(v);
      if (!m.values) return s;
      if (s in m.values) return m.values[s];
      bad(path, "kobo.unmapped_value", `The answer is not in the value map for ${field}`);
      return undefined;
    };
    const first = mapValue(raw[0]);
    switch (field) {
      case "members":
        lead.members = raw.map(mapValue).filter((v): v is string => Boolean(v));
        break;
      case "languages": {
        const codes = raw
          .flatMap((v) => String(v).split(/\s+/))
          .map(mapValue)
          .filter((v): v is string => Boolean(v));
        if (codes.every((c) => LanguageCode.safeParse(c).success)) lead.languages = codes;
        else bad(path, "kobo.invalid_language", "must be ISO 639-3 language codes");
        break;
      }
      case "sex": {
        const v = first?.toLowerCase();
        if (v && Sex.safeParse(v).success) lead.sex = v;
        else if (first !== undefined)
          bad(path, "kobo.invalid_sex", "must map to female, male, other or unknown");
        break;
      }
      case "dateOfBirth": {
        const v = first?.slice(0, 10);
        if (v && IsoDate.safeParse(v).success && v <= new Date().toISOString().slice(0, 10))
          lead.dateOfBirth = v;
        else if (first !== undefined) bad(path, "kobo.invalid_date", "must be a past date YYYY-MM-DD");
        break;
      }
      case "birthYear": {
        const y = Number(first);
        if (Number.isInteger(y) && y >= new Date().getUTCFullYear() - 120 && y <= new Date().getUTCFullYear())
          lead.birthYear = y;
        else if (first !== undefined) bad(path, "kobo.invalid_birth_year", "must be a plausible birth year");
        break;
      }
      case "estimatedAge":
      case "householdSize": {
        const n = Number(first);
        const max = field === "estimatedAge" ? 120 : 30;
        if (Number.isInteger(n) && n >= (field === "estimatedAge" ? 0 : 1) && n <= max) lead[field] = n;
        else if (first !== undefined)
          bad(path, `kobo.invalid_${field}`, `must be a whole number up to ${max}`);
        break;
      }
      case "nationality": {
        const v = first?.toUpperCase();
        if (v && CountryCode.safeParse(v).success) lead.nationality = v;
        else if (first !== undefined)
          bad(path, "kobo.invalid_country", "must map to an ISO 3166-1 alpha-3 code");
        break;
      }
      case "phone": {
        const p = first
          ? phone?.parsePhoneNumberFromString(first, mapping.phoneCountry as PhoneCountry | undefined)
          : undefined;
        if (p?.isValid()) lead.phone = p.number;
        else if (first !== undefined)
          bad(path, "kobo.invalid_phone", "is not a valid phone number for the form's country");
        break;
      }
      default:
        if (first !== undefined) lead[field] = first.slice(0, field === "notes" ? 4000 : 200);
    }
  }
  if (lead.fullName && !lead.givenName) {
    const parts = lead.fullName.split(/\s+/);
    lead.givenName = parts[0];
    if (parts.length > 1 && !lead.familyName) lead.familyName = parts.slice(1).join(" ");
  }
  delete lead.fullName;
  const fields = await mapConfigured(operationID, configured, bad);
  if (fields) lead.fields = fields;
  if (!lead.givenName) bad("", "kobo.name_missing", "No question of this submission gives the person's name");
  return { lead, issues };
}

/**
 * Every answer of a submission as flat `path → value` pairs, so nothing the field team collected is lost: group
 * questions keep their path, repeat instances are numbered from 1 (`group/repeat[2]/question`), Kobo's own
 * metadata (`_id`, `_attachments[1]/filename`, `meta/instanceID`) is kept like any answer. Values keep their JSON
 * type (a list of primitives, an empty object stay as sent).
 */
export function flattenAnswers(
  sub: Submission,
  parent?: { key: string; path: string },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sub)) {
    // a repeat's rows are keyed by full path (`group/repeat/question`): shown under the numbered repeat
    const rel = parent && k.startsWith(`${parent.key}/`) ? k.slice(parent.key.length + 1) : k;
    const path = parent ? `${parent.path}/${rel}` : k;
    if (Array.isArray(v) && v.length > 0 && v.every((r) => r && typeof r === "object" && !Array.isArray(r)))
      v.forEach((row, i) =>
        Object.assign(out, flattenAnswers(row as Submission, { key: k, path: `${path}[${i + 1}]` })),
      );
    else out[path] = v;
  }
  return out;
}

/** A flat answer path without its repeat numbers: the question's Kobo path (`group/repeat/question`). */
export function questionPath(flatPath: string): string {
  return flatPath.replace(/\[\d+\]/g, "");
}

const LIST_FIELDS = new Set(["members", "languages"]);

/**
 * The flat answers a mapping put into a lead's fields: every value of a list field (members, languages), the
 * first value of any other (the rest of a repeat stays an "other answer", so a second member's name is not lost).
 */
export function mappedAnswerPaths(answers: Record<string, unknown>, mapping: Mapping): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const [p, v] of Object.entries(answers)) {
    const q = questionPath(p);
    const m = Object.hasOwn(mapping.fields, q) ? mapping.fields[q] : undefined;
    if (!m || v === null || v === undefined || v === "") continue;
    if (LIST_FIELDS.has(m.field) || !seen.has(q)) out.push(p);
    seen.add(q);
  }
  return out;
}

/** What changed between two versions of a submission's answers: path → before/after (absent = undefined). */
export function answerChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { before?: unknown; after?: unknown }> {
  const changes: Record<string, { before?: unknown; after?: unknown }> = {};
  // Kobo's own bookkeeping changes with every edit; it is not what the field team changed
  const bookkeeping =
    /^(_uuid|_submission_time|_status|_version|__version__|_submitted_by|_validation_status|formhub\/uuid|meta\/(instanceID|deprecatedID|rootUuid)|start|end|_attachments\[)/;
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (bookkeeping.test(k)) continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      changes[k] = { before: before[k], after: after[k] };
  }
  return changes;
}
