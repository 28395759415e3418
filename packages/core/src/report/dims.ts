import { SensitiveSpecificNeeds, specificNeedsCategory } from "@waypoint/schema/codes";
import { type AgeBracket, type DrillFilter, type DrillResource } from "@waypoint/schema/reports";
import { Actor } from "../actor.ts";
import { ForbiddenError } from "../common/errors.ts";
import { localDate, localMonth, today } from "../common/zone.ts";
import { Operation } from "../operation/index.ts";
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
  /** The operation's IANA time zone: a record's day and month are the operation's. */
  zone: string;
  /** The viewer's role may see specific needs at all, and the sensitive codes (SV, TR, VT) among them. */
  needs: "none" | "non-sensitive" | "all";
}

/** The report filter with the operation's time zone (`zone`), read once per report. */
export async function zoned<F extends object>(f: F): Promise<F & { zone: string }> {
  return { ...f, zone: await Operation.timeZone(Actor.operationID()) };
}

/** The time zone a (zoned) filter carries; UTC without one. */
export const zoneOf = (f: object): string => (f as { zone?: string }).zone ?? "UTC";

export function context(to?: string, zone = "UTC"): Context {
  const actor = Actor.use();
  const hidden = hiddenFields("individual").includes("specificNeeds");
  const full =
    actor.type === "system" || (actor.type === "user" && ["admin", "supervisor"].includes(actor.role));
  return {
    referenceDate: to ?? today(zone),
    zone,
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
const day = (instant: string | undefined, zone: string) =>
  !instant ? undefined : instant.length === 10 ? instant : localDate(instant, zone);
const month = (instant: string | undefined, zone: string) =>
  !instant ? undefined : instant.length <= 10 ? instant.slice(0, 7) : localMonth(instant, zone);
/** The operation's month (`YYYY-MM`) of an instant (a date is its own month). */
export const monthIn = (instant: string, zone: string) => month(instant, zone)!;
const dayOf: Record<KindName, (r: never, zone: string) => string | undefined> = {
  individuals: (r: IndividualRow, z) => day(r.timeCreated, z),
  households: (r: Base, z) => day(r.timeCreated, z),
  cases: (r: CaseRow, z) => day(r.timeCreated, z),
  referrals: (r: ReferralRow, z) => day(r.timeCreated, z),
  relocations: (r: RelocationRow, z) => day(r.departedAt, z),
  payments: (r: PaymentRow, z) => day(r.timeCreated, z),
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
  relocations: (r: RelocationRow, ctx) => ({
    status: DEPARTED.has(r.status) && r.departedAt ? "departed" : r.status,
    destination: r.destination,
    month: month(r.departedAt, ctx.zone),
  }),
  payments: (r: PaymentRow, ctx) => ({
    purpose: r.purpose,
    status: r.status,
    currency: r.currency,
    month: month(r.timeCreated, ctx.zone),
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
  const zone = zoneOf(filter);
  const dayIn = dayOf[kind] as (r: Base, zone: string) => string | undefined;
  const day = (r: Base) => dayIn(r, zone);
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
