import { BulkPatchRequest, type BulkRowResult } from "@waypoint/schema/bulk";
import {
  ConfirmBody,
  ReasonBody,
  RelocationChanges,
  RelocationCreate,
  RelocationListQuery,
  type ExecutionInfo,
} from "@waypoint/schema/relocation";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { log } from "../common/log.ts";
import { bulk } from "../common/record.ts";
import { Household } from "../household/index.ts";
import { Execution, Workflows } from "../workflows/index.ts";
import { planRelocations } from "./plan.ts";
import { manifest, relocatedReport } from "./reports.ts";
import { RelocationEntity } from "./relocation.entity.ts";
import { candidates, membersOf, setInterest, bulkCreateWith } from "./desk.ts";
import { checkIn, deliverTicket, depart, departOne, followUpsOf, noShow, recordFollowUp } from "./day.ts";
import { relocatedExport } from "./reports.ts";
import {
  CLOSED,
  allReady,
  loadRelocation,
  readRelocation,
  saveRelocation,
  seatsTaken,
  type Info,
} from "./store.ts";
import { ticketPdf } from "./ticket-pdf.ts";
import { RelocationTrip } from "./trip.ts";

export { RelocationTrip } from "./trip.ts";

/** A household's relocation from the border to a receiving city, and its workflow (DESIGN.md §5). */
export namespace Relocation {
  export type Info = import("./store.ts").Info;
  export const MACHINE = "relocation";

  export const get = async (relocationID: string) => readRelocation(relocationID);
  export const plan = planRelocations;
  export const report = relocatedReport;
  export const tripManifest = manifest;
  export const exportReport = relocatedExport;
  export const eligible = candidates;
  export const recordInterest = setInterest;
  export const checkInMany = checkIn;
  export const departMany = depart;
  export const noShowMany = noShow;
  export const ticketDelivered = deliverTicket;
  export const tickets = ticketPdf;
  export const followUp = recordFollowUp;

  export const create = fn(RelocationCreate, async (input) => {
    const operationID = Actor.operationID();
    Actor.assert("relocation.update", { operationID, officeID: input.officeID });
    const household = await Household.get(input.householdID).catch((err) => {
      if (err instanceof NotFoundError)
        throw InvalidError.field("householdID", "invalid.household", "Unknown household");
      throw err;
    });
    const householdSize = input.householdSize ?? household.size;
    if (householdSize < 1)
      throw InvalidError.field(
        "householdSize",
        "invalid.household_size",
        "The household has no members yet; give the number of seats",
      );
    const now = nowIso();
    const readiness = {
      documents: false,
      medical: false,
      briefingAttended: false,
      consent: false,
      ...input.readiness,
    };
    const item = {
      ...input,
      householdSize,
      readiness,
      relocationID: Identifier.create("relocation"),
      operationID,
      confirmed: false,
      readySince: allReady({ readiness }) ? now : undefined,
      status: allReady({ readiness }) ? ("ready" as const) : ("preparing" as const),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
      createdBy: Actor.id(),
    };
    const tx = await transactWrite([
      { put: RelocationEntity.create(item).params() },
      Audit.txItem({
        recordID: item.relocationID,
        recordType: "relocation",
        action: "create",
        operationID,
        officeID: input.officeID,
      }),
    ]);
    if (!tx.ok) throw new InvalidError([{ path: "", code: "conflict.exists", message: "Relocation exists" }]);
    return item as Info;
  });

  export const list = fn(RelocationListQuery, async (q) => {
    const operationID = Actor.operationID();
    if (!Actor.listScope("relocation.read")) Actor.assert("relocation.read");
    const scope = `relocations:${operationID}`;
    const res = await RelocationEntity.query
      .byOperation({ operationID })
      .go({ limit: q.limit, cursor: Cursor.verify(q.cursor, scope) });
    const items = (res.data as Info[]).filter(
      (r) =>
        !r.deleted &&
        (!q.officeID || r.officeID === q.officeID) &&
        (!q.status || r.status === q.status) &&
        (!q.tripID || r.tripID === q.tripID) &&
        (!q.householdID || r.householdID === q.householdID) &&
        Actor.can("relocation.read", r),
    );
    return { items, nextCursor: Cursor.sign(res.cursor, scope) };
  });

  export const UpdateInput = z.object({
    relocationID: z.string(),
    version: z.number().int().min(1),
    changes: RelocationChanges,
  });

