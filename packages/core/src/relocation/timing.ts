/**
 * When each step of a relocation happens, relative to the bus's departure. Shared by the workflow tasks (which
 * hand the timestamps to the Wait states) and the local runner (which scales the same durations for demos).
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const Timing = {
  /** The SMS reminder of the preparatory briefing goes out three days before the bus leaves. */
  briefingBefore: 3 * DAY,
  /** Tickets are bought the day before, once the seat list is final. */
  ticketBefore: 1 * DAY,
  /** The destination office checks arrival two days after departure (the longest routes take ~30 h). */
  arrivalCheckAfter: 2 * DAY,
  readinessPoll: { every: 6 * HOUR, max: 28 },
  departurePoll: { every: 1 * HOUR, max: 24 },
  arrivalPoll: { every: 12 * HOUR, max: 6 },
} as const;

/** The steps the task Lambda runs; the payload of each Task state names one. */
export const TaskNames = [
  "check",
  "briefing",
  "ticket",
  "departure",
  "arrival",
  "followUp1",
  "followUp3",
  "failed",
] as const;

/** Names of the Wait states; the rendered ASL and the local wait overrides both use these. */
export const WaitStates = {
  readiness: "WaitForReadiness",
  briefing: "WaitForBriefing",
  ticketing: "WaitForTicketing",
  departure: "WaitForDeparture",
  departureConfirmation: "WaitForDepartureConfirmation",
  arrivalCheck: "WaitForArrivalCheck",
  arrivalConfirmation: "WaitForArrivalConfirmation",
  firstFollowUp: "WaitForFirstFollowUp",
  secondFollowUp: "WaitForSecondFollowUp",
} as const;

function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
}

export interface Schedule {
  tripID: string;
  departureAt: string;
  briefingAt: string;
  ticketAt: string;
  arrivalCheckAt: string;
  followUp1At: string;
  followUp3At: string;
}

export function scheduleFor(tripID: string, departureAt: string): Schedule {
  const dep = new Date(departureAt).getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    tripID,
    departureAt: iso(dep),
    briefingAt: iso(dep - Timing.briefingBefore),
    ticketAt: iso(dep - Timing.ticketBefore),
    arrivalCheckAt: iso(dep + Timing.arrivalCheckAfter),
    followUp1At: addMonths(departureAt, 1),
    followUp3At: addMonths(departureAt, 3),
  };
}

/** Node timers cannot wait longer than this (~24.8 days); longer local waits wake early and wait again. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The fields of the last task result that the Wait states read. */
export interface WaitContext {
  briefingAt?: string;
  ticketAt?: string;
  departureAt?: string;
  arrivalCheckAt?: string;
  followUpAt?: string;
}

const WAIT_TARGET: Record<string, keyof WaitContext> = {
  [WaitStates.briefing]: "briefingAt",
  [WaitStates.ticketing]: "ticketAt",
  [WaitStates.departure]: "departureAt",
  [WaitStates.arrivalCheck]: "arrivalCheckAt",
  [WaitStates.firstFollowUp]: "followUpAt",
  [WaitStates.secondFollowUp]: "followUpAt",
};

/**
 * Real duration (ms) of the Wait state `state` entered at `now` after a task returned `step`; undefined for a
 * state that is not a Wait of this machine. The local runner multiplies it by WAYPOINT_WAIT_SCALE.
 */
export function realWait(state: string, step: WaitContext | undefined, now: number): number | undefined {
  if (state === WaitStates.readiness) return Timing.readinessPoll.every;
  if (state === WaitStates.departureConfirmation) return Timing.departurePoll.every;
  if (state === WaitStates.arrivalConfirmation) return Timing.arrivalPoll.every;
  const field = WAIT_TARGET[state];
  if (!field) return undefined;
  const at = step?.[field];
  return at ? Math.max(0, Date.parse(at) - now) : 0;
}
