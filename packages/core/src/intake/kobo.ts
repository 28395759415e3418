import { CountryCode, IsoDate, LanguageCode } from "@waypoint/schema/common";
import { Sex } from "@waypoint/schema/registry";
import { type FieldIssue } from "@waypoint/schema/problem";
import { type KoboFormMapping } from "@waypoint/schema/partner";
import type { CountryCode as PhoneCountry } from "libphonenumber-js";
import { loadPhone } from "../common/lazy.ts";

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
): Promise<{ lead: MappedLead; issues: FieldIssue[] }> {
  // Loaded only when a form maps a phone question (its metadata is the largest part of the intake code).
  const phone = Object.values(mapping.fields).some((m) => m.field === "phone")
    ? await loadPhone()
    : undefined;
  const lead: MappedLead & { fullName?: string } = {};
  const issues: FieldIssue[] = [];
  const bad = (path: string, code: string, message: string) => issues.push({ path, code, message });
  for (const [path, m] of Object.entries(mapping.fields)) {
    const raw = valuesAt(sub, path).map((v) => (typeof v === "string" ? v.trim() : v));
    if (raw.length === 0) continue;
    const mapValue = (v: unknown): string | undefined => {
      const s = String(v);
      if (!m.values) return s;
      if (s in m.values) return m.values[s];
      bad(path, "kobo.unmapped_value", `The answer is not in the value map for ${m.field}`);
      return undefined;
    };
    const first = mapValue(raw[0]);
    switch (m.field) {
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
        const max = m.field === "estimatedAge" ? 120 : 30;
        if (Number.isInteger(n) && n >= (m.field === "estimatedAge" ? 0 : 1) && n <= max) lead[m.field] = n;
        else if (first !== undefined)
          bad(path, `kobo.invalid_${m.field}`, `must be a whole number up to ${max}`);
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
        if (first !== undefined) lead[m.field] = first.slice(0, m.field === "notes" ? 4000 : 200);
    }
  }
  if (lead.fullName && !lead.givenName) {
    const parts = lead.fullName.split(/\s+/);
    lead.givenName = parts[0];
    if (parts.length > 1 && !lead.familyName) lead.familyName = parts.slice(1).join(" ");
  }
  delete lead.fullName;
  if (!lead.givenName) bad("", "kobo.name_missing", "No question of this submission gives the person's name");
  return { lead, issues };
}
