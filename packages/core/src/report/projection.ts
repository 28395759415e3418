import { CaseEntity } from "../case/case.entity.ts";
import { log } from "../common/log.ts";
import { normaliseDocumentNumber } from "../dedupe/phonetic.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { ReferralEntity } from "../referral/referral.entity.ts";
import { relocatedAt } from "../relocation/dates.ts";
import { RelocationEntity } from "../relocation/relocation.entity.ts";
import { readTimeIndex, timeIndex, type TimeIndex } from "./ranges.ts";

/**
 * Compact, in-memory projections of an operation's records for reports (strategy (a) in docs/reports.md).
 *
 * The first request of an operation reads every record of a kind once through the kind's `byOperation` index
 * (only the attributes reports need); every later request re-reads only what changed since the last sync,
 * through the same index's `timeUpdated` sort key, and upserts it by ID. Figures are then recomputed from the
 * records, so they are correct by construction: a soft delete, an office move or a concurrent edit is just a
 * newer version of the row. Nothing on any write path changes.
 *
 * The delta window starts SKEW before the previous sync began: a writer stamps `timeUpdated` before its
 * transaction commits, and a GSI is eventually consistent, so a record may appear in the index a little after
 * the time it carries. Re-reading the overlap is harmless (upsert by ID).
 */
export const SKEW_MS = 30_000;

type Raw = Record<string, unknown>;
type Page = { data: Raw[]; cursor: string | null };

export interface Base {
  id: string;
  operationID: string;
  officeID?: string;
  createdBy?: string;
  deleted: boolean;
  timeCreated: string;
  timeUpdated: string;
}
export interface IndividualRow extends Base {
  registrationNumber: string;
  sex: string;
  dateOfBirth?: string;
  estimatedAge?: number;
  nationality?: string;
  specificNeeds: string[];
  householdID?: string;
  relationshipToHead?: string;
  legalStatus?: string;
  adm1?: string;
  status: string;
  hasNames: boolean;
  /** Normalised identity-document numbers (duplicate check); kept in memory only, never logged or returned. */
  docs: string[];
  /** Configured values (`fields/values.ts`); the register export shows those a reader may see. */
  fields?: Record<string, unknown>;
}
export interface HouseholdRow extends Base {
  registrationNumber: string;
  headID?: string;
  status: string;
  size: number;
}
export interface CaseRow extends Base {
  type: string;
  stage: string;
  assignedTo?: string;
  dueFollowUp?: string;
  restricted: boolean;
}
export interface ReferralRow extends Base {
  status: string;
  direction: string;
  partner: string;
  serviceCategory: string;
  timeResponded?: string;
  restricted: boolean;
}
export interface RelocationRow extends Base {
  status: string;
  destination: string;
  destinationAdm?: string;
  departedAt?: string;
  people: number;
}
export interface PaymentRow extends Base {
  purpose: string;
  amount: number;
  currency: string;
  status: string;
}

const s = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const base = (r: Raw, id: string): Base => ({
  id,
  operationID: r.operationID as string,
  officeID: s(r.officeID),
  createdBy: s(r.createdBy),
  deleted: r.deleted === true,
  timeCreated: r.timeCreated as string,
  timeUpdated: r.timeUpdated as string,
});

type Query = (operationID: string, since: string | undefined, cursor: string | null) => Promise<Page>;
interface Kind<R extends Base> {
  attributes: string[];
  query: Query;
  /**
   * Kinds whose `byOperation` index sorts by `timeUpdated`: the same index for the first load's parallel range
   * reads (ranges.ts), several times faster than one page after another.
   */
  timeIndex?: (operationID: string) => TimeIndex;
  project(r: Raw): R;
}

