import type { PlanHousehold, PlanTrip } from "@waypoint/core/relocation/planner";

/** Small deterministic PRNG (mulberry32), so generated caseloads are the same every run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OFFICES = ["off_TAP", "off_TEN"];
const DESTINATIONS = ["MX19039", "MX05030", "MX14039"];
/** Household sizes seen in relocation caseloads: many couples and families of 3–5, some large families. */
const SIZES = [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 7, 8, 10];

/** `n` ready households and `t` trips over eight weeks from `start` (YYYY-MM-DD). */
export function caseload(
  n: number,
  t: number,
  sizes: readonly number[] = SIZES,
  start = "2027-01-04",
  seed = 7,
) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const day = (d: number) =>
    new Date(Date.parse(`${start}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
  const households: PlanHousehold[] = Array.from({ length: n }, (_, i) => ({
    relocationID: `rlc_${String(i).padStart(6, "0")}`,
    officeID: pick(OFFICES),
    size: pick(sizes),
    vulnerability: Math.floor(r() * 101),
    readySince: new Date(Date.parse(`${start}T00:00:00Z`) - Math.floor(r() * 90) * 86_400_000).toISOString(),
    earliestDate: day(Math.floor(r() * 21)),
    destinationAdm: pick(DESTINATIONS),
    ready: true,
    confirmed: false,
  }));
  const trips: PlanTrip[] = Array.from({ length: t }, (_, i) => ({
    tripID: `trp_${String(i).padStart(4, "0")}`,
    officeID: OFFICES[i % OFFICES.length]!,
    destinationAdm: DESTINATIONS[Math.floor(i / OFFICES.length) % DESTINATIONS.length]!,
    departureAt: `${day(Math.floor((i / t) * 56))}T${String(6 + (i % 12)).padStart(2, "0")}:00:00.000Z`,
    seats: 40 + Math.floor(r() * 11),
    status: "planned",
  }));
  return { households, trips };
}

/** Checks the hard rules of a plan; returns the list of violations (empty when the plan is valid). */
export function violations(
  households: readonly PlanHousehold[],
  trips: readonly PlanTrip[],
  plan: { assignments: { relocationID: string; tripID: string; seats: number }[] },
) {
  const out: string[] = [];
  const hh = new Map(households.map((h) => [h.relocationID, h]));
  const tr = new Map(trips.map((t) => [t.tripID, t]));
  const seen = new Set<string>();
  const used = new Map<string, number>();
  for (const a of plan.assignments) {
    const h = hh.get(a.relocationID)!;
    const t = tr.get(a.tripID)!;
    if (seen.has(a.relocationID)) out.push(`${a.relocationID} placed twice (split)`);
    seen.add(a.relocationID);
    if (a.seats !== h.size) out.push(`${a.relocationID} split: ${a.seats} of ${h.size} seats`);
    if (t.destinationAdm !== h.destinationAdm) out.push(`${a.relocationID} wrong destination`);
    if (t.officeID !== h.officeID) out.push(`${a.relocationID} wrong office`);
    if (!h.confirmed && t.departureAt.slice(0, 10) < h.earliestDate)
      out.push(`${a.relocationID} before earliest date`);
    used.set(t.tripID, (used.get(t.tripID) ?? 0) + a.seats);
  }
  for (const [id, n] of used)
    if (n > tr.get(id)!.seats) out.push(`${id} over capacity ${n}/${tr.get(id)!.seats}`);
  return out;
}
