import type { TxItem } from "../common/db.ts";
import { nowIso } from "../common/db.ts";
import { Unique } from "../common/unique.ts";
import type { Info } from "./store.ts";

/**
 * The change that issues a household's tickets for `tripID` (one number per seat), voiding tickets of an earlier
 * trip, and the claim that makes the n-th ticket of a relocation exist once, whatever happens to versions and
 * retries. Used by the workflow's ticket step and by check-in at the terminal, whichever comes first; undefined
 * when the household already holds tickets for that trip.
 */
export function ticketChange(
  rel: Info,
  tripID: string,
): { set: Partial<Info>; with: TxItem[]; action: string } | undefined {
  if (rel.ticket?.tripID === tripID) return undefined;
  const seq = (rel.voidedTickets?.length ?? 0) + (rel.ticket ? 1 : 0) + 1;
  const voided = rel.ticket
    ? [...(rel.voidedTickets ?? []), { ...rel.ticket, voidedAt: nowIso() }]
    : rel.voidedTickets;
  const numbers = Array.from(
    { length: rel.seats ?? rel.householdSize },
    (_, i) => `${rel.relocationID.slice(-8)}-${seq}-${i + 1}`,
  );
  return {
    set: { ticket: { tripID, numbers, issuedAt: nowIso() }, voidedTickets: voided },
    with: [Unique.claim("relocation-ticket", `${rel.relocationID}#${seq}`, rel.relocationID)],
    action: seq > 1 ? "workflow.ticket.reissue" : "workflow.ticket",
  };
}
