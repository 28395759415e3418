import {
  EnquiryChanges,
  EnquiryCreate,
  EnquiryListQuery,
  FaqPut,
  QueueItem,
  type EnquiryInfo,
  type FaqEntry,
} from "@waypoint/schema/community";
import { today } from "@waypoint/schema/zone";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite, transactWriteOrConflict } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { listPartition, splitChanges } from "../common/scope.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { RegistrationNumber } from "../individual/number.ts";
import { LeadEntity } from "../intake/intake.entity.ts";
import { Operation } from "../operation/index.ts";
import { EnquiryEntity, FaqEntity } from "./enquiry.entity.ts";

export { Leads } from "./leads.ts";

type Stored = EnquiryInfo & { deleted?: boolean };
const AUDITED = Object.keys(EnquiryChanges.shape);

const target = (e: Stored): Actor.Target => ({
  operationID: e.operationID,
  officeID: e.officeID,
  createdBy: e.createdBy,
});

/** A follow-up whose day has passed in the operation while the enquiry is still open. */
export const isOverdue = (e: { followUpDue?: string; status: string }, todayHere: string) =>
  !!e.followUpDue && e.status !== "closed" && e.followUpDue < todayHere;

async function person(individualID: string, path = "individualID") {
  const p = (await IndividualEntity.get({ individualID }).go()).data;
  if (!p || p.deleted || p.operationID !== Actor.operationID() || !Actor.can("individual.read", p))
    throw InvalidError.field(path, "invalid.individual", "No such registered person");
  return p;
}

async function load(enquiryID: string, consistent = false): Promise<Stored> {
  const e = (await EnquiryEntity.get({ enquiryID }).go({ consistent })).data as Stored | null;
  if (!e || e.deleted || e.operationID !== Actor.operationID()) throw new NotFoundError("enquiry", enquiryID);
  return e;
}

/**
 * The enquiry log: phone calls, walk-ins and messages with the answer given and the follow-up due, linked to the
 * registered person when known; with the operation's FAQ beside it and the interest form's leads in the queue.
 */
export namespace Enquiry {
  export type Info = EnquiryInfo;

  export const create = fn(EnquiryCreate, async (input): Promise<Info> => {
    const operationID = Actor.operationID();
    await RegistrationNumber.office(operationID, input.officeID);
    Actor.assert("enquiry.record", { operationID, officeID: input.officeID });
    if (input.individualID) await person(input.individualID);
    const now = nowIso();
    const item = {
      ...input,
      enquiryID: Identifier.create("enquiry"),
      operationID,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const put = EnquiryEntity.create(item).params() as { Item: Record<string, unknown> };
    if (!item.individualID) (delete put.Item.gsi3pk, delete put.Item.gsi3sk);
    await transactWriteOrConflict([
      { put },
      Audit.txItem({
        recordID: item.enquiryID,
        recordType: "enquiry",
        action: "create",
        operationID,
        officeID: input.officeID,
        changes: Audit.diff({}, item, AUDITED),
      }),
    ]);
    return item as Info;
  });

  export async function get(enquiryID: string): Promise<Info> {
    const e = await load(enquiryID);
    Actor.assert("enquiry.read", target(e));
    return e;
  }

  export const update = fn(
    z.object({ enquiryID: z.string().max(40), version: z.number().int().min(1), changes: EnquiryChanges }),
    async ({ enquiryID, version, changes }): Promise<Info> => {
      const cur = await load(enquiryID, true);
      Actor.assert("enquiry.record", target(cur));
      if (changes.individualID) await person(changes.individualID, "changes.individualID");
      const next = { ...cur, ...changes };
      if (!next.callerName && !next.individualID)
        throw InvalidError.field(
          "changes.callerName",
          "invalid.caller",
          "give the caller's name or pick the registered person",
        );
      const { set, remove } = splitChanges(changes);
      // the person's index is keyed by the enquiry's creation time too
      if (set.individualID) set.timeCreated = cur.timeCreated;
      const after = { ...cur, ...set } as Record<string, unknown>;
      for (const r of remove) delete after[r];
      const res = await writeVersioned(
        {
          entity: EnquiryEntity,
          key: { enquiryID },
          expectedVersion: version,
          set,
          remove,
          audit: {
            recordID: enquiryID,
            recordType: "enquiry",
            action: "update",
            operationID: cur.operationID,
            officeID: cur.officeID,
            changes: Audit.diff(cur, after, AUDITED),
          },
          view: asRead(() => get(enquiryID)),
        },
        async () => (await EnquiryEntity.get({ enquiryID }).go({ consistent: true })).data,
      );
      return { ...after, ...res } as Info;
    },
  );

  /**
   * The queue: enquiries newest first (only those still to do in the `open` view), each marked overdue when its
   * follow-up day has passed; on the first page of the open view, the leads of the interest form (and partners'
   * Kobo forms) not yet registered or closed, for those who may read intake.
   */
  export const queue = fn(EnquiryListQuery, async (q) => {
    const operationID = Actor.operationID();
    const todayHere = today(await Operation.timeZone(operationID));
    if (q.individualID) {
      const p = await person(q.individualID);
      Actor.assert("enquiry.read", { operationID, officeID: p.officeID });
      const rows = (await EnquiryEntity.query.byIndividual({ individualID: q.individualID }).go({ pages: "all", order: "desc" }))
        .data as Stored[];
      const items = rows.filter(
        (e) => !e.deleted && e.individualID === q.individualID && Actor.can("enquiry.read", target(e)),
      );
      return { items: items.map((e) => row(e, todayHere)), nextCursor: null };
    }
    const part = listPartition("enquiry.read", q.officeID);
    const scope = `enquiries:${operationID}:${part.kind === "office" ? part.officeID : ""}:${q.view}`;
    const query =
      part.kind === "office"
        ? EnquiryEntity.query.byOffice({ officeID: part.officeID })
        : EnquiryEntity.query.byOperation({ operationID });
    const res = await query.go({ limit: q.limit, cursor: Cursor.verify(q.cursor, scope), order: "desc" });
    const enquiries = (res.data as Stored[]).filter(
      (e) =>
        !e.deleted &&
        e.operationID === operationID &&
        (part.kind !== "own" || e.createdBy === part.userID) &&
        (q.view === "all" || e.status !== "closed"),
    );
    const items: QueueRow[] = enquiries.map((e) => row(e, todayHere));
    if (!q.cursor && q.view === "open" && Actor.can("intake.read")) items.push(...(await openLeads(operationID)));
    items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || b.time.localeCompare(a.time));
    return { items, nextCursor: Cursor.sign(res.cursor, scope) };
  });

