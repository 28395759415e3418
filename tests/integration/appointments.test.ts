import { describe, expect, it } from "vitest";
import { Appointment, Interpreting, User } from "@waypoint/core";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";

const day = (offsetDays: number, hh: string, mm = "00") => {
  const d = new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  return `${d}T${hh}:${mm}:00.000Z`;
};

async function withInterpreter() {
  const op = await createTestOperation();
  const interpreter = await as(system, () =>
    User.create({
      email: `interp.${op.operationID.slice(-8)}@test.example.org`.toLowerCase(),
      name: "Interpreter",
      languages: ["hat", "fra", "spa"],
      grants: [{ operationID: op.operationID, role: "interpreter", officeIDs: [op.officeA] }],
    }),
  );
  return { op, interpreterID: interpreter.userID };
}

describe("appointments", () => {
  it("refuses to double-book an interpreter when two bookings race: exactly one wins", async () => {
    const { op, interpreterID } = await withInterpreter();
    const cw = op.users.caseworker.actor;
    const book = (room: string) =>
      as(cw, () =>
        Appointment.create({
          officeID: op.officeA,
          kind: "interview",
          room,
          start: day(2, "10"),
          end: day(2, "11"),
          interpreterID,
          interpreterLanguage: "hat",
        }),
      );
    const results = await Promise.allSettled([book("Room 1"), book("Room 2")]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason.code).toBe("appointment.interpreter_busy");
    const agenda = await as(cw, () => Appointment.list({ interpreterID, day: day(2, "00").slice(0, 10) }));
    expect(agenda.items).toHaveLength(1);
  });

  it("refuses a second booking of the same room and slot, and an overlapping one, over HTTP with 409", async () => {
    const { op } = await withInterpreter();
    const token = op.users.caseworker.token;
    const body = {
      officeID: op.officeA,
      kind: "counselling",
      room: "Sala A",
      start: day(3, "09"),
      end: day(3, "10"),
    };
    const first = await call("POST", "/api/appointments", { token, body });
    expect(first.status).toBe(201);
    const overlap = await call("POST", "/api/appointments", {
      token,
      body: { ...body, room: "sala a", start: day(3, "09", "45"), end: day(3, "10", "30") },
    });
    expect(overlap.status).toBe(409);
    expect(overlap.json.code).toBe("appointment.room_busy");
    const after = await call("POST", "/api/appointments", {
      token,
      body: { ...body, start: day(3, "10"), end: day(3, "10", "30") },
    });
    expect(after.status).toBe(201);
  });

  it("frees the slots when an appointment is cancelled or moved", async () => {
    const { op, interpreterID } = await withInterpreter();
    const cw = op.users.caseworker.actor;
    const base = {
      officeID: op.officeA,
      kind: "interview" as const,
      room: "R1",
      interpreterID,
      interpreterLanguage: "spa",
    };
    const a = await as(cw, () => Appointment.create({ ...base, start: day(4, "14"), end: day(4, "15") }));
    const moved = await as(cw, () =>
      Appointment.patch({
        appointmentID: a.appointmentID,
        version: 1,
        changes: { start: day(4, "15"), end: day(4, "16") },
      }),
    );
    expect(moved.version).toBe(2);
    const b = await as(cw, () => Appointment.create({ ...base, start: day(4, "14"), end: day(4, "15") }));
    await expect(
      as(cw, () => Appointment.create({ ...base, room: "R2", start: day(4, "15"), end: day(4, "15", "30") })),
    ).rejects.toMatchObject({
      code: "appointment.interpreter_busy",
    });
    await as(cw, () => Appointment.cancel(a.appointmentID, 2));
    const c = await as(cw, () =>
      Appointment.create({ ...base, room: "R2", start: day(4, "15"), end: day(4, "15", "30") }),
    );
    expect(c.status).toBe("booked");
    expect(b.status).toBe("booked");
  });

  it("books an interpreter only for a language they speak, and stores nothing otherwise", async () => {
    const { op, interpreterID } = await withInterpreter();
    const res = await call("POST", "/api/appointments", {
      token: op.users.caseworker.token,
      body: {
        officeID: op.officeA,
        kind: "interview",
        room: "R9",
        start: day(5, "09"),
        end: day(5, "10"),
        interpreterID,
        interpreterLanguage: "ara",
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe("interpreterLanguage");
    const list = await call("GET", `/api/appointments?officeID=${op.officeA}`, {
      token: op.users.caseworker.token,
    });
    expect(list.json.items).toHaveLength(0);
  });

  it("rejects slots off the 15-minute grid and end before start with field paths", async () => {
    const { op } = await withInterpreter();
    const res = await call("POST", "/api/appointments", {
      token: op.users.caseworker.token,
      body: {
        officeID: op.officeA,
        kind: "briefing",
        room: "R1",
        start: day(5, "09", "07"),
        end: day(5, "08"),
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["end", "start"]);
  });

  it("shows an interpreter only the appointments they are booked for", async () => {
    const { op, interpreterID } = await withInterpreter();
    const cw = op.users.caseworker.actor;
    const mine = await as(cw, () =>
      Appointment.create({
        officeID: op.officeA,
        kind: "interview",
        room: "R1",
        start: day(6, "09"),
        end: day(6, "10"),
        interpreterID,
        interpreterLanguage: "fra",
      }),
    );
    const other = await as(cw, () =>
      Appointment.create({
        officeID: op.officeA,
        kind: "interview",
        room: "R2",
        start: day(6, "09"),
        end: day(6, "10"),
      }),
    );
    const interp = {
      type: "user" as const,
      userID: interpreterID,
      email: "x",
      operationID: op.operationID,
      role: "interpreter" as const,
      officeIDs: [op.officeA],
    };
    // their own view (core/interpreting): only their bookings; whole appointments are not theirs to read
    const agenda = await as(interp, () => Interpreting.agenda({ from: day(6, "00").slice(0, 10), days: 1 }));
    expect(agenda.items.map((a) => a.appointmentID)).toEqual([mine.appointmentID]);
    await expect(as(interp, () => Appointment.list({}))).rejects.toMatchObject({ status: 403 });
    await expect(as(interp, () => Appointment.get(mine.appointmentID))).rejects.toMatchObject({ status: 403 });
    await expect(as(interp, () => Appointment.get(other.appointmentID))).rejects.toMatchObject({
      status: 403,
    });
    await expect(as(interp, () => Appointment.cancel(mine.appointmentID, 1))).rejects.toMatchObject({
      status: 403,
    });
  });
});
