import { QueryCommand, type AttributeValue, type QueryCommandInput } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { dynamoClient } from "../dynamo.ts";

type Raw = Record<string, unknown>;
type Key = Record<string, AttributeValue>;
/** DocumentClient-shaped Query parameters, as ElectroDB's `.params()` builds them. */
type Params = Record<string, unknown> & { ExpressionAttributeValues?: Record<string, unknown> };

/**
 * An index whose sort key starts with `timeUpdated` (the `byOperation` / `byOffice` indexes of the registry
 * kinds): `all()` is the whole partition, `between(a, b)` the items changed in [a, b). The sort key is
 * `…timeUpdated_<iso>#<id>…`, so a BETWEEN whose bounds are bare timestamps is half-open: an item changed exactly
 * at `b` sorts after the bound and falls in the next range.
 */
export interface TimeIndex {
  all(): Params;
  between(from: string, to: string): Params;
  /** Attribute holding the change time on the returned items. */
  timeAttribute: string;
}

/**
 * The `TimeIndex` of an ElectroDB query on an index sorted by `timeUpdated` (`byOperation`, `byOffice` of the
 * registry kinds), reading only `attributes`.
 */
export function timeIndex(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ElectroDB query builders differ per entity
  query: () => any,
  attributes: readonly string[],
): TimeIndex {
  const attrs = [...attributes];
  return {
    timeAttribute: "timeUpdated",
    all: () => query().params({ attributes: attrs }),
    between: (from, to) =>
      query().between({ timeUpdated: from }, { timeUpdated: to }).params({ attributes: attrs }),
  };
}

export interface RangeReadOptions {
  /** DynamoDB `Limit` per page. Small pages keep DynamoDB Local fast (see docs/reports.md) and memory low. */
  pageSize: number;
  /** Query requests in flight at once. */
  concurrency: number;
  /** Pages read ahead of the consumer, in flight or buffered: the memory bound (pageSize × maxAhead items). */
  maxAhead: number;
}

export const DEFAULT_RANGE_READ: RangeReadOptions = { pageSize: 1000, concurrency: 8, maxAhead: 24 };

let tuned: RangeReadOptions = DEFAULT_RANGE_READ;
/**
 * Page size, parallelism and read-ahead of every range read: cold register exports and the reports' first loads
 * (tests use tiny pages to cross many page, range and split edges). No argument: back to the defaults.
 */
export function tuneRangeReads(opts?: Partial<RangeReadOptions>) {
  tuned = { ...DEFAULT_RANGE_READ, ...opts };
}
export const rangeReads = (): RangeReadOptions => tuned;

interface Range {
  from: string;
  to: string;
  startKey?: Key;
  pages: Raw[][];
  fetching: boolean;
  done: boolean;
}

const toRaw = (p: Params): QueryCommandInput =>
  ({
    ...p,
    ExpressionAttributeValues: p.ExpressionAttributeValues
      ? marshall(p.ExpressionAttributeValues)
      : undefined,
  }) as QueryCommandInput;

async function edge(index: TimeIndex, forward: boolean): Promise<string | undefined> {
  const res = await dynamoClient().send(
    new QueryCommand({ ...toRaw(index.all()), Limit: 1, ScanIndexForward: forward }),
  );
  return res.Items?.[0]?.[index.timeAttribute]?.S;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Every item of a `timeUpdated`-sorted index partition, page by page, **in index order** (oldest change first),
 * read with up to `concurrency` Queries in flight and at most `maxAhead` pages held ahead of the consumer.
 *
 * The partition is cut into time ranges read side by side. A range that comes back with more to read is split at
 * the middle of what is left: its first half continues from where the page stopped, the second half becomes a new
 * range behind it, so the read stays parallel however skewed the changes are in time (a bulk import is one dense
 * burst). Pages are handed out strictly in range order; a range ahead of the consumer stops reading once the
 * read-ahead budget is spent, so memory does not grow with the partition.
 */
export async function* readTimeIndex(
  index: TimeIndex,
  opts: RangeReadOptions = rangeReads(),
): AsyncGenerator<Raw[]> {
  const [first, last] = await Promise.all([edge(index, true), edge(index, false)]);
  if (!first || !last) return;
  const lo = Date.parse(first);
  const hi = Date.parse(last) + 1;
  const initial = Math.max(1, Math.min(opts.concurrency, hi - lo));
  const ranges: Range[] = [];
  for (let i = 0; i < initial; i++)
    ranges.push({
      from: iso(lo + Math.floor(((hi - lo) * i) / initial)),
      to: iso(i === initial - 1 ? hi : lo + Math.floor(((hi - lo) * (i + 1)) / initial)),
      pages: [],
      fetching: false,
      done: false,
    });

  let inFlight = 0;
  let buffered = 0;
  let failure: unknown;
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const fetch = async (r: Range) => {
    r.fetching = true;
    inFlight++;
    try {
      const res = await dynamoClient().send(
        new QueryCommand({
          ...toRaw(index.between(r.from, r.to)),
          Limit: opts.pageSize,
          ExclusiveStartKey: r.startKey,
        }),
      );
      const items = (res.Items ?? []).map((i) => unmarshall(i));
      if (items.length > 0) {
        r.pages.push(items);
        buffered++;
      }
      r.startKey = res.LastEvaluatedKey;
      if (!r.startKey) r.done = true;
      else split(r, items.at(-1)?.[index.timeAttribute]);
    } catch (err) {
      failure = err;
    } finally {
      r.fetching = false;
      inFlight--;
      notify();
    }
  };

  // what is left of `r` after `lastTime` is cut in two at its middle; the tail becomes a fresh range behind it
  const split = (r: Range, lastTime: unknown) => {
    if (closed || typeof lastTime !== "string") return;
    const a = Date.parse(lastTime);
    const b = Date.parse(r.to);
    const mid = Math.floor((a + b) / 2);
    if (!(mid > a && mid < b)) return;
    const tail: Range = { from: iso(mid), to: r.to, pages: [], fetching: false, done: false };
    r.to = iso(mid);
    ranges.splice(ranges.indexOf(r) + 1, 0, tail);
  };

  const schedule = () => {
    // the head range may always read: the consumer is waiting for it, whatever later ranges hold
    const head = ranges[0];
    if (head && !head.fetching && !head.done && head.pages.length === 0) void fetch(head);
    for (const r of ranges) {
      if (inFlight >= opts.concurrency || inFlight + buffered >= opts.maxAhead) return;
      if (!r.fetching && !r.done) void fetch(r);
    }
  };

  try {
    while (ranges.length > 0) {
      if (failure) throw failure;
      schedule();
      const head = ranges[0]!;
      const page = head.pages.shift();
      if (page) {
        buffered--;
        yield page;
        continue;
      }
      if (head.done) {
        ranges.shift();
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure) throw failure;
  } finally {
    // a consumer that stops early (client gone) leaves no read running into the void
    closed = true;
    ranges.length = 0;
  }
}