  type QueueRow = z.infer<typeof QueueItem>;

  function row(e: Stored, todayHere: string): QueueRow {
    return {
      kind: "enquiry" as const,
      id: e.enquiryID,
      time: e.timeCreated,
      name: e.callerName,
      individualID: e.individualID,
      channel: e.channel,
      topic: e.topic,
      status: e.status,
      followUpDue: e.followUpDue,
      overdue: isOverdue(e, todayHere),
      version: e.version,
      record: e as unknown as Record<string, unknown>,
    };
  }

  async function openLeads(operationID: string): Promise<QueueRow[]> {
    const leads = (await LeadEntity.query.byOperation({ operationID }).go({ pages: "all", order: "desc" })).data;
    return leads
      .filter((l) => l.status === "new" || l.status === "contacted")
      .slice(0, 200)
      .map((l) => ({
        kind: "lead" as const,
        id: l.leadID,
        time: l.submittedAt ?? l.timeCreated,
        name: [l.givenName, l.familyName].filter(Boolean).join(" "),
        individualID: undefined,
        channel: l.source === "public" ? "interest_form" : "kobo",
        topic: l.programme,
        status: l.status,
        followUpDue: undefined,
        overdue: false,
        version: l.version,
        // what identification needs; raw Kobo answers stay on the intake screens
        record: {
          leadID: l.leadID,
          givenName: l.givenName,
          familyName: l.familyName,
          sex: l.sex,
          dateOfBirth: l.dateOfBirth,
          birthYear: l.birthYear,
          estimatedAge: l.estimatedAge,
          nationality: l.nationality,
          phone: l.phone,
          email: l.email,
          languages: l.languages,
          location: l.location,
          householdSize: l.householdSize,
          programme: l.programme,
          source: l.source,
          possibleMatches: l.possibleMatches ?? [],
          status: l.status,
          version: l.version,
        },
      }));
  }

  /** The programme's FAQ of the operation (every language; the screen shows the user's). */
  export async function faq(): Promise<{ entries: FaqEntry[]; version: number }> {
    Actor.assert("enquiry.read");
    const f = (await FaqEntity.get({ operationID: Actor.operationID() }).go()).data;
    return { entries: (f?.entries as FaqEntry[] | undefined) ?? [], version: f?.version ?? 0 };
  }

  /** An administrator replaces the FAQ as a whole, at the version they edited (0 for the first). */
  export const putFaq = fn(FaqPut, async ({ version, entries }) => {
    const operationID = Actor.operationID();
    Actor.assert("faq.manage", { operationID });
    const cur = (await FaqEntity.get({ operationID }).go({ consistent: true })).data;
    const audit = {
      recordID: `faq:${operationID}`,
      recordType: "faq",
      operationID,
      changes: { entries: { before: cur?.entries?.length ?? 0, after: entries.length } },
    };
    if (!cur) {
      if (version !== 0) throw new ConflictError("The FAQ was removed", undefined);
      const now = nowIso();
      const tx = await transactWrite([
        {
          put: FaqEntity.create({ operationID, entries, version: 1, timeCreated: now, timeUpdated: now }).params(),
        },
        Audit.txItem({ ...audit, action: "create" }),
      ]);
      if (!tx.ok) throw new ConflictError("Someone else wrote the FAQ first", await faq());
      return { entries, version: 1 };
    }
    const res = await writeVersioned(
      {
        entity: FaqEntity,
        key: { operationID },
        expectedVersion: version,
        set: { entries },
        audit: { ...audit, action: "update" },
        view: () => faq(),
      },
      async () => (await FaqEntity.get({ operationID }).go({ consistent: true })).data,
    );
    return { entries, version: res.version };
  });
}
