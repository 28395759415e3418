import { describe, expect, it } from "vitest";
import { documentClient, Relocation, RelocationTasks, RelocationTrip } from "@waypoint/core";
import { RelocationTripEntity } from "@waypoint/core/relocation/relocation.entity";
import { as, call, createTestOperation } from "../support/fixtures.ts";
import { inDays, makeRelocation, makeTrip, MONTERREY, READY, SALTILLO } from "../support/relocation.ts";

describe("relocation staff API", () => {
  it("schedules a trip and opens a relocation, listed as {items, nextCursor} and documented in /api/openapi.json", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    const trip = await call("POST", "/api/relocation-trips", {
      token,
      body: {
        officeID: op.officeA,
        departureAt: inDays(8),
        originTerminal: { name: "Terminal OCC Tapachula" },
        destination: MONTERREY,
        carrier: "OCC",
        seats: 40,
      },
    });
    expect(trip.status).toBe(201);
    const hh = await call("POST", "/api/households", { token, body: { officeID: op.officeA } });
    expect(hh.status).toBe(201);
    const rel = await call("POST", "/api/relocations", {
      token,
      body: {
        householdID: hh.json.householdID,
        officeID: op.officeA,
        householdSize: 4,
        vulnerability: 70,
        destination: MONTERREY,
        earliestDate: inDays(1).slice(0, 10),
        readiness: READY,
      },
    });
    expect(rel.status).toBe(201);
    expect(rel.json.status).toBe("ready");
    const list = await call("GET", "/api/relocations", { token });
    expect(list.json.items.map((r: { relocationID: string }) => r.relocationID)).toEqual([
      rel.json.relocationID,
    ]);
    expect(list.json).toHaveProperty("nextCursor");
    const doc = await call("GET", "/api/openapi.json");
    for (const p of [
      "/relocations",
      "/relocation-trips",
      "/relocation-plans",
      "/relocations/{id}/execution",
      "/relocations/{id}/confirm-departure",
      "/relocation-trips/{id}/manifest",
      "/reports/relocations",
    ])
      expect(Object.keys(doc.json.paths)).toContain(p);
  });

  it("rejects bad input with field paths and stores nothing; unknown households are refused", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    const bad = await call("POST", "/api/relocations", {
      token,
      body: {
        householdID: "hh_x",
        officeID: op.officeA,
        destination: { adm: "nowhere", name: "" },
        earliestDate: "2027-02-30",
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "destination.adm",
      "destination.name",
      "earliestDate",
    ]);
    const unknown = await call("POST", "/api/relocations", {
      token,
      body: {
        householdID: "hh_nope",
        officeID: op.officeA,
        householdSize: 2,
        destination: MONTERREY,
        earliestDate: "2027-02-01",
      },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors[0].path).toBe("householdID");
    expect((await call("GET", "/api/relocations", { token })).json.items).toEqual([]);
  });

  it("saves grid edits row by row: a stale version is a conflict, a bus to another city is refused, the rest is saved", async () => {
    const op = await createTestOperation();
    const mty = await makeTrip(op);
    const sal = await makeTrip(op, { destination: SALTILLO });
    const [a, b, c] = [await makeRelocation(op), await makeRelocation(op), await makeRelocation(op)];
    const res = await call("PATCH", "/api/relocations", {
      token: op.users.caseworker.token,
      body: {
        rows: [
          { id: a.relocationID, version: a.version, changes: { tripID: mty.tripID } },
          { id: b.relocationID, version: b.version + 1, changes: { vulnerability: 90 } },
          { id: c.relocationID, version: c.version, changes: { tripID: sal.tripID } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual([
      "saved",
      "conflict",
      "invalid",
    ]);
    expect(res.json.results[2].issues[0].code).toBe("relocation.wrong_destination");
    expect(res.json.results[0].record).toMatchObject({ tripID: mty.tripID, seats: 3, status: "assigned" });
    const stored = await as(op.users.admin.actor, () =>
      Promise.all([a, b, c].map((r) => Relocation.get(r.relocationID))),
    );
    expect(stored.map((r) => [r.tripID, r.vulnerability])).toEqual([
      [mty.tripID, 50],
      [undefined, 50],
      [undefined, 50],
    ]);
  });

  it("keeps relocations to the office's staff and refuses viewers' edits", async () => {
    const op = await createTestOperation();
    const rel = await makeRelocation(op);
    expect(
      (await call("GET", `/api/relocations/${rel.relocationID}`, { token: op.caseworkerB.token })).status,
    ).toBe(404);
    const v = await call("PATCH", "/api/relocations", {
      token: op.users.viewer.token,
      body: { rows: [{ id: rel.relocationID, version: 1, changes: { vulnerability: 1 } }] },
    });
    expect(v.json.results[0].status).toBe("forbidden");
    expect(
      (
        await call("POST", "/api/relocation-plans", {
          token: op.users.caseworker.token,
          body: { from: inDays(0).slice(0, 10), to: inDays(30).slice(0, 10) },
        })
      ).status,
    ).toBe(403);
  });

  it("never overbooks a trip: of two households racing for the last seats one gets them, the counter follows moves and cancellations", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    const trip = await makeTrip(op, { seats: 5 });
    const other = await makeTrip(op, { seats: 5 });
    const a = await makeRelocation(op, { householdSize: 3 });
    const b = await makeRelocation(op, { householdSize: 3 });
    const assign = (r: { relocationID: string; version: number }, tripID: string) =>
      call("PATCH", `/api/relocations`, {
        token,
        body: { rows: [{ id: r.relocationID, version: r.version, changes: { tripID } }] },
      });
    const [ra, rb] = await Promise.all([assign(a, trip.tripID), assign(b, trip.tripID)]);
    const outcomes = [ra.json.results[0], rb.json.results[0]];
    expect(outcomes.filter((o) => o.status === "saved")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status !== "saved");
    expect(refused.status).toBe("invalid");
    expect(refused.issues[0].code).toBe("relocation.trip_full");
    const taken = async (tripID: string) =>
      (await as(op.users.admin.actor, () => RelocationTrip.get(tripID))).seatsTaken;
    expect(await taken(trip.tripID)).toBe(3);
    // Capacity cannot drop below the seats held.
    const shrink = await call("PATCH", `/api/relocation-trips/${trip.tripID}`, {
      token,
      body: { version: trip.version, changes: { seats: 2 } },
    });
    expect(shrink.status).toBe(422);
    expect(shrink.json.errors[0].path).toBe("changes.seats");

    // Move the household that got the seats to the other trip, then cancel it: both counters follow.
    const winner = outcomes.find((o) => o.status === "saved");
    const moved = await call("PATCH", "/api/relocations", {
      token,
      body: { rows: [{ id: winner.id, version: winner.version, changes: { tripID: other.tripID } }] },
    });
    expect(moved.json.results[0].status).toBe("saved");
    expect([await taken(trip.tripID), await taken(other.tripID)]).toEqual([0, 3]);
    // A bigger household on the same trip takes only the difference.
    const grown = await call("PATCH", "/api/relocations", {
      token,
      body: {
        rows: [{ id: winner.id, version: moved.json.results[0].version, changes: { householdSize: 4 } }],
      },
    });
    expect(grown.json.results[0].status, JSON.stringify(grown.json)).toBe("saved");
    expect(await taken(other.tripID)).toBe(4);
    await as(op.users.admin.actor, async () => {
      const r = await Relocation.get(winner.id);
      await Relocation.cancel({
        relocationID: r.relocationID,
        version: r.version,
        reason: "moved on its own",
      });
    });
    expect(await taken(other.tripID)).toBe(0);
  });

  it("a capacity cut refuses seats a household took between its check and its write", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    const trip = await makeTrip(op, { seats: 5 });
    // Another writer takes 3 seats at the worst moment: after the cut has read the counter (0 held), just before
    // its transaction. The SDK middleware runs that write first, on the real table.
    const client = documentClient();
    let interleave: (() => Promise<unknown>) | undefined = () =>
      RelocationTripEntity.patch({ tripID: trip.tripID }).add({ seatsTaken: 3 }).go();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "TransactWriteItemsCommand" && interleave) {
          const write = interleave;
          interleave = undefined;
          await write();
        }
        return next(args);
      },
      { step: "initialize", name: "interleaveSeatTake" },
    );
    try {
      const cut = await call("PATCH", `/api/relocation-trips/${trip.tripID}`, {
        token,
        body: { version: trip.version, changes: { seats: 2 } },
      });
      expect(interleave, "the concurrent take ran").toBeUndefined();
      expect(cut.status, JSON.stringify(cut.json)).toBe(422);
      expect(cut.json.errors[0]).toMatchObject({ path: "changes.seats", code: "relocation.seats_taken" });
    } finally {
      client.middlewareStack.remove("interleaveSeatTake");
    }
    const stored = (await RelocationTripEntity.get({ tripID: trip.tripID }).go()).data!;
    expect([stored.seats, stored.seatsTaken, stored.version]).toEqual([5, 3, trip.version]);
    // With nothing in between, the same cut to a capacity above the held seats goes through.
    const ok = await call("PATCH", `/api/relocation-trips/${trip.tripID}`, {
      token,
      body: { version: trip.version, changes: { seats: 4 } },
    });
    expect(ok.status).toBe(200);
  });

  it("counts the seats of a trip created before the counter existed, once, from its relocations", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    const trip = await makeTrip(op, { seats: 10 });
    const a = await makeRelocation(op, { householdSize: 4 });
    const assigned = await call("PATCH", "/api/relocations", {
      token,
      body: { rows: [{ id: a.relocationID, version: a.version, changes: { tripID: trip.tripID } }] },
    });
    expect(assigned.json.results[0].status).toBe("saved");
    // As stored by a version without the counter.
    await RelocationTripEntity.patch({ tripID: trip.tripID }).remove(["seatsTaken"]).go();
    const b = await makeRelocation(op, { householdSize: 3 });
    const second = await call("PATCH", "/api/relocations", {
      token,
      body: { rows: [{ id: b.relocationID, version: b.version, changes: { tripID: trip.tripID } }] },
    });
    expect(second.json.results[0].status).toBe("saved");
    expect((await RelocationTripEntity.get({ tripID: trip.tripID }).go()).data?.seatsTaken).toBe(7);
  });

  it("plans seats (dry run first), gives reasons, and keeps confirmed seats when re-planning", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    const trip = await makeTrip(op, { seats: 6 });
    const conf = await makeRelocation(op, { householdSize: 3, vulnerability: 0 });
    await call("PATCH", "/api/relocations", {
      token,
      body: {
        rows: [
          { id: conf.relocationID, version: conf.version, changes: { tripID: trip.tripID, confirmed: true } },
        ],
      },
    });
    const urgent = await makeRelocation(op, { householdSize: 3, vulnerability: 95 });
    const tooMany = await makeRelocation(op, { householdSize: 4, vulnerability: 90 });
    const notReady = await makeRelocation(op, { readiness: { documents: true } });
    const range = { from: inDays(0).slice(0, 10), to: inDays(20).slice(0, 10) };
    const dry = await call("POST", "/api/relocation-plans", { token, body: { ...range, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.json.summary).toMatchObject({ placed: 1, kept: 1, unplaced: 2, seats: 6, seatsFilled: 6 });
    expect(
      (await as(op.users.admin.actor, () => Relocation.get(urgent.relocationID))).tripID,
    ).toBeUndefined();
    const real = await call("POST", "/api/relocation-plans", { token, body: range });
    expect(real.json.results.every((r: { status: string }) => r.status === "saved")).toBe(true);
    const after = await as(op.users.admin.actor, () =>
      Promise.all([conf, urgent, tooMany, notReady].map((r) => Relocation.get(r.relocationID))),
    );
    expect(after.map((r) => [r.tripID ?? null, r.planReason ?? null, r.status])).toEqual([
      [trip.tripID, null, "scheduled"],
      [trip.tripID, null, "assigned"],
      [null, "trips_full", "ready"],
      [null, "not_ready", "preparing"],
    ]);
  });

  it("refuses to confirm a departure before tickets are issued, then gives the terminal team a manifest and counts the people", async () => {
    const op = await createTestOperation();
    const { token } = op.users.supervisor;
    const trip = await makeTrip(op, { departureAt: inDays(-1) });
    const rel = await makeRelocation(op, { householdSize: 4 });
    const saved = (
      await call("PATCH", "/api/relocations", {
        token,
        body: {
          rows: [
            { id: rel.relocationID, version: rel.version, changes: { tripID: trip.tripID, confirmed: true } },
          ],
        },
      })
    ).json.results[0].record;
    const early = await call("POST", `/api/relocations/${rel.relocationID}/confirm-departure`, {
      token,
      body: { version: saved.version },
    });
    expect(early.status).toBe(422);
    expect(early.json.code).toBe("relocation.not_ticketed");
    await RelocationTasks.run({ task: "ticket", relocationID: rel.relocationID });
    await RelocationTasks.run({ task: "ticket", relocationID: rel.relocationID });
    const ticketed = await as(op.users.admin.actor, () => Relocation.get(rel.relocationID));
    expect(ticketed.ticket?.numbers).toHaveLength(4);
    const csv = await call("GET", `/api/relocation-trips/${trip.tripID}/manifest?format=csv`, { token });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.split("\r\n")[1]).toContain(ticketed.ticket!.numbers.join(" "));
    const html = await call("GET", `/api/relocation-trips/${trip.tripID}/manifest?format=html`, { token });
    expect(html.text).toContain("<table>");
    expect(
      (
        await call("POST", `/api/relocations/${rel.relocationID}/confirm-departure`, {
          token,
          body: { version: ticketed.version },
        })
      ).status,
    ).toBe(200);
    const report = await call("GET", "/api/reports/relocations", { token });
    expect(report.json.items).toEqual([
      {
        originOfficeID: op.officeA,
        destination: "Monterrey",
        month: trip.departureAt.slice(0, 7),
        households: 1,
        people: 4,
      },
    ]);
  });
});
