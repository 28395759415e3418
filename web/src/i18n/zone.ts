import { fromLocal, toLocal, today } from "@waypoint/schema/zone";
import { loadSession } from "../api/client.ts";

/**
 * The time zone every date and time of the app is shown and entered in: the operation's (`me.timeZone`, from the
 * session), whatever the browser's zone; the browser's only when the session names none.
 */
export function operationZone(): string {
  const zone = loadSession()?.me.timeZone;
  if (zone) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return zone;
    } catch {
      // an unknown zone falls back to the browser's
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Today in the operation (`YYYY-MM-DD`). */
export const todayHere = () => today(operationZone());
/** Local wall time of an instant in the operation: `{ date, time, minutes, weekday }`. */
export const wallTime = (instant: string | number | Date) => toLocal(instant, operationZone());
/** The instant (ISO) of a local date and time in the operation. */
export const instantOf = (date: string, time: string) => fromLocal(date, time, operationZone());

/** The operation's time zone as people say it, in a locale ("heure normale du centre", not "America/Mexico_City"). */
export function zoneName(locale: string, zone = operationZone(), at = new Date()): string {
  try {
    return (
      new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "longGeneric" })
        .formatToParts(at)
        .find((p) => p.type === "timeZoneName")?.value ?? zone
    );
  } catch {
    return zone;
  }
}
