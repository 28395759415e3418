import { afterEach, describe, expect, it, vi } from "vitest";
import { Operation } from "@waypoint/core";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";

/**
 * A day on the server is the operation's day, not UTC's: at 21:30 in Mexico City (UTC-6) it is already tomorrow in
 * UTC, so a visit due today must not read as overdue yet. The clock is set to that evening before the operation and
 * its users are made (their sessions are issued at that time too).
 */
const EVENING_IN_MEXICO = "2026-03-10T03:30:00.000Z"; // 2026-03-09 21:30 in America/Mexico_City

afterEach(() => {
  vi.useRealTimers();
});

describe("days in the operation's time zone", () => {
  it("a host visit due today in Mexico City is not overdue at 21:30 local time, last week's is", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date(EVENING_IN_MEXICO));
    const op = await createTestOperation();
    await as(system, async () => {
      const cur = await Operation.get(op.operationID);
      await Operation.update(op.operationID, cur.version, { timeZone: "America/Mexico_City" });
    });
    const token = op.users.caseworker.token;
    const host = await call("POST", "/api/hosts", {
      token,
      body: {
        officeID: op.officeA,
        kind: "family",
        name: "Familia Medianoche",
        capacity: 2,
        adm1: "MX07",
        adm2: "MX07089",
        contractStart: "2026-01-01",
        contractEnd: "2026-12-31",
        visitEveryDays: 7,
      },
    });
    expect(host.status, JSON.stringify(host.json)).toBe(201);
    const hostID = host.json.hostID;
    // one visit a week ago, one today (local): 2026-03-02 and 2026-03-09
    const scheduled = await call("POST", `/api/hosts/${hostID}/visits`, {
      token,
      body: { from: "2026-03-02", count: 2 },
    });
    expect(scheduled.status, JSON.stringify(scheduled.json)).toBeLessThan(300);

    const overdue = await call("GET", `/api/host-visits/overdue?officeID=${op.officeA}`, { token });
    expect(overdue.status, JSON.stringify(overdue.json)).toBe(200);
    const mine = overdue.json.items.filter((v: { hostID: string }) => v.hostID === hostID);
    expect(mine.map((v: { scheduledFor: string }) => v.scheduledFor)).toEqual(["2026-03-02"]);

    const calendar = await call(
      "GET",
      `/api/host-visits?officeID=${op.officeA}&from=2026-03-01&to=2026-03-12`,
      { token },
    );
    expect(calendar.status, JSON.stringify(calendar.json)).toBe(200);
    expect(
      calendar.json.items
        .filter((v: { hostID: string }) => v.hostID === hostID)
        .map((v: { scheduledFor: string; overdue: boolean }) => [v.scheduledFor, v.overdue]),
    ).toEqual([
      ["2026-03-02", true],
      ["2026-03-09", false],
    ]);
  });
});
