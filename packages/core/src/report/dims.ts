import { SensitiveSpecificNeeds, specificNeedsCategory } from "@waypoint/schema/codes";
import { type AgeBracket, type DrillFilter, type DrillResource } from "@waypoint/schema/reports";
import { Actor } from "../actor.ts";
import { ForbiddenError } from "../common/errors.ts";
import { hiddenFields } from "../individual/redact.ts";
import type { Action } from "../permissions.ts";
import type {
  Base,
  CaseRow,
  IndividualRow,
  KindName,
  PaymentRow,
  ReferralRow,
  RelocationRow,
} from "./projection.ts";

/** Relocation statuses that mean the household left (the programme's "relocated" figure). */
export const DEPARTED = new Set(["departed", "arrived", "completed"]);

export interface Context {
  /** `YYYY-MM-DD`: ages and overdue follow-ups are computed at this day. */
  referenceDate: string;
  /** The viewer's role may see specific needs at all, and the sensitive codes (SV, TR, VT) among them. */
  needs: "none" | "non-sensitive" | "all";
}

export function context(to?: string): Context {
  const actor = Actor.use();
  const hidden = hiddenFields("individual").includes("specificNeeds");
  const full =
    actor.type === "system" || (actor.type === "user" && ["admin", "supervisor"].includes(actor.role));
  return {
    referenceDate: to ?? new Date().toISOString().slice(0, 10),
    needs: hidden ? "none" : full ? "all" : "non-sensitive",
  };
}

/** Full years between a date and the reference day; an estimated age grows with the years since it was recorded. */
export function ageAt(
  r: Pick<IndividualRow, "dateOfBirth" | "estimatedAge" | "timeCreated">,
  ref: string,
): number | undefined {
  if (r.dateOfBirth) {
    let age = Number(ref.slice(0, 4)) - Number(r.dateOfBirth.slice(0, 4));
    if (ref.slice(5) < r.dateOfBirth.slice(5, 10)) age -= 1;
    return age < 0 ? undefined : age;
  }
  if (r.estimatedAge === undefined) return undefined;
  return r.estimatedAge + Math.max(0, Number(ref.slice(0, 4)) - Number(r.timeCreated.slice(0, 4)));
}

export function bracket(age: number | undefined): AgeBracket {
  if (age === undefined) return "unknown";
  if (age <= 4) return "0-4";
  if (age <= 11) return "5-11";
  if (age <= 17) return "12-17";
  if (age <= 59) return "18-59";
  return "60+";
}

/** Specific-needs categories the viewer may count for this person. */
export function needCategories(r: IndividualRow, ctx: Context): string[] {
  if (ctx.needs === "none") return [];
  const cats = new Set<string>();
  for (const code of r.specificNeeds) {
    const cat = specificNeedsCategory(code);
    if (ctx.needs !== "all" && SensitiveSpecificNeeds.includes(cat)) continue;
    cats.add(cat);
  }
  return [...cats];
}

/** The day a record falls on for the period filter: registration, opening, sending, departure, creation. */
const dayOf: Record<KindName, (r: never) => string | undefined> = {
  individuals: (r: IndividualRow) => r.timeCreated.slice(0, 10),
  households: (r: Base) => r.timeCreated.slice(0, 10),
  cases: (r: CaseRow) => r.timeCreated.slice(0, 10),
  referrals: (r: ReferralRow) => r.timeCreated.slice(0, 10),
  relocations: (r: RelocationRow) => r.departedAt?.slice(0, 10),
  payments: (r: PaymentRow) => r.timeCreated.slice(0, 10),
};

