import { IndividualListQuery, type IndividualInfo } from "@waypoint/schema/registry";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { batchGet } from "../common/batch-get.ts";
import { Cursor } from "../common/cursor.ts";
import { ForbiddenError, InvalidError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { foldName } from "../dedupe/phonetic.ts";
import { DedupeKeyEntity } from "../dedupe/dedupe.entity.ts";
import { IndividualEntity } from "./individual.entity.ts";
import { RegistrationNumber } from "./number.ts";
import { FieldValues } from "../fields/values.ts";
import { FieldIndex } from "../fields/value-index.ts";
import { redact } from "./redact.ts";

type Ops = Record<string, (...a: unknown[]) => string>;
type Attrs = Record<string, unknown>;

/** Which offices a list may reach: `all`, or a list; `own` adds a createdBy filter. */
export function listReach(action: "individual.read" | "household.read", officeID?: string) {
  const reach = Actor.listScope(action);
  if (!reach) throw new ForbiddenError(action);
  const user = reach.user;
  let offices: "all" | string[] =
    reach.scope === "operation" || !user || user.officeIDs.length === 0 ? "all" : user.officeIDs;
  if (officeID) {
    if (offices !== "all" && !offices.includes(officeID))
      throw new ForbiddenError(action, "Your account does not cover this office.");
    offices = [officeID];
  }
  return { offices, createdBy: reach.scope === "own" ? user?.userID : undefined };
}

/** Pages through a query until `limit` items passed the filters (DynamoDB applies Limit before filtering). */
export async function collect<T>(
  run: (cursor: string | null, limit: number) => Promise<{ data: T[]; cursor: string | null }>,
  first: string | null,
  limit: number,
) {
  const items: T[] = [];
  let cursor = first;
  do {
    const page = await run(cursor, Math.max(limit - items.length, 25));
    const room = limit - items.length;
    items.push(...page.data.slice(0, room));
    cursor = page.data.length > room ? null : page.cursor;
    if (page.data.length > room) return { items, cursor: undefined, truncated: true };
  } while (cursor && items.length < limit);
  return { items, cursor, truncated: false };
}

/**
 * The register as the grid pages through it: by office and last change (delta sync with `updatedSince`), by
 * name prefix, or by household. Scope is part of the query, never a filter on the way out, and the cursor is
 * signed together with the query it belongs to.
 */
export async function listIndividuals(input: IndividualListQuery) {
  const parsed = IndividualListQuery.safeParse(input);
  if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
  const q = parsed.data;
  const operationID = Actor.operationID();
  const { offices, createdBy } = listReach("individual.read", q.officeID);
  await FieldValues.ready(operationID);
  const byField = q.field ? FieldValues.matcher("individual", operationID, q.field) : undefined;
  const exact = q.q && !q.cursor ? await byNumberOrPhone(q.q, operationID) : undefined;
  // a number that matches no one may still be the start of a name: the name search answers then
  if (exact?.length) {
    const items = exact.filter(
      (r) =>
        !r.deleted &&
        (offices === "all" || offices.includes(r.officeID)) &&
        (!createdBy || r.createdBy === createdBy) &&
        (!q.status || r.status === q.status) &&
        (!q.householdID || r.householdID === q.householdID) &&
        (!byField || byField(r)),
    );
    return { items: items.map((r) => redact("individual", r) as IndividualInfo), nextCursor: null };
  }
  const prefix = q.q ? foldName(q.q) : undefined;
  const sync = Boolean(q.updatedSince);
  // a configured value is a query on its index (once the operation's records are indexed), not a register read
  if (byField && q.field && !prefix && !q.householdID && !sync) {
    const colon = q.field.indexOf(":");
    const key = q.field.slice(0, colon);
    const value = q.field.slice(colon + 1);
    if (FieldIndex.normalise(value) !== "" && (await FieldIndex.covers(operationID))) {
      const keep = (r: IndividualInfo) =>
        r.operationID === operationID &&
        (q.includeDeleted || !r.deleted) &&
        (r.status as string) !== "erased" &&
        (offices === "all" || offices.includes(r.officeID)) &&
        (!createdBy || r.createdBy === createdBy) &&
        (!q.status || r.status === q.status) &&
        byField(r);
      const many = FieldValues.definitions("individual", operationID).find((d) => d.key === key)?.type === "manyOf";
      return byIndexedValue(q, operationID, key, value, many, keep);
    }
  }
  const index = q.householdID
    ? "byHousehold"
    : prefix || q.sort === "name"
      ? "byName"
      : offices !== "all" && offices.length === 1
        ? "byOffice"
        : "byOperation";
  const scope = JSON.stringify({ a: Actor.id(), i: index, q: { ...q, limit: undefined, cursor: undefined } });
  const order = q.sort === "-timeUpdated" && index !== "byName" ? "desc" : "asc";

  const where = (attr: Attrs, op: Ops) => {
    const parts: string[] = [op.eq!(attr.operationID, operationID)];
    if (offices !== "all" && index !== "byOffice")
      parts.push(`(${offices.map((o) => op.eq!(attr.officeID, o)).join(" OR ")})`);
    if (createdBy) parts.push(op.eq!(attr.createdBy, createdBy));
    if (q.status) parts.push(op.eq!(attr.status, q.status));
    if (!q.includeDeleted && !sync) parts.push(op.ne!(attr.deleted, true));
    if (sync && index !== "byOffice" && index !== "byOperation")
      parts.push(op.gte!(attr.timeUpdated, q.updatedSince));
    return parts.join(" AND ");
  };

  const run = async (cursor: string | null, limit: number) => {
    // filtering a configured value here (below) keeps a fraction of each page: read full pages, not the remainder
    const opts = { cursor, limit: byField ? Math.max(limit, 1000) : limit, order } as const;
    const base = IndividualEntity.query;
    let query;
    if (index === "byHousehold") query = base.byHousehold({ householdID: q.householdID! });
    else if (index === "byName") {
      const b = base.byName({ operationID });
      query = prefix ? b.begins({ searchName: prefix }) : b;
    } else if (index === "byOffice") {
      const b = base.byOffice({ operationID, officeID: (offices as string[])[0]! });
      query = q.updatedSince ? b.gte({ timeUpdated: q.updatedSince }) : b;
    } else {
      const b = base.byOperation({ operationID });
      query = q.updatedSince ? b.gte({ timeUpdated: q.updatedSince }) : b;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the four index builders share `where`/`go` but not one type
    const res = await (query as any).where(where).go(opts);
    const data = res.data as IndividualInfo[];
    // a configured value sits in a map DynamoDB cannot filter through ElectroDB: the page is filtered here, and
    // `collect` keeps paging until the page is full, as it does for DynamoDB's own filters
    return { data: byField ? data.filter(byField) : data, cursor: res.cursor as string | null };
  };

  const raw = Cursor.verify(q.cursor, scope);
  const page = await collect(run, raw, q.limit);
  let nextCursor: string | null = null;
  if (page.truncated || page.cursor) {
    const last = page.items[page.items.length - 1];
    nextCursor = last ? Cursor.sign(lastKeyCursor(index, last), scope) : null;
  }
  return { items: page.items.map((r) => redact("individual", r) as IndividualInfo), nextCursor };
}

/**
 * The list filtered on a configured value through the value index: records in registration (ID) order, each hit
 * read and checked again (scope, status, the value itself), pages continued after the last record returned.
 */
async function byIndexedValue(
  q: z.output<typeof IndividualListQuery>,
  operationID: string,
  key: string,
  value: string,
  many: boolean,
  keep: (r: IndividualInfo) => boolean,
) {
  const limit = q.limit ?? 100;
  const scope = JSON.stringify({ a: Actor.id(), i: "byValue", q: { ...q, limit: undefined, cursor: undefined } });
  let cursor = Cursor.verify(q.cursor, scope);
  const items: IndividualInfo[] = [];
  let next: string | null = null;
  do {
    const page = await FieldIndex.lookup("individual", operationID, key, value, {
      cursor,
      limit: Math.max(limit - items.length, 50),
    });
    const found = await batchGet<IndividualInfo>(
      IndividualEntity,
      page.ids.map((individualID) => ({ individualID })),
    );
    const byID = new Map(found.map((r) => [r.individualID, r]));
    let full = false;
    for (const id of page.ids) {
      const r = byID.get(id);
      if (!r || !keep(r)) continue;
      if (items.length === limit) {
        full = true;
        break;
      }
      items.push(r);
    }
    cursor = page.cursor;
    if (full || (items.length === limit && cursor)) {
      const last = items[items.length - 1]!;
      next = Cursor.sign(FieldIndex.cursorAfter("individual", operationID, key, value, last.individualID, many), scope);
      break;
    }
  } while (cursor);
  return { items: items.map((r) => redact("individual", r) as IndividualInfo), nextCursor: next };
}

const REGISTRATION_NUMBER = /^[A-Z0-9]{2,6}(-[A-Z0-9]{2,6}){1,3}-H?\d{4,}$/;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

/**
 * A search that is a registration number (`MEX-TAP-26-000123`) or a phone number (`+52 962 123 4567`) finds its
 * records exactly, through the number's uniqueness claim or the phone's duplicate-detection key; undefined when
 * the text is neither (a name prefix search follows).
 */
async function byNumberOrPhone(text: string, operationID: string): Promise<IndividualInfo[] | undefined> {
  const t = text.trim().toUpperCase();
  let ids: string[];
  if (REGISTRATION_NUMBER.test(t)) {
    const id = await RegistrationNumber.owner(operationID, t);
    ids = id ? [id] : [];
  } else if (PHONE.test(t)) {
    const phone = `+${t.replace(/\D/g, "")}`;
    const keys = await DedupeKeyEntity.query
      .primary({ operationID, kind: "phone", value: phone })
      .go({ pages: 3, attributes: ["individualID"] });
    ids = [...new Set(keys.data.map((k) => k.individualID))];
  } else return undefined;
  if (ids.length === 0) return [];
  const found = await batchGet<IndividualInfo>(
    IndividualEntity,
    ids.map((individualID) => ({ individualID })),
  );
  return found.filter((r) => r.operationID === operationID);
}

/** ElectroDB's cursor for "continue after this item": the item's table and index keys, base64 JSON. */
function lastKeyCursor(index: string, item: IndividualInfo): string {
  const keys = IndividualEntity.create(item as never).params() as { Item: Record<string, string> };
  const k = keys.Item;
  const gsi = { byOperation: "gsi1", byOffice: "gsi2", byName: "gsi3", byHousehold: "gsi4" }[index]!;
  const key = { pk: k.pk, sk: k.sk, [`${gsi}pk`]: k[`${gsi}pk`], [`${gsi}sk`]: k[`${gsi}sk`] };
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}
