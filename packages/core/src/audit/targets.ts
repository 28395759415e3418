import { z } from "zod";
import { Actor } from "../actor.ts";
import { Appointment } from "../appointment/index.ts";
import { caseTarget, loadCase } from "../case/store.ts";
import { NotFoundError } from "../common/errors.ts";
import { Prefixes } from "../common/id.ts";
import { referralTarget, loadReferral } from "../referral/store.ts";
import { Assessment } from "../assessment/index.ts";
import { CaseDocument } from "../document/index.ts";
import { Household } from "../household/index.ts";
import { Incident } from "../incident/index.ts";
import { Individual } from "../individual/index.ts";
import { Note } from "../note/index.ts";
import { Batch } from "../batch/index.ts";
import { ForbiddenError } from "../common/errors.ts";
import { FspProfile } from "../fsp/index.ts";
import { Hosting } from "../hosting/index.ts";
import { Payee } from "../payee/index.ts";
import { Payment } from "../payment/index.ts";
import { Reintegration } from "../reintegration/index.ts";
import { Relocation } from "../relocation/index.ts";
import { RelocationTrip } from "../relocation/trip.ts";
import { Resettlement } from "../resettlement/index.ts";
import { Audit } from "./index.ts";

type Loader = (id: string) => Promise<(Actor.Target & { deleted?: boolean }) | undefined>;

/**
 * `GET /api/audit?recordId=`: the history of one record, checked against the record's own target (office,
 * assignment, restriction), so a supervisor of office A cannot read office B's history. The record type is
 * known from the ID prefix; a namespace adds its loader with `register`.
 */
export namespace RecordAudit {
  const loaders = new Map<string, Loader>();

  export function register(prefix: string, load: Loader) {
    loaders.set(prefix, load);
  }

  register(Prefixes.case, async (id) => {
    const c = await loadCase(id);
    return c && { ...caseTarget(c), deleted: (c as { deleted?: boolean }).deleted };
  });
  register(Prefixes.referral, async (id) => {
    const r = await loadReferral(id);
    return r && { ...referralTarget(r), deleted: r.deleted };
  });
  register(Prefixes.appointment, async (id) => {
    const a = await Appointment.load(id);
    return a && Appointment.target(a);
  });

  register(Prefixes.assessment, async (id) => {
    const a = await Assessment.load(id);
    return a && { ...(await Assessment.targetOf(a)), deleted: a.deleted };
  });
  register(Prefixes.note, async (id) => {
    const n = await Note.load(id);
    return n && { ...(await Note.targetOf(n)), deleted: n.deleted };
  });
  register(Prefixes.document, async (id) => {
    const d = await CaseDocument.load(id);
    return d && { ...(await CaseDocument.targetOf(d)), deleted: d.deleted };
  });
  register(Prefixes.incident, async (id) => {
    const i = await Incident.load(id);
    return i && { ...Incident.target(i), deleted: i.deleted };
  });
  register(Prefixes.individual, async (id) => {
    const r = await Individual.load(id);
    return r && { ...Individual.target(r), deleted: r.deleted };
  });
  register(Prefixes.household, async (id) => {
    const r = await Household.load(id);
    return r && { ...Household.target(r), deleted: r.deleted };
  });

  /**
   * Records of the other modules: their own `get` checks that the actor may read the record; a record the actor
   * may not read is "not found" here too, so its history never confirms that it exists.
   */
  type Get = (id: string) => Promise<{ operationID: string; officeID?: string; deleted?: boolean }>;
  const gets: [string, Get][] = [
    [Prefixes.relocation, (id) => Relocation.get(id)],
    [Prefixes.trip, (id) => RelocationTrip.get(id)],
    [Prefixes.payment, (id) => Payment.get(id)],
    [Prefixes.batch, (id) => Batch.get(id)],
    [
      Prefixes.payee,
      async (id) => {
        const p = await Payee.load(id);
        Actor.assert("payee.read", p);
        return p;
      },
    ],
    [Prefixes.submission, (id) => Resettlement.get(id)],
    [Prefixes.returnCase, (id) => Reintegration.get(id)],
    [Prefixes.host, (id) => Hosting.getHost(id)],
    [Prefixes.fsp, (id) => FspProfile.get(id)],
  ];
  for (const [prefix, get] of gets)
    register(prefix, async (id) => {
      try {
        const r = await get(id);
        return { operationID: r.operationID, officeID: r.officeID, deleted: r.deleted };
      } catch (err) {
        if (err instanceof NotFoundError || err instanceof ForbiddenError) return undefined;
        throw err;
      }
    });

  export const Query = z.object({
    recordID: z.string().min(1),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: z.string().optional(),
  });

  export async function history(input: z.input<typeof Query>) {
    const q = Query.parse(input);
    const load = loaders.get(q.recordID.split("_")[0] ?? "");
    if (!load) throw new NotFoundError("record", q.recordID);
    const target = await load(q.recordID);
    if (!target || target.operationID !== Actor.operationID()) throw new NotFoundError("record", q.recordID);
    if (target.restricted && !Actor.can("audit.read", target)) throw new NotFoundError("record", q.recordID);
    return Audit.history(q, target);
  }
}
