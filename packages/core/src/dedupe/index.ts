import type { DuplicateCandidate } from "@waypoint/schema/registry";
import { batchGet } from "../common/batch-get.ts";
import type { TxItem } from "../common/db.ts";
import { ConflictError } from "../common/errors.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { DedupeKeyEntity } from "./dedupe.entity.ts";

type StoredIndividual = NonNullable<
  Awaited<ReturnType<ReturnType<typeof IndividualEntity.get>["go"]>>["data"]
>;
import { foldName, nameKeys, namePairs, nameTokens, normaliseDocumentNumber } from "./phonetic.ts";

export { phoneticKey, nameTokens, namePairs, foldName, searchName } from "./phonetic.ts";

/** A registration refused because strong duplicate candidates exist; an override with a reason is needed. */
export class DuplicateError extends ConflictError {
  constructor(readonly candidates: DuplicateCandidate[]) {
    super(
      "Possible duplicate registration; review the candidates or override with a reason",
      { candidates },
      "duplicate",
    );
  }
}

export namespace Dedupe {
  /** The fields duplicate detection looks at. */
  export interface Person {
    individualID?: string;
    operationID: string;
    givenName: string;
    familyName: string;
    sex?: string;
    dateOfBirth?: string;
    estimatedAge?: number;
    dobEstimated?: boolean;
    nationality?: string;
    phone?: string;
    documents?: { type: string; number: string; country?: string }[];
    /** When the age was estimated (the record's creation); defaults to now. */
    timeCreated?: string;
  }
  type Key = { kind: "doc" | "phone" | "name"; value: string };

  /** Years of tolerance on the birth year: exact dates, and ages estimated at interview. */
  export const DOB_TOLERANCE_YEARS = 2;
  export const ESTIMATED_TOLERANCE_YEARS = 5;
  export const STRONG = 70;
  export const POSSIBLE = 40;

  export function birthYear(p: Person): string {
    if (p.dateOfBirth) return p.dateOfBirth.slice(0, 4);
    const at = p.timeCreated ? new Date(p.timeCreated) : new Date();
    return String(at.getUTCFullYear() - (p.estimatedAge ?? 0)).padStart(4, "0");
  }
  const estimated = (p: Person) => !p.dateOfBirth || Boolean(p.dobEstimated);

  export function keys(p: Person): Key[] {
    const out = new Map<string, Key>();
    const add = (k: Key) => out.set(`${k.kind}:${k.value}`, k);
    for (const d of p.documents ?? []) {
      const n = normaliseDocumentNumber(d.number);
      if (n.length >= 3) add({ kind: "doc", value: n });
    }
    if (p.phone) add({ kind: "phone", value: p.phone });
    for (const pair of namePairs(p.givenName, p.familyName)) add({ kind: "name", value: pair });
    return [...out.values()];
  }

  const item = (p: Person, k: Key) => ({
    operationID: p.operationID,
    kind: k.kind,
    value: k.value,
    birthYear: birthYear(p),
    individualID: p.individualID!,
  });

  /** Constraint-free key items to write with a new record. */
  export function putItems(p: Person): TxItem[] {
    return keys(p).map((k) => ({ put: DedupeKeyEntity.put(item(p, k)).params() }));
  }
  export function deleteItems(p: Person): TxItem[] {
    return keys(p).map((k) => ({ delete: DedupeKeyEntity.delete(item(p, k)).params() }));
  }
  /** The key items to delete and write when a record changes from `before` to `after`. */
  export function diffItems(before: Person, after: Person): TxItem[] {
    const id = (p: Person, k: Key) => `${k.kind}:${k.value}:${birthYear(p)}`;
    const a = new Map(keys(before).map((k) => [id(before, k), k]));
    const b = new Map(keys(after).map((k) => [id(after, k), k]));
    const out: TxItem[] = [];
    for (const [k, v] of a)
      if (!b.has(k)) out.push({ delete: DedupeKeyEntity.delete(item(before, v)).params() });
    for (const [k, v] of b) if (!a.has(k)) out.push({ put: DedupeKeyEntity.put(item(after, v)).params() });
    return out;
  }

  async function lookup(operationID: string, k: Key, year?: number): Promise<string[]> {
    const q = DedupeKeyEntity.query.primary({ operationID, kind: k.kind, value: k.value });
    const res =
      year === undefined
        ? await q.go({ pages: 3, attributes: ["individualID"] })
        : await q
            .between(
              { birthYear: String(year - ESTIMATED_TOLERANCE_YEARS).padStart(4, "0") },
              { birthYear: String(year + ESTIMATED_TOLERANCE_YEARS + 1).padStart(4, "0") },
            )
            .go({ pages: 3, attributes: ["individualID"] });
    return res.data.map((d) => d.individualID);
  }