type Dims = Record<string, string | string[] | boolean | undefined>;
/** A record's values on every dimension a figure can be split by; drill filters match on the same values. */
export const dimsOf: Record<KindName, (r: never, ctx: Context) => Dims> = {
  individuals: (r: IndividualRow, ctx) => ({
    sex: r.sex,
    ageBracket: bracket(ageAt(r, ctx.referenceDate)),
    nationality: r.nationality ?? "unknown",
    need: needCategories(r, ctx),
  }),
  households: () => ({}),
  cases: (r: CaseRow, ctx) => ({
    type: r.type,
    stage: r.stage,
    overdue: r.stage !== "closed" && Boolean(r.dueFollowUp && r.dueFollowUp.slice(0, 10) < ctx.referenceDate),
  }),
  referrals: (r: ReferralRow) => ({
    status: r.status,
    partner: r.partner,
    responded: Boolean(r.timeResponded),
  }),
  relocations: (r: RelocationRow) => ({
    status: DEPARTED.has(r.status) && r.departedAt ? "departed" : r.status,
    destination: r.destination,
    month: r.departedAt?.slice(0, 7),
  }),
  payments: (r: PaymentRow) => ({
    purpose: r.purpose,
    status: r.status,
    currency: r.currency,
    month: r.timeCreated.slice(0, 7),
  }),
};

const READ: Record<KindName, Action> = {
  individuals: "individual.read",
  households: "household.read",
  cases: "case.read",
  referrals: "referral.read",
  relocations: "relocation.read",
  payments: "payment.read",
};

/** May the viewer see this kind of record in reports at all? */
export function mayRead(kind: KindName): boolean {
  return Actor.can("report.read") && Actor.can(READ[kind]);
}

/** Refuses an office outside the viewer's report scope instead of silently showing zeros. */
export function assertOffice(officeID: string | undefined) {
  Actor.assert("report.read");
  if (!officeID) return;
  const reach = Actor.listScope("report.read");
  const offices = reach?.scope === "office" ? (reach.user?.officeIDs ?? []) : [];
  if (offices.length > 0 && !offices.includes(officeID))
    throw new ForbiddenError("report.read", "Your account does not cover this office.");
}

type Targeted = Base & { assignedTo?: string; restricted?: boolean };
/**
 * Counted records: not soft-deleted, inside the report filter, and readable by the viewer under both
 * `report.read` and the record kind's read permission. Restricted cases and referrals count only for viewers who
 * may open them (assigned staff, supervisors), so a figure never exceeds what its drill-down can show.
 */
export function visible(kind: KindName, filter: { officeID?: string; from?: string; to?: string }) {
  const action = READ[kind];
  const day = dayOf[kind] as (r: Base) => string | undefined;
  return (r: Targeted): boolean => {
    if (r.deleted) return false;
    if (filter.officeID && r.officeID !== filter.officeID) return false;
    if (filter.from || filter.to) {
      const d = day(r);
      if (!d || (filter.from && d < filter.from) || (filter.to && d > filter.to)) return false;
    }
    const t = {
      operationID: r.operationID,
      officeID: r.officeID,
      createdBy: r.createdBy,
      assignedTo: r.assignedTo,
      restricted: r.restricted,
    };
    return Actor.can("report.read", t) && Actor.can(action, t);
  };
}

const DIM_KEYS = [
  "sex",
  "ageBracket",
  "nationality",
  "need",
  "type",
  "stage",
  "overdue",
  "status",
  "partner",
  "destination",
  "month",
  "purpose",
  "currency",
  "responded",
] as const;

/** Does a visible record fall in the drill filter's bucket? */
export function inBucket(kind: KindName, drill: DrillFilter, ctx: Context) {
  const dims = dimsOf[kind] as (r: Base, c: Context) => Dims;
  const wanted = DIM_KEYS.filter((k) => drill[k] !== undefined);
  return (r: Base): boolean => {
    if (wanted.length === 0) return true;
    const d = dims(r, ctx);
    return wanted.every((k) => {
      const v = d[k];
      const w = drill[k];
      return Array.isArray(v) ? v.includes(String(w)) : v === w;
    });
  };
}

export const kindOf = (resource: DrillResource): KindName => resource;
