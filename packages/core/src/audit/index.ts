import { z } from "zod";
import { Actor } from "../actor.ts";
import { batchGet } from "../common/batch-get.ts";
import { Identifier } from "../common/id.ts";
import { nowIso, type TxItem } from "../common/db.ts";
import { NotFoundError } from "../common/errors.ts";
import { Cursor } from "../common/cursor.ts";
import { AuditEntity } from "./audit.entity.ts";
import { Narrative } from "../privacy/narrative.ts";
import { OrganisationEntity } from "../organisation/organisation.entity.ts";
import { UserEntity } from "../user/user.entity.ts";

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

  type Stored = NonNullable<Awaited<ReturnType<ReturnType<typeof AuditEntity.get>["go"]>>["data"]>;

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
    Actor.assert("audit.read", target);
    return trailOf(input, target ?? { operationID: Actor.operationID() });
  }

  /**
   * The history of a record the caller has already read through its own module (`RecordAudit.history`, the
   * registry's history routes): whoever may read a record may read its history. `record` is the record as read;
   * `hidden` are the fields the reader's read withholds (field-level restrictions): their before/after are left
   * out of every event, so the history never shows what the record's own read does not.
   */
  export async function trailOf(
    input: z.input<typeof HistoryQuery>,
    record: { operationID: string },
    hidden: readonly string[] = [],
  ) {
    const q = HistoryQuery.parse(input);
    if (record.operationID !== Actor.operationID()) throw new NotFoundError("record", q.recordID);
    const res = await AuditEntity.query
      .byRecord({ recordID: q.recordID })
      .go({ limit: q.limit, cursor: Cursor.verify(q.cursor, `audit:${q.recordID}`) });
    const operationID = Actor.operationID();
    const items = res.data.filter((e) => e.operationID === operationID);
    if (res.data.length > 0 && items.length === 0) throw new NotFoundError("record", q.recordID);
    const names = await actorNames(items.map((e) => e.actorID));
    const named: (Stored & { actorName?: string })[] = await Promise.all(
      items.map(async (e) => {
        const actorName = names.get(e.actorID);
        const changes =
          e.changes && hidden.some((f) => f in (e.changes as object))
            ? Object.fromEntries(Object.entries(e.changes as object).filter(([f]) => !hidden.includes(f)))
            : e.changes;
        // encrypted narratives in a diff (notes, incidents) read as text by whoever reads the history
        const opened = await openDiff(e.operationID, changes);
        return { ...e, changes: opened, ...(actorName ? { actorName } : {}) } as Stored & {
          actorName?: string;
        };
      }),
    );
    return {
      items: named,
      nextCursor: Cursor.sign(res.cursor, `audit:${q.recordID}`),
    };
  }

  async function openDiff(operationID: string, changes: unknown): Promise<unknown> {
    if (!changes || typeof changes !== "object" || !JSON.stringify(changes).includes('"nar.v1.'))
      return changes;
    const out: Record<string, unknown> = {};
    for (const [f, c] of Object.entries(changes as Record<string, { before?: unknown; after?: unknown }>)) {
      // sealed values, also inside lists of objects (a BID's review comments)
      const open = async (v: unknown): Promise<unknown> =>
        Narrative.isSealed(v)
          ? Narrative.open(operationID, v)
          : Array.isArray(v)
            ? Promise.all(
                v.map(async (x) =>
                  x && typeof x === "object" && !Array.isArray(x)
                    ? Object.fromEntries(
                        await Promise.all(Object.entries(x).map(async ([k, y]) => [k, await open(y)] as const)),
                      )
                    : open(x),
                ),
              )
            : v;
      out[f] =
        c && typeof c === "object" ? { ...c, before: await open(c.before), after: await open(c.after) } : c;
    }
    return out;
  }

  /**
   * Who did it, readably: a staff member's name, a partner key's organisation. System and public actors keep their
   * ID (`system:workflow`). One batch read per kind for a page of events.
   */
  async function actorNames(actorIDs: string[]): Promise<Map<string, string>> {
    const users = [...new Set(actorIDs.filter((a) => a.startsWith("usr_")))];
    const orgs = [...new Set(actorIDs.filter((a) => a.startsWith("org_")).map((a) => a.split("/")[0]!))];
    const [u, o] = await Promise.all([
      batchGet<{ userID: string; name: string }>(
        UserEntity,
        users.map((userID) => ({ userID })),
        { attributes: ["userID", "name"] },
      ),
      batchGet<{ organisationID: string; name: string }>(
        OrganisationEntity,
        orgs.map((organisationID) => ({ organisationID })),
        { attributes: ["organisationID", "name"] },
      ),
    ]);
    const names = new Map<string, string>();
    for (const x of u) names.set(x.userID, x.name);
    const orgName = new Map(o.map((x) => [x.organisationID, x.name] as const));
    for (const a of actorIDs) {
      const name = a.startsWith("org_") ? orgName.get(a.split("/")[0]!) : undefined;
      if (name) names.set(a, name);
    }
    return names;
  }
}