  /**
   * Candidates for `p` among the operation's individuals, strongest first. Each key is one DynamoDB query on its
   * own partition (documents, phone, name pairs within the birth-year tolerance), so the cost does not grow with
   * the size of the register; only the records those keys point to are read and scored.
   */
  export async function find(p: Person, limit = 10) {
    const year = Number(birthYear(p));
    const hits = new Map<string, number>();
    const found = await Promise.all(
      keys(p).map((k) => lookup(p.operationID, k, k.kind === "name" ? year : undefined)),
    );
    for (const ids of found)
      for (const id of ids) if (id !== p.individualID) hits.set(id, (hits.get(id) ?? 0) + 1);
    const ids = [...hits.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 100)
      .map(([id]) => ({ individualID: id }));
    if (ids.length === 0) return [];
    const records = await batchGet<StoredIndividual>(IndividualEntity, ids);
    return records
      .filter((r) => !r.deleted && r.operationID === p.operationID)
      .map((r) => ({ record: r, ...score(p, r as Person) }))
      .filter((c) => c.score >= POSSIBLE)
      .sort((x, y) => y.score - x.score)
      .slice(0, limit)
      .map((c) => ({ ...c, strength: c.score >= STRONG ? ("strong" as const) : ("possible" as const) }));
  }

  /** How alike two people are, and why. Documented weights; a document number alone is a strong match. */
  export function score(a: Person, b: Person): { score: number; reasons: string[] } {
    let score = 0;
    const reasons: string[] = [];
    const docsB = new Map((b.documents ?? []).map((d) => [normaliseDocumentNumber(d.number), d.type]));
    for (const d of a.documents ?? []) {
      const type = docsB.get(normaliseDocumentNumber(d.number));
      if (type !== undefined) {
        score += 70;
        reasons.push(`document.${d.type === type ? d.type : "number"}`);
        break;
      }
    }
    if (a.phone && a.phone === b.phone) {
      score += 25;
      reasons.push("phone");
    }
    const ta = nameTokens(a.givenName, a.familyName);
    const tb = nameTokens(b.givenName, b.familyName);
    const ka = new Set(nameKeys(a.givenName, a.familyName));
    const kb = new Set(nameKeys(b.givenName, b.familyName));
    const shared = [...ka].filter((k) => kb.has(k)).length;
    const fewest = Math.min(ka.size, kb.size);
    let nameMatch = false;
    if ([...ta].sort().join(" ") === [...tb].sort().join(" ")) {
      score += 45;
      nameMatch = true;
      reasons.push(
        foldName(`${a.givenName} ${a.familyName}`) === foldName(`${b.givenName} ${b.familyName}`)
          ? "name.exact"
          : "name.reordered",
      );
    } else if (shared === fewest && fewest >= 2) {
      score += 40;
      nameMatch = true;
      reasons.push("name.phonetic");
    } else if (shared >= 2) {
      score += 25;
      nameMatch = true;
      reasons.push("name.partial");
    }
    if (nameMatch || score > 0) {
      const ya = Number(birthYear(a));
      const yb = Number(birthYear(b));
      if (!estimated(a) && !estimated(b)) {
        const [da, db] = [a.dateOfBirth!, b.dateOfBirth!];
        const transposed =
          da.slice(0, 4) === db.slice(0, 4) &&
          da.slice(5, 7) === db.slice(8, 10) &&
          da.slice(8, 10) === db.slice(5, 7);
        if (da === db) ((score += 20), reasons.push("dob.exact"));
        else if (transposed) ((score += 15), reasons.push("dob.transposed"));
        else if (Math.abs(ya - yb) <= DOB_TOLERANCE_YEARS) ((score += 10), reasons.push("dob.near"));
        else score -= 30;
      } else if (Math.abs(ya - yb) <= ESTIMATED_TOLERANCE_YEARS) ((score += 5), reasons.push("age.near"));
      else score -= 30;
      const known = (s?: string) => s && s !== "unknown" && s !== "other";
      if (known(a.sex) && known(b.sex)) {
        if (a.sex === b.sex) score += 5;
        else score -= 20;
      }
      if (a.nationality && a.nationality === b.nationality) score += 5;
    }
    // a document number in two registrations is the anti-fraud signal itself, whatever else differs
    if (reasons.some((r) => r.startsWith("document."))) score = Math.max(score, STRONG);
    return { score, reasons };
  }
}
