/**
 * The instant a relocated household counts from in every report (people relocated per destination and month,
 * the dashboard, the monthly table, their period filters): the trip's scheduled departure, recorded on the
 * household's departure when it is confirmed. Departures confirmed before that was recorded fall back to the
 * confirmation time.
 */
export function relocatedAt(departure: { at?: string; tripDepartureAt?: string } | undefined): string | undefined {
  return departure?.tripDepartureAt ?? departure?.at;
}
