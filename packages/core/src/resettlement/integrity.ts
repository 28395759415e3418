import { createHash } from "node:crypto";
import type { IntegrityFlag } from "@waypoint/schema/resettlement";
import { batchGet } from "../common/batch-get.ts";
import { nowIso } from "../common/db.ts";
import { Identifier } from "../common/id.ts";
import { Dedupe } from "../dedupe/index.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { BIODATA } from "./jobs.ts";

export type Person = Record<string, unknown> & {
  individualID: string;
  operationID: string;
  deleted?: boolean;
};
export interface Snapshot {
  takenAt: string;
  memberIDs: string[];
  people: Record<string, Record<string, unknown>>;
}
export type Flag = IntegrityFlag & { key: string };

export async function people(ids: string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  // every child of the submission, also under throttling: a person left out would skip its BID check
  return batchGet<Person>(
    IndividualEntity,
    ids.map((individualID) => ({ individualID })),
  );
}

const pick = (p: Record<string, unknown>) => Object.fromEntries(BIODATA.map((f) => [f, p[f] ?? null]));
const hash = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16);

export function snapshot(members: Person[], memberIDs: string[]): Snapshot {
  return {
    takenAt: nowIso(),
    memberIDs,
    people: Object.fromEntries(members.map((m) => [m.individualID, pick(m)])),
  };
}

const flag = (f: Omit<Flag, "flagID" | "raisedAt" | "status">): Flag => ({
  ...f,
  flagID: Identifier.create("flag"),
  raisedAt: nowIso(),
  status: "open",
});

/**
 * Anti-fraud screening. Raises a flag for each biodata change since the snapshot, each change of the case's
 * family composition, and each strong duplicate candidate outside the submission. A flag is keyed by what it
 * saw, so a resolved flag is not raised again for the same facts, but a further change raises a new one.
 */
export async function screen(
  s: { individualIDs: string[]; snapshot?: Snapshot; flags: Flag[]; operationID: string },
  caseMemberIDs: string[],
): Promise<Flag[]> {
  const known = new Set(s.flags.map((f) => f.key));
  const out: Flag[] = [];
  const add = (f: Omit<Flag, "flagID" | "raisedAt" | "status">) => {
    if (!known.has(f.key)) {
      known.add(f.key);
      out.push(flag(f));
    }
  };
  const members = await people(s.individualIDs);
  if (s.snapshot) {
    for (const m of members) {
      const before = s.snapshot.people[m.individualID];
      if (!before) continue;
      const now = pick(m);
      const changed = BIODATA.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(now[f]));
      if (changed.length)
        add({
          kind: "biodata_changed",
          individualID: m.individualID,
          detail: `Changed after submission: ${changed.join(", ")}`,
          fields: [...changed],
          key: `bio:${m.individualID}:${hash(now)}`,
        });
    }
    const added = caseMemberIDs.filter((i) => !s.snapshot!.memberIDs.includes(i));
    const removed = s.snapshot.memberIDs.filter((i) => !caseMemberIDs.includes(i));
    if (added.length || removed.length)
      add({
        kind: "family_composition_changed",
        detail: `Case members added: ${added.join(", ") || "none"}; removed: ${removed.join(", ") || "none"}`,
        added,
        removed,
        key: `fam:${hash([...caseMemberIDs].sort())}`,
      });
  }
  for (const m of members) {
    const found = await Dedupe.find(m as unknown as Dedupe.Person, 5);
    for (const c of found)
      if (c.strength === "strong" && !s.individualIDs.includes(c.record.individualID))
        add({
          kind: "duplicate_candidate",
          individualID: m.individualID,
          detail: `Strong duplicate candidate ${c.record.individualID} (score ${c.score})`,
          candidateID: c.record.individualID,
          key: `dup:${m.individualID}:${c.record.individualID}`,
        });
  }
  return out;
}
