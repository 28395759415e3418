/**
 * Days and months in an operation's time zone. Instants are stored in UTC (`…Z`); "today", "the appointments of
 * a day" and "payments by month" are the operation's days, not UTC's: at 19:00 in Tapachula (UTC-6) it is already
 * tomorrow in UTC. Offsets are cached per zone and UTC hour (a zone's offset changes on the hour at most), so a
 * report can place 100,000 rows without formatting each one.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at instant `t` (ms), in milliseconds (UTC-6 → -21,600,000). */
export function offsetAt(zone: string, t: number): number {
  if (zone === "UTC") return 0;
  // offsets change at most on the quarter hour; keyed by the UTC quarter hour
  const key = `${zone}|${Math.floor(t / 900_000)}`;
  const hit = offsets.get(key);
  if (hit !== undefined) return hit;
  const p = Object.fromEntries(formatter(zone).formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const off = asUtc - Math.floor(t / 1000) * 1000;
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, off);
  return off;
}

const ms = (instant: string | number | Date) =>
  typeof instant === "number" ? instant : instant instanceof Date ? instant.getTime() : Date.parse(instant);

/** `YYYY-MM-DD` of an instant in the zone. */
export function localDate(instant: string | number | Date, zone: string): string {
  const t = ms(instant);
  return new Date(t + offsetAt(zone, t)).toISOString().slice(0, 10);
}

/** `YYYY-MM` of an instant in the zone. */
export const localMonth = (instant: string | number | Date, zone: string) => localDate(instant, zone).slice(0, 7);

/** Today in the zone. */
export const today = (zone: string, now = Date.now()) => localDate(now, zone);

/** The UTC instant (ISO) at which local day `date` (`YYYY-MM-DD`) starts in the zone. */
export function dayStart(date: string, zone: string): string {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  let t = midnightUtc - offsetAt(zone, midnightUtc);
  // across a change of offset, the first guess is off by the change: settle on the offset at the answer
  t = midnightUtc - offsetAt(zone, t);
  return new Date(t).toISOString();
}

/** The day after `date` (`YYYY-MM-DD`). */
export const nextDay = (date: string, days = 1) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** `[start, end)` of local day `date` as UTC ISO instants. */
export function dayRange(date: string, zone: string): { from: string; to: string } {
  return { from: dayStart(date, zone), to: dayStart(nextDay(date), zone) };
}

/** The UTC instant (ISO) of local wall time `date` `time` (`YYYY-MM-DD`, `HH:MM`) in the zone. */
export function fromLocal(date: string, time: string, zone: string): string {
  const wall = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`);
  let t = wall - offsetAt(zone, wall);
  t = wall - offsetAt(zone, t);
  return new Date(t).toISOString();
}

/** Local wall time of an instant in the zone: `{ date: YYYY-MM-DD, time: HH:MM, minutes, weekday (0 = Sunday) }`. */
export function toLocal(instant: string | number | Date, zone: string) {
  const t = ms(instant);
  const d = new Date(t + offsetAt(zone, t));
  const iso = d.toISOString();
  return {
    date: iso.slice(0, 10),
    time: iso.slice(11, 16),
    minutes: d.getUTCHours() * 60 + d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}
