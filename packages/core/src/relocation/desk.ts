import { SensitiveSpecificNeeds, specificNeedsCategory } from "@waypoint/schema/codes";
import type { BulkRowResult } from "@waypoint/schema/bulk";
import {
  CandidateQuery,
  InterestBody,
  RelocationBulkCreate,
  type Candidate,
} from "@waypoint/schema/relocation";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { AssessmentEntity } from "../assessment/assessment.entity.ts";
import { Audit } from "../audit/index.ts";
import { ageOf } from "../common/age.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, InvalidError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { bulk, rowFailure, writeVersioned } from "../common/record.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { hiddenFields } from "../individual/redact.ts";
import { Areas } from "../operation/areas.ts";
import { RelocationEntity, RelocationInterestEntity } from "./relocation.entity.ts";
import { RelocationTrip } from "./trip.ts";
import type { Info } from "./store.ts";

interface Member {
  individualID: string;
  householdID?: string;
  givenName: string;
  familyName: string;
  sex?: string;
  dateOfBirth?: string;
  estimatedAge?: number;
  specificNeeds?: string[];
  relationshipToHead?: string;
  timeCreated: string;
  deleted?: boolean;
  status?: string;
}

const MEMBER_ATTRS = [
  "individualID",
  "householdID",
  "givenName",
  "familyName",
  "sex",
  "dateOfBirth",
  "estimatedAge",
  "specificNeeds",
  "relationshipToHead",
  "timeCreated",
  "deleted",
  "status",
];

/**
 * The specific-needs codes the viewer may see of a person: none for roles that may not see them, and without the
 * codes whose presence alone can endanger someone (SGBV, torture, violence) except for full-access roles. A
 * terminal screen is read in public.
 */
function visibleNeeds(codes: readonly string[] | undefined): string[] {
  if (!codes?.length || hiddenFields("individual").includes("specificNeeds")) return [];
  const a = Actor.use();
  const full = a.type === "system" || (a.type === "user" && ["admin", "supervisor"].includes(a.role));
  return codes.filter((c) => full || !SensitiveSpecificNeeds.includes(specificNeedsCategory(c)));
}

/** The members of households, head first, as the terminal team reads them (name, age, sex, needs). */
export async function membersOf(householdIDs: readonly string[]) {
  const out = new Map<string, { individualID: string; name: string; age?: number; sex?: string; needs: string[] }[]>();
  const { mapLimit } = await import("../common/concurrency.ts");
  await mapLimit([...new Set(householdIDs)], 40, async (householdID) => {
    const res = await IndividualEntity.query
      .byHousehold({ householdID })
      .go({ pages: "all", attributes: MEMBER_ATTRS as never });
    const people = (res.data as unknown as Member[])
      .filter((m) => !m.deleted)
      .sort(
        (a, b) =>
          Number(b.relationshipToHead === "head") - Number(a.relationshipToHead === "head") ||
          (ageOf(b) ?? 0) - (ageOf(a) ?? 0),
      )
      .map((m) => ({
        // for the sharing log of a printed list; the manifest and tickets show names only
        individualID: m.individualID,
        name: `${m.givenName} ${m.familyName}`.trim(),
        age: ageOf(m),
        sex: m.sex,
        needs: visibleNeeds(m.specificNeeds),
      }));
    out.set(householdID, people);
  });
  return out;
}

const LIVE = new Set(["cancelled", "no_show"]);

/**
 * Registry households that could be relocated (DUTIES.md, Mexico 8: identify eligible households): active
 * households of the viewer's offices without a relocation under way, with what makes them eligible (interest in
 * the programme, a vulnerability or socio-economic assessment, specific needs), filtered on those.
 */
