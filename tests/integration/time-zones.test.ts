import { describe, expect, it } from "vitest";
import { Appointment, Operation, User } from "@waypoint/core";
import { dayRange, localDate, localMonth, today } from "@waypoint/core/common/zone";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";

/** A test operation whose time zone is `zone`, with an interpreter in office A. */
async function operationIn(zone: string) {
  const t = await createTestOperation();
  const op = await as(system, () => Operation.get(t.operationID));
  await as(system, () => Operation.update(t.operationID, op.version, { timeZone: zone }));
  const interpreter = await as(system, () =>
    User.create({
      email: `interp.tz.${t.operationID.slice(-8)}@test.example.org`.toLowerCase(),
      name: "Interpreter",
      languages: ["spa"],
      grants: [{ operationID: t.operationID, role: "interpreter", officeIDs: [t.officeA] }],
    }),
  );
  return { t, interpreterID: interpreter.userID };
}

describe("days are the operation's days", () => {
  it("zone arithmetic: local midnight, dates and months across a change of offset", () => {
    expect(dayRange("2027-03-10", "America/Mexico_City")).toEqual({
      from: "2027-03-10T06:00:00.000Z",
      to: "2027-03-11T06:00:00.000Z",
    });
    expect(dayRange("2027-03-10", "Asia/Kabul").from).toBe("2027-03-09T19:30:00.000Z");
    // New York moves its clocks on 14 March 2027: that day lasts 23 hours
    const ny = dayRange("2027-03-14", "America/New_York");
    expect(Date.parse(ny.to) - Date.parse(ny.from)).toBe(23 * 3_600_000);
    expect(localDate("2027-03-11T05:30:00.000Z", "America/Mexico_City")).toBe("2027-03-10");
    expect(localMonth("2027-04-30T20:00:00.000Z", "Asia/Kabul")).toBe("2027-05");
    expect(today("Pacific/Kiritimati", Date.parse("2027-01-01T11:00:00Z"))).toBe("2027-01-02");
  });

  it("an appointment at 23:30 in Mexico City is on that day's agenda, not the next (UTC) day's", async () => {
    const { t, interpreterID } = await operationIn("America/Mexico_City");
    const booked = await as(t.users.caseworker.actor, () =>
      Appointment.create({
        officeID: t.officeA,
        kind: "interview",
        room: "Sala 1",
        // 23:30–23:45 on 10 March 2027 in Mexico City (UTC-6)
        start: "2027-03-11T05:30:00.000Z",
        end: "2027-03-11T05:45:00.000Z",
        interpreterID,
        interpreterLanguage: "spa",
      }),
    );
    const list = (day: string) =>
      call("GET", `/api/appointments?officeID=${t.officeA}&day=${day}`, { token: t.users.caseworker.token });
    const tenth = await list("2027-03-10");
    expect(tenth.status).toBe(200);
    expect(tenth.json.items.map((a: { appointmentID: string }) => a.appointmentID)).toEqual([booked.appointmentID]);
    expect((await list("2027-03-11")).json.items).toEqual([]);

    const interpreter = await as(system, () => User.get(interpreterID));
    const { Auth } = await import("@waypoint/core");
    const { token } = await Auth.issue(interpreter);
    const agenda = (from: string) => call("GET", `/api/work/interviews?from=${from}&days=1`, { token });
    expect((await agenda("2027-03-10")).json.items.map((i: { appointmentID: string }) => i.appointmentID)).toEqual([
      booked.appointmentID,
    ]);
    expect((await agenda("2027-03-11")).json.items).toEqual([]);
  });

  it("free slots are proposed in the operation's office hours when the browser names no zone", async () => {
    const { t } = await operationIn("Africa/Dakar");
    // Tuesday 9 March 2027, 16:45–17:00 in Dakar (UTC+0) is in hours; 07:45 is not
    const q = (start: string, end: string) =>
      call(
        "GET",
        `/api/appointments/availability?officeID=${t.officeA}&room=Salle%201&start=${start}&end=${end}&count=1`,
        { token: t.users.caseworker.token },
      );
    const late = await q("2027-03-09T16:30:00.000Z", "2027-03-09T16:45:00.000Z");
    expect(late.status).toBe(200);
    expect(late.json.next).toEqual([{ start: "2027-03-09T16:45:00.000Z", end: "2027-03-09T17:00:00.000Z" }]);
    const { t: kabul } = await operationIn("Asia/Kabul");
    // in Kabul (UTC+4:30) 16:30Z is 21:00: the next slot in hours is 08:00 Kabul the next day (03:30Z)
    const k = await call(
      "GET",
      `/api/appointments/availability?officeID=${kabul.officeA}&room=R1&start=2027-03-09T16:30:00.000Z&end=2027-03-09T16:45:00.000Z&count=1`,
      { token: kabul.users.caseworker.token },
    );
    expect(k.json.next).toEqual([{ start: "2027-03-10T03:30:00.000Z", end: "2027-03-10T03:45:00.000Z" }]);
  });
});

describe("reports count days and months of the operation", () => {
  it("a registration at 00:30 in Kabul on 1 January falls in January's first day; a payment late on 31 January in Kabul counts in February", async () => {
    const { t } = await operationIn("Asia/Kabul");
    const { context, dimsOf, visible, zoned } = await import("@waypoint/core/report/dims");
    await as(t.users.admin.actor, async () => {
      const f = await zoned({ from: "2027-01-01", to: "2027-01-01" });
      expect(f.zone).toBe("Asia/Kabul");
      const row = {
        id: "ind_x",
        operationID: t.operationID,
        officeID: t.officeA,
        // 00:30 on 1 January 2027 in Kabul (UTC+4:30)
        timeCreated: "2026-12-31T20:00:00.000Z",
      };
      expect(visible("individuals", f)(row as never)).toBe(true);
      expect(visible("individuals", { from: "2027-01-01", to: "2027-01-01" })(row as never)).toBe(false);
      const ctx = context(undefined, f.zone);
      expect(ctx.referenceDate).toBe(today("Asia/Kabul"));
      const payment = { purpose: "cash", status: "paid", currency: "AFN", timeCreated: "2027-01-31T20:00:00.000Z" };
      expect(dimsOf.payments(payment as never, ctx).month).toBe("2027-02");
    });
  });
});
