import { z } from "zod";
import { Actor } from "../actor.ts";
import { Identifier } from "../common/id.ts";
import { nowIso, type TxItem } from "../common/db.ts";
import { NotFoundError } from "../common/errors.ts";
import { Cursor } from "../common/cursor.ts";
import { AuditEntity } from "./audit.entity.ts";

export namespace Audit {
  export interface Event {
    recordID: string;
    recordType: string;
    action: string;
    operationID: string;
    officeID?: string;
    reason?: string;
    changes?: Record<string, { before?: unknown; after?: unknown }>;
    restricted?: boolean;
  }

  function build(event: Event) {
    return {
      ...event,
      auditID: Identifier.create("audit"),
      actorID: Actor.id(),
      time: nowIso(),
    };
  }

  /** The audit event as a transaction item, so it is written with the change or not at all. */
  export function txItem(event: Event): TxItem {
    return { put: AuditEntity.create(build(event)).params() };
  }

  /** For events with no accompanying write (reads of restricted records, exports). */
  export async function record(event: Event): Promise<void> {
    await AuditEntity.create(build(event)).go();
  }

  /** Before/after of the fields that changed. */
  export function diff(before: Record<string, unknown>, after: Record<string, unknown>, fields: string[]) {
    const changes: Record<string, { before?: unknown; after?: unknown }> = {};
    for (const f of fields) {
      if (JSON.stringify(before[f]) !== JSON.stringify(after[f]))
        changes[f] = { before: before[f], after: after[f] };
    }
    return changes;
  }

  export const HistoryQuery = z.object({
    recordID: z.string().min(1),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().optional(),
  });

  /**
   * The history of one record. The caller must be allowed to read audit trails; the record's own permission
   * check happens in the owning namespace (`target`), so a supervisor of office A cannot read office B's history.
   */
  export async function history(input: z.input<typeof HistoryQuery>, target?: Actor.Target) {
    const q = HistoryQuery.parse(input);
    Actor.assert("audit.read", target);
    const res = await AuditEntity.query
      .byRecord({ recordID: q.recordID })
      .go({ limit: q.limit, cursor: Cursor.verify(q.cursor, `audit:${q.recordID}`) });
    const operationID = Actor.operationID();
    const items = res.data.filter((e) => e.operationID === operationID);
    if (res.data.length > 0 && items.length === 0) throw new NotFoundError("record", q.recordID);
    return { items, nextCursor: Cursor.sign(res.cursor, `audit:${q.recordID}`) };
  }
}
