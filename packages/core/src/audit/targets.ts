import { z } from "zod";
import { Actor } from "../actor.ts";
import { NotFoundError } from "../common/errors.ts";
import { Prefixes } from "../common/id.ts";
import { Audit } from "./index.ts";
import type { Loader, Loaders } from "./targets/types.ts";

/**
 * `GET /api/audit?recordId=`: the history of one record, checked against the record's own target (office,
 * assignment, restriction), so a supervisor of office A cannot read office B's history. The record type is
 * known from the ID prefix. Loaders are grouped by module (./targets/) and a group is imported when one of its
 * record types is asked for: a history request loads the code of one module, not of all of them (the Lambda
 * loads code per domain, functions/src/domains.ts). `register` adds a loader (tests).
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

  const groups: Record<string, Group> = {
    [Prefixes.individual]: registry,
    [Prefixes.household]: registry,
    [Prefixes.case]: cases,
    [Prefixes.assessment]: cases,
    [Prefixes.note]: cases,
    [Prefixes.document]: cases,
    [Prefixes.incident]: cases,
    [Prefixes.referral]: referrals,
    [Prefixes.appointment]: referrals,
    [Prefixes.relocation]: relocation,
    [Prefixes.trip]: relocation,
    [Prefixes.payment]: payments,
    [Prefixes.batch]: payments,
    [Prefixes.payee]: payments,
    [Prefixes.fsp]: payments,
    [Prefixes.submission]: resettlement,
    [Prefixes.returnCase]: reintegration,
    [Prefixes.host]: hosting,
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
    const { loaders } = await groups[prefix]!();
    if (!Object.hasOwn(loaders, prefix)) throw new Error(`audit targets: no loader for ${prefix} in its group`);
    return loaders[prefix];
  }

  export const Query = z.object({
    recordID: z.string().min(1),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: z.string().optional(),
  });

  export async function history(input: z.input<typeof Query>) {
    const q = Query.parse(input);
    // A role that may never read history is told so before anything is looked up; for everyone else a record
    // out of reach (another office, restricted, another operation) is "not found", like a record that does not
    // exist, so the answer never confirms that it does.
    Actor.assert("audit.read");
    const load = await loaderOf(q.recordID.split("_")[0] ?? "");
    if (!load) throw new NotFoundError("record", q.recordID);
    const target = await load(q.recordID);
    if (!target || target.operationID !== Actor.operationID()) throw new NotFoundError("record", q.recordID);
    if (!Actor.can("audit.read", target)) throw new NotFoundError("record", q.recordID);
    return Audit.history(q, target);
  }
}