export const candidates = fn(CandidateQuery, async (q): Promise<Candidate[]> => {
  const operationID = Actor.operationID();
  Actor.assert("relocation.update", q.officeID ? { operationID, officeID: q.officeID } : undefined);
  const [households, people, assessments, interests, relocations] = await Promise.all([
    HouseholdEntity.query.byOperation({ operationID }).go({ pages: "all" }),
    IndividualEntity.query
      .byOperation({ operationID })
      .go({ pages: "all", attributes: MEMBER_ATTRS as never }),
    AssessmentEntity.query
      .byOperation({ operationID })
      .go({ pages: "all", attributes: ["individualID", "kind", "status", "score", "deleted"] as never }),
    RelocationInterestEntity.query.byOperation({ operationID }).go({ pages: "all" }),
    RelocationEntity.query
      .byOperation({ operationID })
      .go({ pages: "all", attributes: ["householdID", "status", "deleted"] as never }),
  ]);
  const busy = new Set(
    (relocations.data as unknown as Info[])
      .filter((r) => !r.deleted && !LIVE.has(r.status))
      .map((r) => r.householdID),
  );
  const membersOfHh = new Map<string, Member[]>();
  for (const m of people.data as unknown as Member[]) {
    if (m.deleted || !m.householdID) continue;
    const list = membersOfHh.get(m.householdID) ?? [];
    list.push(m);
    membersOfHh.set(m.householdID, list);
  }
  const score = new Map<string, number>();
  for (const a of assessments.data as unknown as {
    individualID?: string;
    kind: string;
    status: string;
    score?: number;
    deleted?: boolean;
  }[]) {
    if (a.deleted || !a.individualID || !["vulnerability", "socio_economic"].includes(a.kind)) continue;
    if (a.status !== "submitted" && a.status !== "approved") continue;
    score.set(a.individualID, Math.max(score.get(a.individualID) ?? 0, a.score ?? 0));
  }
  const interest = new Map(interests.data.map((i) => [i.householdID, i]));
  const out: Candidate[] = [];
  for (const h of households.data) {
    if (h.deleted || h.status !== "active" || busy.has(h.householdID)) continue;
    if (q.officeID && h.officeID !== q.officeID) continue;
    if (!Actor.can("household.read", h) || !Actor.can("relocation.update", h)) continue;
    const members = membersOfHh.get(h.householdID) ?? [];
    const scores = members.map((m) => score.get(m.individualID)).filter((s) => s !== undefined);
    const needs = [
      ...new Set(members.flatMap((m) => visibleNeeds(m.specificNeeds).map(specificNeedsCategory))),
    ].sort();
    const head =
      members.find((m) => m.individualID === h.headID) ??
      members.find((m) => m.relationshipToHead === "head") ??
      members[0];
    const i = interest.get(h.householdID);
    const row: Candidate = {
      householdID: h.householdID,
      registrationNumber: h.registrationNumber,
      officeID: h.officeID,
      headName: head ? `${head.givenName} ${head.familyName}`.trim() : undefined,
      size: h.size ?? members.length,
      needs,
      vulnerability: scores.length ? Math.max(...scores) : undefined,
      assessed: scores.length > 0,
      interested: i?.interested === true,
      interestVersion: i?.version,
    };
    if (q.interested && row.interested !== (q.interested === "yes")) continue;
    if (q.assessed && row.assessed !== (q.assessed === "yes")) continue;
    if (q.need && !row.needs.includes(q.need)) continue;
    out.push(row);
  }
  return out.sort(
    (a, b) =>
      Number(b.interested) - Number(a.interested) ||
      (b.vulnerability ?? -1) - (a.vulnerability ?? -1) ||
      a.registrationNumber.localeCompare(b.registrationNumber),
  );
});

export const InterestInput = InterestBody.extend({
  householdID: z.string().min(1),
  version: z.number().int().min(1).optional(),
});

/** Records whether a household is interested in the programme (versioned and audited like every record). */
export const setInterest = fn(InterestInput, async ({ householdID, interested, note, version }) => {
  const hh = (await HouseholdEntity.get({ householdID }).go()).data;
  if (!hh || hh.deleted || hh.operationID !== Actor.operationID() || !Actor.can("household.read", hh))
    throw InvalidError.field("householdID", "invalid.household", "Unknown household");
  Actor.assert("relocation.update", hh);
  const cur = (await RelocationInterestEntity.get({ householdID }).go({ consistent: true })).data;
  const audit = {
    recordID: householdID,
    recordType: "household",
    operationID: hh.operationID,
    officeID: hh.officeID,
    changes: { relocationInterest: { before: cur?.interested, after: interested } },
  };
  if (!cur) {
    const now = nowIso();
    const item = {
      householdID,
      operationID: hh.operationID,
      officeID: hh.officeID,
      interested,
      note,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
      createdBy: Actor.id(),
    };
    const tx = await transactWrite([
      { put: RelocationInterestEntity.create(item).params() },
      Audit.txItem({ ...audit, action: "relocation.interest" }),
    ]);
    if (!tx.ok) throw new ConflictError("The household's interest was recorded by someone else", undefined);
    return item;
  }
  const written = await writeVersioned(
    {
      entity: RelocationInterestEntity,
      key: { householdID },
      expectedVersion: version ?? cur.version,
      set: { interested, ...(note !== undefined ? { note } : {}) },
      audit: { ...audit, action: "relocation.interest" },
    },
    async () => (await RelocationInterestEntity.get({ householdID }).go()).data,
  );
  return { ...cur, interested, note: note ?? cur.note, ...written };
});

