/**
 * The booking form's conflict check at the scale of a busy office: 5,000 bookings in the office's month (30 rooms,
 * 10 interpreters, office hours, working days) in a private DynamoDB Local. Measures
 * `GET /api/appointments/availability` through the real Hono app (auth, validation, core, DynamoDB): 200 proposed
 * slots (random day, hour, room, interpreter and person; 3 next free slots asked for each), first call apart.
 * Target (issue 15): < 150 ms p95.
 */
import { benchStack, percentile } from "./support/registry.ts";

export const description =
  "Appointment conflict check with 5,000 bookings in the office's month (< 150 ms p95)";

const N = 5000;
const ROOMS = 30;
const INTERPRETERS = 10;

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-avail-${Date.now()}`);
  try {
    const { core, op, office, admin } = stack;
    const { AppointmentEntity } = await import("@waypoint/core/appointment/appointment.entity");
    const { app } = await import("@waypoint/functions");
    const system = { type: "system" as const, reason: "bench" };
    const interpreters = await core.Actor.provide(system, async () => {
      const out = [];
      for (let i = 0; i < INTERPRETERS; i++)
        out.push(
          await core.User.create({
            email: `interp-${i}-${Date.now()}@example.org`,
            name: `Interpreter ${i}`,
            languages: ["hat", "fra"],
            grants: [{ operationID: op.operationID, role: "interpreter", officeIDs: [office.officeID] }],
          }),
        );
      return out;
    });
    // the working days of next month; bookings 08:00–17:00 Mexico City (14:00–23:00 UTC), on the quarter hour
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const days: string[] = [];
    for (let d = new Date(first); d.getUTCMonth() === first.getUTCMonth(); d.setUTCDate(d.getUTCDate() + 1))
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
    const people = Array.from({ length: 2000 }, () => core.Identifier.create("individual"));
    const stamp = new Date().toISOString();
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const at = (day: string, quarter: number) =>
      new Date(Date.parse(`${day}T14:00:00.000Z`) + quarter * 15 * 60_000).toISOString();
    const items = Array.from({ length: N }, (_, i) => {
      const day = days[i % days.length]!;
      const q = rnd(36 - 4);
      const len = 2 + rnd(3); // 30–60 minutes
      return {
        appointmentID: core.Identifier.create("appointment"),
        operationID: op.operationID,
        officeID: office.officeID,
        kind: "interview" as const,
        room: `Sala ${1 + rnd(ROOMS)}`,
        start: at(day, q),
        end: at(day, q + len),
        participants: [people[rnd(people.length)]!],
        staffIDs: [],
        ...(i % 3 === 0
          ? { interpreterID: interpreters[rnd(INTERPRETERS)]!.userID, interpreterLanguage: "hat" }
          : {}),
        status: "booked" as const,
        restricted: false,
        createdBy: "bench",
        version: 1,
        timeCreated: stamp,
        timeUpdated: stamp,
      };
    });
    const t0 = performance.now();
    const res = await AppointmentEntity.put(items).go();
    if (res.unprocessed.length) throw new Error("unprocessed items");
    const seedMs = performance.now() - t0;

    const ask = async () => {
      const day = days[rnd(days.length)]!;
      const q = rnd(32);
      const qs = new URLSearchParams({
        officeID: office.officeID,
        room: `Sala ${1 + rnd(ROOMS)}`,
        start: at(day, q),
        end: at(day, q + 4),
        interpreterID: interpreters[rnd(INTERPRETERS)]!.userID,
        participants: people[rnd(people.length)]!,
        count: "3",
        tz: "America/Mexico_City",
      });
      const t = performance.now();
      const r = await app.request(`/api/appointments/availability?${qs}`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      const body = (await r.json()) as { free: boolean; conflicts: unknown[]; next: unknown[] };
      const ms = performance.now() - t;
      if (r.status !== 200) throw new Error(`availability: ${r.status} ${JSON.stringify(body)}`);
      return { ms, body };
    };
    const firstCall = await ask();
    const times: number[] = [];
    let busy = 0;
    let conflicts = 0;
    let offered = 0;
    for (let i = 0; i < 200; i++) {
      const { ms, body } = await ask();
      times.push(ms);
      if (!body.free) busy++;
      conflicts += body.conflicts.length;
      offered += body.next.length;
    }
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const ok = (b: boolean) => (b ? "✅" : "❌");
    const perDay = Math.round(N / days.length);
    return [
      `Seeded ${N.toLocaleString("en")} bookings (${days.length} working days of one office, ~${perDay} a day, ${ROOMS} rooms, ${INTERPRETERS} interpreters on a third of them) by BatchWrite in ${seedMs.toFixed(0)} ms; DynamoDB Local in memory. 200 checks through \`app.request\` (in-process HTTP, admin token), 1 hour each, 3 next free slots asked.`,
      "",
      "| measure | value | target |",
      "| --- | ---: | --- |",
      `| first call | ${firstCall.ms.toFixed(1)} ms | |`,
      `| p50 | ${p50.toFixed(1)} ms | |`,
      `| p95 | ${p95.toFixed(1)} ms | < 150 ms ${ok(p95 < 150)} |`,
      `| max | ${Math.max(...times).toFixed(1)} ms | |`,
      `| slots found taken / conflicts listed / free slots offered | ${busy} / ${conflicts} / ${offered} | |`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