  /** Grid edit of one relocation. Confirming a seat starts the household's workflow. */
  export const update = fn(UpdateInput, async ({ relocationID, version, changes }) => {
    const cur = await readRelocation(relocationID);
    Actor.assert("relocation.update", cur);
    if (CLOSED.includes(cur.status))
      throw new RuleError("relocation.closed", `A ${cur.status} relocation cannot be edited`);
    const { tripID: _t, ...rest } = changes;
    const next = { ...rest, tripID: changes.tripID ?? cur.tripID } as Partial<Info>;
    if (changes.readiness) {
      next.readiness = { ...cur.readiness, ...changes.readiness };
      const was = allReady(cur);
      const now = allReady({ readiness: next.readiness });
      next.readySince = now ? (was ? cur.readySince : nowIso()) : undefined;
    }
    if (changes.tripID === null)
      Object.assign(next, { tripID: undefined, seats: undefined, confirmed: false });
    else if (changes.tripID !== undefined || changes.householdSize !== undefined || changes.destination) {
      const merged = { ...cur, ...next } as Info;
      if (merged.tripID)
        await assertSeat(merged, changes.tripID !== undefined && changes.tripID !== cur.tripID);
      if (merged.tripID) next.seats = merged.householdSize;
    }
    const merged = { ...cur, ...next } as Info;
    if (merged.confirmed && !merged.tripID)
      throw InvalidError.field(
        "changes.confirmed",
        "relocation.no_trip",
        "A seat can only be confirmed on a trip",
      );
    if (next.tripID || next.confirmed) next.planReason = undefined;
    const saved = await saveRelocation(cur, version, next, "update");
    if (saved.confirmed && !cur.confirmed) return startWorkflowFor(saved);
    return saved;
  });

  async function assertSeat(r: Info, moved: boolean) {
    const trip = await RelocationTrip.load(r.tripID!);
    if (!trip || trip.operationID !== r.operationID || (moved && !Actor.can("relocation.read", trip)))
      throw InvalidError.field("changes.tripID", "invalid.trip", "Unknown trip");
    // Seats are given on the trips of the offices the actor plans relocations for (their own, for a caseworker).
    const office = { operationID: trip.operationID, officeID: trip.officeID };
    if (moved && !Actor.can("relocation.plan", office) && !Actor.can("relocation.update", office))
      throw InvalidError.field(
        "changes.tripID",
        "relocation.trip_office",
        "The trip leaves from an office you do not plan relocations for",
      );
    if (trip.status !== "planned" && trip.status !== "confirmed")
      throw InvalidError.field("changes.tripID", "relocation.trip_closed", `The trip is ${trip.status}`);
    if (trip.destination.adm !== r.destination.adm)
      throw InvalidError.field(
        "changes.tripID",
        "relocation.wrong_destination",
        "The trip goes to another destination",
      );
    // A friendly early answer from the trip's seat counter; the counter update in the save is what guarantees it.
    const counter = await seatsTaken(trip.tripID);
    const mine = !moved && r.status !== "cancelled" ? (r.seats ?? r.householdSize) : 0;
    const taken = (counter?.taken ?? 0) - mine;
    if (moved && taken + r.householdSize > trip.seats)
      throw InvalidError.field(
        "changes.tripID",
        "relocation.trip_full",
        `Only ${Math.max(0, trip.seats - taken)} seats left on this trip`,
      );
  }

  export const bulkUpdate = fn(BulkPatchRequest(RelocationChanges), async ({ rows }) =>
    bulk(
      rows,
      async (row): Promise<BulkRowResult> => {
        const saved = await update({ relocationID: row.id, version: row.version, changes: row.changes });
        return { id: row.id, status: "saved", version: saved.version, record: saved };
      },
      4,
    ),
  );

  /** Starts (or restarts, after a failure) the household's workflow; a running one is returned as it is. */
  export async function startWorkflow(relocationID: string) {
    const cur = await readRelocation(relocationID);
    Actor.assert("relocation.update", cur);
    return startWorkflowFor(cur);
  }

  async function startWorkflowFor(rel: Info): Promise<Info> {
    if (rel.executionArn) {
      const running = await Workflows.describe(rel.executionArn).catch(() => undefined);
      if (running && (running.status === "RUNNING" || running.status === "QUEUED")) return rel;
    }
    const name = Identifier.create("execution");
    const { executionArn } = await Workflows.start(
      MACHINE,
      name,
      { relocationID: rel.relocationID },
      { subjectID: rel.relocationID, operationID: rel.operationID },
    );
    log.info({ relocationID: rel.relocationID, executionArn }, "relocation workflow started");
    const latest = (await loadRelocation(rel.relocationID))!;
    return saveRelocation(
      latest,
      latest.version,
      { executionArn, workflowError: undefined },
      "workflow.start",
    );
  }

