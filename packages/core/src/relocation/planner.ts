import type { PlanReason } from "@waypoint/schema/relocation";

/** What the planner needs to know about a household waiting for a seat (pure data, no I/O). */
export interface PlanHousehold {
  relocationID: string;
  officeID: string;
  size: number;
  vulnerability: number;
  /** When the household passed its last readiness check; older readiness is served first. */
  readySince?: string;
  earliestDate: string;
  destinationAdm: string;
  ready: boolean;
  tripID?: string;
  confirmed: boolean;
}

export interface PlanTrip {
  tripID: string;
  officeID: string;
  destinationAdm: string;
  departureAt: string;
  seats: number;
  /**
   * Seats held by households the planner does not move (ticketed or further on, another office's household put
   * on this trip by hand): they are not free, whatever the plan does.
   */
  held?: number;
  status: "planned" | "confirmed" | "departed" | "cancelled";
}

export interface Plan {
  /** New or unchanged proposals, and confirmed seats kept as they were (`kept: true`). */
  assignments: { relocationID: string; tripID: string; seats: number; kept: boolean }[];
  unplaced: { relocationID: string; reason: PlanReason }[];
  /** Households left alone: assigned or confirmed on a trip outside the planned range. */
  outside: string[];
  seats: number;
  seatsFilled: number;
}

/** The order households are served in: higher vulnerability, then ready the longest, then ID (deterministic). */
export const byPriority = (a: PlanHousehold, b: PlanHousehold) =>
  b.vulnerability - a.vulnerability ||
  (a.readySince ?? "9999").localeCompare(b.readySince ?? "9999") ||
  a.relocationID.localeCompare(b.relocationID);

/**
 * Assigns ready households to trips. Rules (DESIGN.md §5): a household is never split (it gets all its seats on
 * one bus or none); a bus is never over-filled; it only goes to the household's destination, from the household's
 * office, on or after its earliest date; higher vulnerability first, then longer readiness. Confirmed seats on
 * active trips are kept; every other proposal in the range is recomputed. Deterministic: ties break on the ID.
 *
 * Households are taken in priority order and each gets the earliest bus with room (first fit). Because every
 * household is tried against every gap, no unplaced household fits any remaining gap: what stays empty is
 * smaller than every compatible household still waiting.
 */
export function planTrips(households: readonly PlanHousehold[], trips: readonly PlanTrip[]): Plan {
  const active = new Map<string, PlanTrip>();
  const inRange = new Set(trips.map((t) => t.tripID));
  for (const t of trips) if (t.status === "planned" || t.status === "confirmed") active.set(t.tripID, t);
  const remaining = new Map<string, number>(
    [...active.values()].map((t) => [t.tripID, t.seats - (t.held ?? 0)]),
  );

  const plan: Plan = { assignments: [], unplaced: [], outside: [], seats: 0, seatsFilled: 0 };
  const candidates: PlanHousehold[] = [];
  const cancelledTrip = new Set<string>();
  for (const h of [...households].sort((a, b) => a.relocationID.localeCompare(b.relocationID))) {
    if (h.tripID && !inRange.has(h.tripID)) {
      plan.outside.push(h.relocationID);
      continue;
    }
    if (h.confirmed && h.tripID && active.has(h.tripID)) {
      remaining.set(h.tripID, remaining.get(h.tripID)! - h.size);
      plan.assignments.push({ relocationID: h.relocationID, tripID: h.tripID, seats: h.size, kept: true });
      continue;
    }
    if (h.tripID && !active.has(h.tripID)) cancelledTrip.add(h.relocationID);
    if (!h.ready) plan.unplaced.push({ relocationID: h.relocationID, reason: "not_ready" });
    else candidates.push(h);
  }

  const groups = new Map<string, PlanTrip[]>();
  for (const t of [...active.values()].sort(
    (a, b) => a.departureAt.localeCompare(b.departureAt) || a.tripID.localeCompare(b.tripID),
  )) {
    const key = `${t.officeID}|${t.destinationAdm}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }

  for (const h of candidates.sort(byPriority)) {
    const group = groups.get(`${h.officeID}|${h.destinationAdm}`);
    const reason = ((): PlanReason | undefined => {
      if (!group) return "no_trip_to_destination";
      const start = firstOnOrAfter(group, h.earliestDate);
      if (start === group.length) return "earliest_date_after_trips";
      let fits = false;
      for (let i = start; i < group.length; i++) {
        const t = group[i]!;
        if (t.seats >= h.size) fits = true;
        if (remaining.get(t.tripID)! >= h.size) {
          remaining.set(t.tripID, remaining.get(t.tripID)! - h.size);
          plan.assignments.push({
            relocationID: h.relocationID,
            tripID: t.tripID,
            seats: h.size,
            kept: false,
          });
          return undefined;
        }
      }
      return fits ? "trips_full" : "household_larger_than_trips";
    })();
    if (reason)
      plan.unplaced.push({
        relocationID: h.relocationID,
        reason: cancelledTrip.has(h.relocationID) ? "trip_cancelled" : reason,
      });
  }

  for (const t of active.values()) {
    plan.seats += t.seats;
    plan.seatsFilled += t.seats - Math.max(0, remaining.get(t.tripID)!);
  }
  plan.unplaced.sort((a, b) => a.relocationID.localeCompare(b.relocationID));
  plan.assignments.sort((a, b) => a.relocationID.localeCompare(b.relocationID));
  return plan;
}

/** Index of the first trip leaving on or after `date` (trips sorted by departure). */
function firstOnOrAfter(trips: PlanTrip[], date: string): number {
  let lo = 0;
  let hi = trips.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (trips[mid]!.departureAt.slice(0, 10) < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
