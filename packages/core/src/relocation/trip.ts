import {
  RelocationTripChanges,
  RelocationTripCreate,
  TripListQuery,
  type RelocationTripInfo,
} from "@waypoint/schema/relocation";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { RelocationTripEntity } from "./relocation.entity.ts";
import { seatsTaken } from "./store.ts";

const FIELDS = ["departureAt", "originTerminal", "destination", "carrier", "seats", "status", "notes"];

/** A scheduled bus departure with a number of seats (RelocationTrip in DESIGN.md §4). */
export namespace RelocationTrip {
  export type Info = RelocationTripInfo;

  /** Reads a trip without a permission check (workflow tasks, the planner after its own check). */
  export async function load(tripID: string): Promise<Info | undefined> {
    const res = await RelocationTripEntity.get({ tripID }).go();
    return res.data && !res.data.deleted ? (res.data as Info) : undefined;
  }

  export async function get(tripID: string): Promise<Info> {
    const trip = await load(tripID);
    if (!trip || !Actor.can("relocation.read", trip) || trip.operationID !== Actor.operationID())
      throw new NotFoundError("relocationTrip", tripID);
    return trip;
  }

  export const create = fn(RelocationTripCreate, async (input) => {
    const operationID = Actor.operationID();
    Actor.assert("relocation.plan", { operationID, officeID: input.officeID });
    const now = nowIso();
    const item = {
      ...input,
      departureAt: new Date(input.departureAt).toISOString(),
      tripID: Identifier.create("trip"),
      operationID,
      seatsTaken: 0,
      seatsCheckedIn: 0,
      seatsDeparted: 0,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
      createdBy: Actor.id(),
    };
    const tx = await transactWrite([
      { put: RelocationTripEntity.create(item).params() },
      Audit.txItem({
        recordID: item.tripID,
        recordType: "relocationTrip",
        action: "create",
        operationID,
        officeID: item.officeID,
      }),
    ]);
    if (!tx.ok) throw new InvalidError([{ path: "", code: "conflict.exists", message: "Trip exists" }]);
    return item as Info;
  });

  /** Trips of the operation departing in [from, to] (dates inclusive), earliest first. */
  export const list = fn(TripListQuery, async (q) => {
    Actor.assert("relocation.read");
    const operationID = Actor.operationID();
    const query = RelocationTripEntity.query.byOperation({ operationID });
    const ranged =
      q.from && q.to
        ? query.between({ departureAt: q.from }, { departureAt: `${q.to}T99` })
        : q.from
          ? query.gte({ departureAt: q.from })
          : q.to
            ? query.lte({ departureAt: `${q.to}T99` })
            : query;
    const res = await ranged.go({ pages: "all" });
    return (res.data as Info[]).filter(
      (t) =>
        !t.deleted &&
        (!q.officeID || t.officeID === q.officeID) &&
        (!q.status || t.status === q.status) &&
        Actor.can("relocation.read", t),
    );
  });

  export const UpdateInput = z.object({
    tripID: z.string(),
    version: z.number().int().min(1),
    changes: RelocationTripChanges,
  });

  /** Edits a trip. Moving a departure or cancelling it is picked up by each household's workflow at its next step. */
  export const update = fn(UpdateInput, async ({ tripID, version, changes }) => {
    const cur = await get(tripID);
    Actor.assert("relocation.plan", cur);
    // Capacity cannot drop below the seats households hold. Checked here for a clear answer, and again by the
    // write itself (`guard`), so a household taking seats at the same moment cannot slip in between.
    const seats = changes.seats;
    const held = () =>
      InvalidError.field(
        "changes.seats",
        "relocation.seats_taken",
        "More seats are already held on this trip: move households first",
      );
    if (seats !== undefined) {
      const counter = await seatsTaken(tripID); // also counts a trip stored before the counter existed
      if (counter && seats < counter.taken)
        throw InvalidError.field(
          "changes.seats",
          "relocation.seats_taken",
          `${counter.taken} seats are already held on this trip: move households first`,
        );
    }
    const set: Record<string, unknown> = { ...changes };
    if (changes.departureAt) set.departureAt = new Date(changes.departureAt).toISOString();
    // The reports count people relocated in the month the bus left: once households are on their way, the
    // departure time the reports read is a fact of the trip and stays as it was.
    const moves = set.departureAt !== undefined && set.departureAt !== cur.departureAt;
    const gone = () =>
      new RuleError(
        "relocation.trip_departed",
        "Households have already left on this trip: its departure time can no longer change",
      );
    if (moves && (cur.seatsDeparted ?? 0) > 0) throw gone();
    const after = { ...cur, ...set } as Info;
    const written = await writeVersioned(
      {
        entity: RelocationTripEntity,
        key: { tripID },
        expectedVersion: version,
        set,
        guard:
          seats === undefined && !moves
            ? undefined
            : {
                where: (a, { lte, eq, notExists }) =>
                  [
                    ...(seats === undefined ? [] : [lte(a.seatsTaken, seats)]),
                    ...(moves ? [`(${notExists(a.seatsDeparted)} OR ${eq(a.seatsDeparted, 0)})`] : []),
                  ].join(" AND "),
                refused: () => (moves && seats === undefined ? gone() : held()),
              },
        audit: {
          recordID: tripID,
          recordType: "relocationTrip",
          action: "update",
          operationID: cur.operationID,
          officeID: cur.officeID,
          changes: Audit.diff(cur, after, FIELDS),
        },
      },
      () => load(tripID),
    );
    return { ...after, ...written };
  });
}
