import { Narrative } from "../privacy/narrative.ts";

/**
 * BIA and BID reasons (the summary and the reviewers' comments) are narratives about a child at risk: sealed at
 * field level before they reach the table, like case notes (privacy/narrative.ts), and opened for those who may
 * read the assessment. Other kinds of assessment keep their text as it is.
 */
const KINDS = new Set(["bia", "bid"]);

type Review = { comment?: string } & Record<string, unknown>;
type Part = { summary?: unknown; reviews?: unknown } & Record<string, unknown>;

export const sealedKind = (kind: unknown) => typeof kind === "string" && KINDS.has(kind);

async function mapReviews(v: unknown, f: (s: string) => Promise<string>): Promise<unknown> {
  if (!Array.isArray(v)) return v;
  return Promise.all(
    (v as Review[]).map(async (r) =>
      r && typeof r.comment === "string" ? { ...r, comment: await f(r.comment) } : r,
    ),
  );
}

/** `set` (a record or the fields of a change) with the summary and review comments sealed, for BIA/BID. */
export async function sealAssessment<T extends Part>(kind: unknown, operationID: string, set: T): Promise<T> {
  if (!sealedKind(kind)) return set;
  const seal = (s: string) => Narrative.seal(operationID, s);
  const out: Part = { ...set };
  if (typeof out.summary === "string") out.summary = await seal(out.summary);
  if ("reviews" in out) out.reviews = await mapReviews(out.reviews, seal);
  return out as T;
}

/** A stored assessment with its summary and review comments opened (a value stored in clear stays as it is). */
export async function openAssessment<T>(a: T): Promise<T> {
  const r = a as Part | undefined;
  if (!r || !sealedKind(r.kind) || !JSON.stringify(r).includes('"nar.v1.')) return a;
  const operationID = String(r.operationID);
  const open = (s: string) => Narrative.open(operationID, s);
  return {
    ...r,
    ...(typeof r.summary === "string" ? { summary: await open(r.summary) } : {}),
    ...(Array.isArray(r.reviews) ? { reviews: await mapReviews(r.reviews, open) } : {}),
  } as T;
}

export const openAssessments = <T>(list: T[]): Promise<T[]> => Promise.all(list.map(openAssessment));

/** An audit diff of a BIA/BID with the summary and review comments sealed (before and after). */
export async function sealAssessmentDiff(
  kind: unknown,
  operationID: string,
  changes: Record<string, { before?: unknown; after?: unknown }>,
) {
  if (!sealedKind(kind)) return changes;
  const seal = (s: string) => Narrative.seal(operationID, s);
  const out = { ...changes };
  const s = out.summary;
  if (s)
    out.summary = {
      before: typeof s.before === "string" ? await seal(s.before) : s.before,
      after: typeof s.after === "string" ? await seal(s.after) : s.after,
    };
  const r = out.reviews;
  if (r) out.reviews = { before: await mapReviews(r.before, seal), after: await mapReviews(r.after, seal) };
  return out;
}