  /** The household's latest workflow execution (input and tenancy fields are not part of the answer). */
  export async function execution(relocationID: string): Promise<ExecutionInfo> {
    const rel = await readRelocation(relocationID);
    const found = rel.executionArn
      ? await Workflows.describe(rel.executionArn)
      : await Execution.latestFor(relocationID);
    if (!found) throw new NotFoundError("execution", relocationID);
    const { input: _i, operationID: _o, ...info } = found as Execution.Info;
    return info;
  }

  export const CancelInput = ReasonBody.extend({
    relocationID: z.string(),
    version: z.number().int().min(1),
  });

  /** Cancels before departure; the running workflow ends at its next step without issuing anything. */
  export const cancel = fn(CancelInput, async ({ relocationID, version, reason }) => {
    const cur = await readRelocation(relocationID);
    Actor.assert("relocation.update", cur);
    if (["departed", "arrived", "completed", "cancelled"].includes(cur.status))
      throw new RuleError("relocation.not_cancellable", `A ${cur.status} relocation cannot be cancelled`);
    return saveRelocation(
      cur,
      version,
      { status: "cancelled", cancelReason: reason, confirmed: false },
      "cancel",
      { reason },
    );
  });

  export const ConfirmInput = ConfirmBody.extend({
    relocationID: z.string(),
    version: z.number().int().min(1),
  });

  /** The terminal team confirms the household boarded (with its tickets). */
  export const confirmDeparture = fn(ConfirmInput, async ({ relocationID, version, note }) => {
    const cur = await readRelocation(relocationID);
    Actor.assert("relocation.update", cur);
    const trip = cur.tripID ? await RelocationTrip.load(cur.tripID) : undefined;
    return departOne(cur, version, trip?.departureAt ?? nowIso(), note);
  });

  /** The receiving office confirms the household arrived. */
  export const confirmArrival = fn(ConfirmInput, async ({ relocationID, version, note }) => {
    const cur = await readRelocation(relocationID);
    Actor.assert("relocation.update", cur);
    if (cur.status !== "departed")
      throw new RuleError("relocation.not_departed", "Arrival can only be confirmed after departure");
    return saveRelocation(
      cur,
      version,
      { status: "arrived", arrival: { at: nowIso(), by: Actor.id(), note } },
      "confirm.arrival",
    );
  });

  /** Opens relocations for a selection of households (one destination, optionally one trip with confirmed seats). */
  export const bulkCreate = bulkCreateWith(
    (input) => create(input),
    (rel, tripID) => update({ relocationID: rel.relocationID, version: rel.version, changes: { tripID, confirmed: true } }),
  );

  export const FollowUpQuery = z.object({ officeID: z.string().optional() });

  /**
   * Households that left, with their follow-ups after 1 and 3 months (due, overdue, or with their outcome), for
   * the receiving office's calls. Overdue: past due without an outcome.
   */
  export const followUps = fn(FollowUpQuery, async ({ officeID }) => {
    const operationID = Actor.operationID();
    if (!Actor.listScope("relocation.read")) Actor.assert("relocation.read");
    const all = (await RelocationEntity.query.byOperation({ operationID }).go({ pages: "all" })).data as Info[];
    const left = all.filter(
      (r) =>
        !r.deleted &&
        r.departure &&
        ["departed", "arrived", "completed"].includes(r.status) &&
        (!officeID || r.officeID === officeID) &&
        Actor.can("relocation.read", r),
    );
    const trips = new Map<string, string | undefined>();
    for (const id of new Set(left.map((r) => r.tripID).filter((t): t is string => !!t)))
      trips.set(id, (await RelocationTrip.load(id))?.departureAt);
    const people = await membersOf(left.map((r) => r.householdID));
    const now = nowIso();
    return left
      .map((r) => {
        const list = followUpsOf(r, trips.get(r.tripID ?? ""));
        return {
          relocationID: r.relocationID,
          version: r.version,
          householdID: r.householdID,
          officeID: r.officeID,
          headName: people.get(r.householdID)?.[0]?.name,
          destination: r.destination,
          status: r.status,
          departedAt: r.departure!.tripDepartureAt ?? r.departure!.at,
          followUps: list.map((f) => ({ ...f, overdue: !f.outcome && f.dueAt < now })),
        };
      })
      .sort((a, b) => {
        const next = (x: typeof a) => x.followUps.find((f) => !f.outcome)?.dueAt ?? "9999";
        return next(a).localeCompare(next(b));
      });
  });
}