/**
 * The destination as the operation's gazetteer names it: a p-code the operation's list does not have (as a
 * municipality or a region) is refused on `destination.adm`; the stored name is the list's, whatever the form sent.
 * An operation without a list keeps the name given.
 */
async function destinationOf(d: { adm: string; name: string }) {
  const areas = await Areas.load(Actor.operationID());
  if (areas.size === 0) return d;
  const area = areas.get(d.adm);
  if (!area || area.level > 2)
    throw InvalidError.field(
      "destination.adm",
      "invalid.area",
      "is not a municipality or region of this operation",
    );
  return { adm: d.adm, name: area.name };
}

/**
 * The trip a selection is put on, checked before any relocation is opened: one of this operation's, still taking
 * passengers, and going to the destination picked (refused on `tripID`; seats are still counted row by row).
 */
async function assertTripGoes(tripID: string, adm: string) {
  const trip = await RelocationTrip.load(tripID);
  if (!trip || trip.deleted || trip.operationID !== Actor.operationID() || !Actor.can("relocation.read", trip))
    throw InvalidError.field("tripID", "invalid.trip", "Unknown trip");
  if (trip.status !== "planned" && trip.status !== "confirmed")
    throw InvalidError.field("tripID", "relocation.trip_closed", `The trip is ${trip.status}`);
  if (trip.destination.adm !== adm)
    throw InvalidError.field("tripID", "relocation.wrong_destination", "The trip goes to another destination");
}

/**
 * Opens relocations for a selection of households, all to one destination, and (if a trip is given) puts each on
 * it with a confirmed seat, which starts its workflow. Per-household results: a household that cannot be opened
 * or does not fit on the trip says why; the others are saved.
 */
export function bulkCreateWith(
  create: (input: {
    householdID: string;
    officeID: string;
    destination: { adm: string; name: string };
    earliestDate: string;
    vulnerability: number;
  }) => Promise<Info>,
  seat: (rel: Info, tripID: string) => Promise<Info>,
) {
  return fn(RelocationBulkCreate, async (given) => {
    Actor.assert("relocation.update", { operationID: Actor.operationID(), officeID: given.officeID });
    const input = { ...given, destination: await destinationOf(given.destination) };
    if (input.tripID) await assertTripGoes(input.tripID, input.destination.adm);
    const scores = new Map(
      (await candidates({ officeID: input.officeID })).map((c) => [c.householdID, c.vulnerability ?? 0]),
    );
    const rows = input.householdIDs.map((householdID) => ({ ref: householdID }));
    // one at a time: households are seated in the order they were picked, so the last seats go to the first picked
    return bulk(
      rows,
      async ({ ref }): Promise<BulkRowResult> => {
        const rel = await create({
          householdID: ref,
          officeID: input.officeID,
          destination: input.destination,
          earliestDate: input.earliestDate,
          vulnerability: scores.get(ref) ?? 0,
        });
        if (!input.tripID)
          return { ref, id: rel.relocationID, status: "created", version: rel.version, record: undefined };
        try {
          const seated = await seat(rel, input.tripID);
          return {
            ref,
            id: rel.relocationID,
            status: "created",
            version: seated.version,
            record: { tripID: seated.tripID, status: seated.status },
          };
        } catch (err) {
          // opened, without a seat: the row says why (a full trip, another destination)
          const failure = rowFailure(err, rel.relocationID, ref);
          return failure.status === "invalid"
            ? { ...failure, issues: failure.issues.map((i) => ({ ...i, path: "tripID" })) }
            : failure;
        }
      },
      1,
    );
  });
}