const META = ["operationID", "officeID", "createdBy", "deleted", "timeCreated", "timeUpdated"];
const PAGE = { limit: 2000 } as const;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ElectroDB query builders differ per entity; all share go()
const page = async (q: any, cursor: string | null, attributes: string[]): Promise<Page> => {
  const res = await q.go({ ...PAGE, cursor, attributes });
  return { data: res.data as Raw[], cursor: res.cursor as string | null };
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
const byOperationIndex = (entity: any, attributes: string[]) => (operationID: string) =>
  timeIndex(() => entity.query.byOperation({ operationID }), attributes);

/** Kinds whose `byOperation` index sorts by `timeUpdated`: deltas are index range reads. */
const byUpdated =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  (entity: any, attributes: string[]): Query =>
    (operationID, since, cursor) => {
      const q = entity.query.byOperation({ operationID });
      return page(since ? q.gte({ timeUpdated: since }) : q, cursor, attributes);
    };
/**
 * Kinds whose `byOperation` index is not ordered by change (relocations, payments): a delta is a filtered read of
 * the partition. Correct, but it costs a full partition read per sync; a `timeUpdated` index on those entities
 * would make it a range read (docs/reports.md).
 */
const filtered =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  (entity: any, attributes: string[]): Query =>
    (operationID, since, cursor) => {
      const q = entity.query.byOperation({ operationID });
      return page(
        since
          ? q.where((a: Raw, op: Record<string, (...x: unknown[]) => string>) =>
              op.gte!(a.timeUpdated, since),
            )
          : q,
        cursor,
        attributes,
      );
    };

const IND_ATTRS = [
  ...META,
  "individualID",
  "registrationNumber",
  "givenName",
  "familyName",
  "sex",
  "dateOfBirth",
  "estimatedAge",
  "nationality",
  "specificNeeds",
  "householdID",
  "relationshipToHead",
  // configured values (register export columns, disaggregation)
  "fields",
  "legalStatus",
  "adm1",
  "status",
  "documents",
];
const HH_ATTRS = [...META, "householdID", "registrationNumber", "headID", "status", "size"];
const CASE_ATTRS = [...META, "caseID", "type", "stage", "assignedTo", "dueFollowUp", "restricted"];
const REF_ATTRS = [
  ...META,
  "referralID",
  "status",
  "direction",
  "toOrganisationID",
  "toOfficeID",
  "serviceCategory",
  "timeResponded",
  "restricted",
];
const RLC_ATTRS = [...META, "relocationID", "status", "destination", "departure", "seats", "householdSize"];
const PAY_ATTRS = [...META, "paymentID", "purpose", "amount", "currency", "status"];

export const Kinds = {
  individuals: {
    attributes: IND_ATTRS,
    query: byUpdated(IndividualEntity, IND_ATTRS),
    timeIndex: byOperationIndex(IndividualEntity, IND_ATTRS),
    // built field by field, not spread from base(): this runs for every person on every full read and export
    project: (r: Raw): IndividualRow => ({
      id: r.individualID as string,
      operationID: r.operationID as string,
      officeID: s(r.officeID),
      createdBy: s(r.createdBy),
      deleted: r.deleted === true,
      timeCreated: r.timeCreated as string,
      timeUpdated: r.timeUpdated as string,
      registrationNumber: r.registrationNumber as string,
      sex: (r.sex as string) ?? "unknown",
      dateOfBirth: s(r.dateOfBirth),
      estimatedAge: typeof r.estimatedAge === "number" ? r.estimatedAge : undefined,
      nationality: s(r.nationality),
      specificNeeds: Array.isArray(r.specificNeeds) ? (r.specificNeeds as string[]) : [],
      householdID: s(r.householdID),
      relationshipToHead: s(r.relationshipToHead),
      legalStatus: s(r.legalStatus),
      adm1: s(r.adm1),
      status: (r.status as string) ?? "active",
      hasNames: Boolean(s(r.givenName) && s(r.familyName)),
      docs: Array.isArray(r.documents)
        ? (r.documents as { number?: string }[])
            .map((d) => normaliseDocumentNumber(d.number ?? ""))
            .filter((n) => n.length >= 3)
        : [],
      fields: r.fields && typeof r.fields === "object" ? (r.fields as Record<string, unknown>) : undefined,
    }),
  } satisfies Kind<IndividualRow>,
  households: {
    attributes: HH_ATTRS,
    query: byUpdated(HouseholdEntity, HH_ATTRS),
    timeIndex: byOperationIndex(HouseholdEntity, HH_ATTRS),
    project: (r: Raw): HouseholdRow => ({
      ...base(r, r.householdID as string),
      registrationNumber: r.registrationNumber as string,
      headID: s(r.headID),
      status: (r.status as string) ?? "active",
      size: Number(r.size ?? 0),
    }),
  } satisfies Kind<HouseholdRow>,
  cases: {
    attributes: CASE_ATTRS,
    query: byUpdated(CaseEntity, CASE_ATTRS),
    timeIndex: byOperationIndex(CaseEntity, CASE_ATTRS),
    project: (r: Raw): CaseRow => ({
      ...base(r, r.caseID as string),
      type: r.type as string,
      stage: r.stage as string,
      assignedTo: s(r.assignedTo),
      dueFollowUp: s(r.dueFollowUp),
      restricted: r.restricted === true,
    }),
  } satisfies Kind<CaseRow>,
  referrals: {
    attributes: REF_ATTRS,
    query: byUpdated(ReferralEntity, REF_ATTRS),
    timeIndex: byOperationIndex(ReferralEntity, REF_ATTRS),
    project: (r: Raw): ReferralRow => ({
      ...base(r, r.referralID as string),
      status: r.status as string,
      direction: r.direction as string,
      partner: s(r.toOrganisationID) ?? s(r.toOfficeID) ?? "internal",
      serviceCategory: r.serviceCategory as string,
      timeResponded: s(r.timeResponded),
      restricted: r.restricted === true,
    }),
  } satisfies Kind<ReferralRow>,
  relocations: {
    attributes: RLC_ATTRS,
    query: filtered(RelocationEntity, RLC_ATTRS),
    project: (r: Raw): RelocationRow => {
      const dest = (r.destination ?? {}) as { name?: string; adm?: string };
      const dep = r.departure as { at?: string; tripDepartureAt?: string } | undefined;
      return {
        ...base(r, r.relocationID as string),
        status: r.status as string,
        destination: dest.name ?? "",
        destinationAdm: dest.adm,
        // the bus's departure, as /api/reports/relocations counts it (relocation/dates.ts)
        departedAt: relocatedAt(dep),
        people: Number(r.seats ?? r.householdSize ?? 0),
      };
    },
  } satisfies Kind<RelocationRow>,
  payments: {
    attributes: PAY_ATTRS,
    query: filtered(PaymentEntity, PAY_ATTRS),
    project: (r: Raw): PaymentRow => ({
      ...base(r, r.paymentID as string),
      purpose: r.purpose as string,
      amount: Number(r.amount ?? 0),
      currency: r.currency as string,
      status: r.status as string,
    }),
  } satisfies Kind<PaymentRow>,
};
export type KindName = keyof typeof Kinds;
export type RowOf<K extends KindName> = ReturnType<(typeof Kinds)[K]["project"]>;

/** One kind of one operation, kept in memory and brought up to date on demand. */
export class Projection<R extends Base> {
  readonly rows = new Map<string, R>();
  /** Grows whenever a sync changed a row: results computed at the same revisions are still exact. */
  revision = 0;
  syncedAt = "";
  fullLoadMs = 0;
  private watermark: string | undefined;
  private requested = 0;
  private completed = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly operationID: string,
    private readonly name: string,
    private readonly kind: Kind<R>,
  ) {}

  /** Resolves once a sync that started after this call has finished: a caller sees its own earlier writes. */
  async sync(): Promise<void> {
    const ticket = ++this.requested;
    while (this.completed < ticket) {
      if (!this.running) {
        const upTo = this.requested;
        this.running = this.pull()
          .then(() => {
            this.completed = upTo;
          })
          .finally(() => {
            this.running = undefined;
          });
      }
      await this.running;
    }
  }

  private async pull() {
    const started = Date.now();
    const since = this.watermark;
    let n = 0;
    const take = (data: Raw[]) => {
      for (const raw of data) {
        const row = this.kind.project(raw);
        // the delta window overlaps the previous one: only a row that really changed invalidates results
        if (this.rows.get(row.id)?.timeUpdated === row.timeUpdated) continue;
        this.rows.set(row.id, row);
        this.revision++;
      }
      n += data.length;
    };
    if (!since && this.kind.timeIndex) {
      // First load: the whole partition in parallel time ranges. A record changed while it runs is read again by
      // the next sync, whose window starts before this one did.
      for await (const data of readTimeIndex(this.kind.timeIndex(this.operationID))) take(data);
    } else {
      let cursor: string | null = null;
      do {
        const res = await this.kind.query(this.operationID, since, cursor);
        take(res.data);
        cursor = res.cursor;
      } while (cursor);
    }
    this.watermark = new Date(started - SKEW_MS).toISOString();
    this.syncedAt = new Date(started).toISOString();
    if (!since) {
      this.fullLoadMs = Date.now() - started;
      log.info(
        { operationID: this.operationID, kind: this.name, rows: n, ms: this.fullLoadMs },
        "report projection loaded",
      );
    }
  }
}

const MAX_OPERATIONS = 16;
const cache = new Map<string, Projection<Base>>();

/** The projection of `kind` for an operation, synced (least recently used operations are dropped). */
export async function projection<K extends KindName>(
  operationID: string,
  kind: K,
): Promise<Projection<RowOf<K>>> {
  const key = `${operationID}|${kind}`;
  let p = cache.get(key) as Projection<RowOf<K>> | undefined;
  if (p) cache.delete(key);
  else p = new Projection(operationID, kind, Kinds[kind] as unknown as Kind<RowOf<K>>);
  cache.set(key, p as unknown as Projection<Base>);
  while (cache.size > MAX_OPERATIONS * 6) cache.delete(cache.keys().next().value!);
  await p.sync();
  return p;
}

/** The projection as last synced, without syncing (freshness figures). */
export function cached<K extends KindName>(operationID: string, kind: K): Projection<RowOf<K>> | undefined {
  return cache.get(`${operationID}|${kind}`) as Projection<RowOf<K>> | undefined;
}

/** Forgets every projection (tests measuring a first load, memory pressure). */
export function resetProjections() {
  cache.clear();
}
