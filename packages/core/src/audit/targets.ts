import { z } from "zod";
import { Actor } from "../actor.ts";
import { ForbiddenError, NotFoundError } from "../common/errors.ts";
import { Prefixes } from "../common/id.ts";
import { hiddenFields } from "../individual/redact.ts";
import { FieldValues } from "../fields/values.ts";
import { RecordTypePrefixes, type FieldRecordType } from "@waypoint/schema/fields";
import type { Action } from "../permissions.ts";
import { Audit } from "./index.ts";
import type { Loader, Loaders } from "./targets/types.ts";

/**
 * `GET /api/audit?recordId=`: the history of one record, for whoever may read the record. The record type is
 * known from the ID prefix; the record is read through its own module's `get`, so the history follows exactly the
 * record's read check (office, assignment, restriction, field-level views) and a read of a restricted record is
 * audited like any other read of it. A role that may never read records of the type is refused (403) for any
 * ID; a record out of reach (another office, restricted, another operation) is "not found", like a record that
 * does not exist, so the answer never confirms that it does.
 *
 * Loaders are grouped by module (./targets/) and a group is imported when one of its record types is asked for:
 * a history request loads the code of one module, not of all of them (the Lambda loads code per domain,
 * functions/src/domains.ts). `register` adds a loader (tests).
 */
export namespace RecordAudit {
  type Group = () => Promise<{ loaders: Loaders }>;
  const registry: Group = () => import("./targets/registry.ts");
  const cases: Group = () => import("./targets/cases.ts");
  const referrals: Group = () => import("./targets/referrals.ts");
  const relocation: Group = () => import("./targets/relocation.ts");
  const payments: Group = () => import("./targets/payments.ts");
  const resettlement: Group = () => import("./targets/resettlement.ts");
  const reintegration: Group = () => import("./targets/reintegration.ts");
  const hosting: Group = () => import("./targets/hosting.ts");

  /** Per record type: the action that reads it (the history needs the same) and its loaders' group. */
  const groups: Record<string, { read: Action; group: Group }> = {
    [Prefixes.individual]: { read: "individual.read", group: registry },
    [Prefixes.household]: { read: "household.read", group: registry },
    [Prefixes.case]: { read: "case.read", group: cases },
    [Prefixes.assessment]: { read: "assessment.read", group: cases },
    [Prefixes.note]: { read: "note.read", group: cases },
    [Prefixes.document]: { read: "document.read", group: cases },
    [Prefixes.incident]: { read: "incident.read", group: cases },
    [Prefixes.referral]: { read: "referral.read", group: referrals },
    [Prefixes.appointment]: { read: "appointment.read", group: referrals },
    [Prefixes.relocation]: { read: "relocation.read", group: relocation },
    [Prefixes.trip]: { read: "relocation.read", group: relocation },
    [Prefixes.payment]: { read: "payment.read", group: payments },
    [Prefixes.batch]: { read: "batch.read", group: payments },
    [Prefixes.payee]: { read: "payee.read", group: payments },
    [Prefixes.fsp]: { read: "batch.read", group: payments },
    [Prefixes.submission]: { read: "programme.read", group: resettlement },
    [Prefixes.mission]: { read: "programme.read", group: resettlement },
    [Prefixes.returnCase]: { read: "programme.read", group: reintegration },
    [Prefixes.host]: { read: "programme.read", group: hosting },
  };
  const extra = new Map<string, Loader>();

  export function register(prefix: string, load: Loader) {
    extra.set(prefix, load);
  }

  /** Every record type with a history (for tests: each must load). */
  export const prefixes = (): string[] => [...new Set([...Object.keys(groups), ...extra.keys()])];

  async function loaderOf(prefix: string): Promise<Loader | undefined> {
    const own = extra.get(prefix);
    if (own) return own;
    if (!Object.hasOwn(groups, prefix)) return undefined;
    const { loaders } = await groups[prefix]!.group();
    if (!Object.hasOwn(loaders, prefix))
      throw new Error(`audit targets: no loader for ${prefix} in its group`);
    return loaders[prefix];
  }

  export const Query = z.object({
    recordID: z.string().min(1),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: z.string().optional(),
  });

  export async function history(input: z.input<typeof Query>) {
    const q = Query.parse(input);
    const prefix = q.recordID.split("_")[0] ?? "";
    const read = Object.hasOwn(groups, prefix) ? groups[prefix]!.read : undefined;
    // A role that may never read this type of record is told so before anything is looked up.
    if (read && !Actor.listScope(read)) throw new ForbiddenError(read);
    const load = await loaderOf(prefix);
    if (!load) throw new NotFoundError("record", q.recordID);
    // The record's own read (scope, restriction; a restricted record's read is audited there).
    const target = await load(q.recordID);
    if (!target || target.operationID !== Actor.operationID()) throw new NotFoundError("record", q.recordID);
    // Fields the reader's role never receives (phones, documents, specific needs…) stay out of the history too.
    const kind =
      prefix === Prefixes.individual ? "individual" : prefix === Prefixes.household ? "household" : null;
    // and so do configured fields the role may not see (`fields.<key>`), on every record type that has them
    const configuredKind = (Object.keys(RecordTypePrefixes) as FieldRecordType[]).find(
      (t) => RecordTypePrefixes[t] === prefix,
    );
    let configured: string[] = [];
    if (configuredKind) {
      await FieldValues.ready(target.operationID);
      configured = FieldValues.hidden(configuredKind, target.operationID);
    }
    return Audit.trailOf(q, target, [...(kind ? hiddenFields(kind) : []), ...configured]);
  }
}
