import {
  RecordNamesRequest,
  type NamedRecordType,
  type RecordName,
  type RecordNamesResponse,
} from "@waypoint/schema/names";
import { RecordTypePrefixes } from "@waypoint/schema/fields";
import { Actor } from "../actor.ts";
import { batchGet } from "../common/batch-get.ts";
import { fn } from "../common/fn.ts";
import { visible } from "../common/scope.ts";
import type { Action } from "../permissions.ts";
import { CaseEntity } from "../case/case.entity.ts";
import { caseTarget } from "../case/store.ts";
import { Household } from "../household/index.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { Individual } from "../individual/index.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";

type Stored = Record<string, unknown> & { operationID: string; officeID?: string; createdBy?: string };

/** Per type: its read permission, its key, the attributes that name it and decide who may read it, and that rule. */
const KINDS: Record<
  NamedRecordType,
  {
    action: Action;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- four different ElectroDB entities
    entity: any;
    key: string;
    names: string[];
    access: string[];
    /** The same rule as the type's `get`: a record this refuses yields no name. */
    readable: (rows: Stored[]) => Promise<Stored[]> | Stored[];
  }
> = {
  individual: {
    action: "individual.read",
    entity: IndividualEntity,
    key: "individualID",
    names: ["givenName", "familyName", "registrationNumber"],
    access: ["officeID", "createdBy", "status", "deleted"],
    readable: (rows) => rows.filter((r) => Individual.readable(r as never)),
  },
  household: {
    action: "household.read",
    entity: HouseholdEntity,
    key: "householdID",
    names: ["registrationNumber"],
    access: ["officeID", "createdBy", "deleted"],
    readable: (rows) => rows.filter((r) => Household.readable(r as never)),
  },
  case: {
    action: "case.read",
    entity: CaseEntity,
    key: "caseID",
    names: ["caseNumber"],
    access: ["officeID", "createdBy", "assignedTo", "restricted", "deleted"],
    // a restricted case's number shown to someone who may read it is a read of a restricted record: audited
    readable: (rows) =>
      visible(
        "case",
        "case.read",
        rows,
        (r) => r.caseID as string,
        (r) => caseTarget(r as never),
      ),
  },
  payee: {
    action: "payee.read",
    entity: PayeeEntity,
    key: "payeeID",
    names: ["name"],
    access: ["officeID", "createdBy", "deleted"],
    readable: (rows) => rows.filter((r) => !r.deleted && Actor.can("payee.read", r)),
  },
};

/**
 * Names of many records at once, for screens that show a reference by name (a grid column of 100,000 rows is
 * filtered and sorted by the names it shows). Only what names a record leaves core, and only for records the
 * reader may read by the same rule as opening each one; any other ID gets no name, so existence does not leak.
 */
export namespace RecordNames {
  export const lookup = fn(RecordNamesRequest, async ({ type, ids }): Promise<RecordNamesResponse> => {
    const kind = KINDS[type];
    Actor.assert(kind.action);
    const operationID = Actor.operationID();
    const prefix = `${RecordTypePrefixes[type]}_`;
    const wanted = [...new Set(ids.filter((id) => id.startsWith(prefix)))];
    const rows = await batchGet<Stored>(
      kind.entity,
      wanted.map((id) => ({ [kind.key]: id })),
      { attributes: [kind.key, "operationID", ...kind.access, ...kind.names] },
    );
    const readable = await kind.readable(rows.filter((r) => r.operationID === operationID));
    return { items: readable.map((r) => nameOf(r, kind.key, kind.names)) };
  });

  function nameOf(r: Stored, key: string, names: string[]): RecordName {
    const out: RecordName = { id: r[key] as string };
    for (const n of names) if (typeof r[n] === "string") (out as Record<string, string>)[n] = r[n] as string;
    return out;
  }
}
