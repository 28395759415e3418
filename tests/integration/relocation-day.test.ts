import { describe, expect, it } from "vitest";
import { Household, Individual, Relocation, RelocationTasks, RelocationTrip } from "@waypoint/core";
import { app } from "@waypoint/functions";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { inDays, makeRelocation, makeTrip, READY } from "../support/relocation.ts";

/** Relocation day (issue 17): checklist enforced, terminal check-in/departure in bulk, no-shows, tickets, reports. */

async function seated(op: TestOperation, tripID: string, sizes: number[], over = {}) {
  const out = [];
  for (const householdSize of sizes) {
    const rel = await makeRelocation(op, { householdSize, ...over });
    const res = await call("PATCH", "/api/relocations", {
      token: op.users.supervisor.token,
      body: { rows: [{ id: rel.relocationID, version: rel.version, changes: { tripID, confirmed: true } }] },
    });
    expect(res.json.results[0].status).toBe("saved");
    out.push(await as(op.users.admin.actor, () => Relocation.get(rel.relocationID)));
  }
  return out;
}

const rowsOf = (rels: { relocationID: string; version: number }[]) =>
  rels.map((r) => ({ id: r.relocationID, version: r.version }));
const trip = (op: TestOperation, tripID: string) => as(op.users.admin.actor, () => RelocationTrip.get(tripID));
const reloc = (op: TestOperation, id: string) => as(op.users.admin.actor, () => Relocation.get(id));

/** The names of the fonts whose program is embedded in a PDF (FontFile2 in their descriptor). */
async function embeddedFonts(bytes: Uint8Array): Promise<string[]> {
  const { PDFDocument, PDFDict, PDFName } = await import("pdf-lib");
  const doc = await PDFDocument.load(bytes);
  const out: string[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects())
    if (obj instanceof PDFDict && obj.get(PDFName.of("FontFile2")))
      out.push(String(obj.get(PDFName.of("FontName"))));
  return out;
}

describe("relocation day at the terminal", () => {
  it("refuses check-in and departure until the readiness checklist is complete, and says what is missing", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { departureAt: inDays(0, 23) });
    const [ok, notBriefed] = await seated(op, t.tripID, [2, 3]);
    // the briefing is unticked after the seat was confirmed
    const unticked = await call("PATCH", "/api/relocations", {
      token: op.users.caseworker.token,
      body: {
        rows: [
          { id: notBriefed!.relocationID, version: notBriefed!.version, changes: { readiness: { briefingAttended: false } } },
        ],
      },
    });
    expect(unticked.json.results[0].status).toBe("saved");
    const notReady = await reloc(op, notBriefed!.relocationID);
    const res = await call("POST", `/api/relocation-trips/${t.tripID}/check-in`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf([ok!, notReady]) },
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(["saved", "invalid"]);
    expect(res.json.results[1].issues[0]).toMatchObject({ code: "relocation.not_ready" });
    expect(res.json.results[1].issues[0].message).toContain("preparatory briefing");
    expect((await reloc(op, notReady.relocationID)).checkIn).toBeUndefined();
    expect((await trip(op, t.tripID)).seatsCheckedIn).toBe(2);

    // a household ticketed by the workflow whose medical clearance is then withdrawn cannot board either
    await RelocationTasks.run({ task: "ticket", relocationID: ok!.relocationID });
    const ticketed = await reloc(op, ok!.relocationID);
    const withdrawn = await call("PATCH", "/api/relocations", {
      token: op.users.caseworker.token,
      body: { rows: [{ id: ticketed.relocationID, version: ticketed.version, changes: { readiness: { medical: false } } }] },
    });
    expect(withdrawn.json.results[0].status).toBe("saved");
    const cur = await reloc(op, ok!.relocationID);
    const single = await call("POST", `/api/relocations/${cur.relocationID}/confirm-departure`, {
      token: op.users.caseworker.token,
      body: { version: cur.version },
    });
    expect(single.status).toBe(422);
    expect(single.json.code).toBe("relocation.not_ready");
    const bulk = await call("POST", `/api/relocation-trips/${t.tripID}/departures`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf([cur]) },
    });
    expect(bulk.json.results[0].issues[0].code).toBe("relocation.not_ready");
    expect((await reloc(op, cur.relocationID)).status).not.toBe("departed");
    expect((await trip(op, t.tripID)).seatsDeparted).toBe(0);
  });

  it("checks many households in at once with exact counters, issues each one's tickets once, and a second tablet's repeat changes nothing", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { departureAt: inDays(0, 23), seats: 40 });
    const sizes = [1, 2, 3, 4, 5, 2, 3, 1, 6, 4];
    const rels = await seated(op, t.tripID, sizes);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect((await trip(op, t.tripID)).seatsTaken).toBe(total);
    // two tablets send the same check-in at the same moment
    const [a, b] = await Promise.all([
      call("POST", `/api/relocation-trips/${t.tripID}/check-in`, {
        token: op.users.caseworker.token,
        body: { rows: rowsOf(rels) },
      }),
      call("POST", `/api/relocation-trips/${t.tripID}/check-in`, {
        token: op.users.supervisor.token,
        body: { rows: rowsOf(rels) },
      }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    // each household was checked in by exactly one of them (the other got a conflict or the saved record)
    for (let i = 0; i < rels.length; i++)
      expect([a.json.results[i].status, b.json.results[i].status]).toContain("saved");
    const after = await trip(op, t.tripID);
    expect(after).toMatchObject({ seatsTaken: total, seatsCheckedIn: total, seatsDeparted: 0 });
    const stored = await Promise.all(rels.map((r) => reloc(op, r.relocationID)));
    for (const [i, r] of stored.entries()) {
      expect(r.checkIn).toBeDefined();
      expect(r.ticket?.numbers).toHaveLength(sizes[i]!);
      expect(r.status).toBe("ticketed");
    }
    // the workflow's ticket step afterwards issues nothing new
    await RelocationTasks.run({ task: "ticket", relocationID: rels[0]!.relocationID });
    expect((await reloc(op, rels[0]!.relocationID)).ticket).toEqual(stored[0]!.ticket);

    // all on board at once
    const dep = await call("POST", `/api/relocation-trips/${t.tripID}/departures`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf(stored) },
    });
    expect(dep.json.results.every((r: { status: string }) => r.status === "saved")).toBe(true);
    expect(await trip(op, t.tripID)).toMatchObject({ seatsTaken: total, seatsCheckedIn: total, seatsDeparted: total });
    const departed = await reloc(op, rels[0]!.relocationID);
    expect(departed.departure?.tripDepartureAt).toBe(t.departureAt);
  });

  it("never oversells: households racing for the last seats while others check in leave every counter within the bus", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { departureAt: inDays(0, 23), seats: 10 });
    const onBoard = await seated(op, t.tripID, [3, 3]);
    const racers = await Promise.all([4, 4, 2].map((householdSize) => makeRelocation(op, { householdSize })));
    const [checkIn, ...moves] = await Promise.all([
      call("POST", `/api/relocation-trips/${t.tripID}/check-in`, {
        token: op.users.caseworker.token,
        body: { rows: rowsOf(onBoard) },
      }),
      ...racers.map((r) =>
        call("PATCH", "/api/relocations", {
          token: op.users.supervisor.token,
          body: { rows: [{ id: r.relocationID, version: r.version, changes: { tripID: t.tripID, confirmed: true } }] },
        }),
      ),
    ]);
    expect(checkIn!.json.results.map((r: { status: string }) => r.status)).toEqual(["saved", "saved"]);
    const won = moves.filter((m) => m.json.results[0].status === "saved").length;
    const stored = await Promise.all([...onBoard, ...racers].map((r) => reloc(op, r.relocationID)));
    const held = stored.filter((r) => r.tripID === t.tripID).reduce((n, r) => n + (r.seats ?? 0), 0);
    const counters = await trip(op, t.tripID);
    expect(held).toBeLessThanOrEqual(10);
    expect(counters.seatsTaken).toBe(held);
    expect(counters.seatsCheckedIn).toBe(6);
    expect(won).toBeGreaterThanOrEqual(1);
  });

  it("records a no-show: the seats go back to the trip, the checked-in count follows, the workflow ends, the manifest shows it", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { departureAt: inDays(0, 23), seats: 20 });
    const [came, missing] = await seated(op, t.tripID, [3, 4]);
    await call("POST", `/api/relocation-trips/${t.tripID}/check-in`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf([came!, missing!]) },
    });
    expect((await trip(op, t.tripID)).seatsCheckedIn).toBe(7);
    const cur = await reloc(op, missing!.relocationID);
    const res = await call("POST", `/api/relocation-trips/${t.tripID}/no-shows`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf([cur]), note: "not at the terminal at 07:30" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results[0].status).toBe("saved");
    const stored = await reloc(op, missing!.relocationID);
    expect(stored).toMatchObject({ status: "no_show", confirmed: false });
    expect(stored.noShow?.tripID).toBe(t.tripID);
    expect(await trip(op, t.tripID)).toMatchObject({ seatsTaken: 3, seatsCheckedIn: 3 });
    // twice is once
    await call("POST", `/api/relocation-trips/${t.tripID}/no-shows`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf([stored]) },
    });
    expect(await trip(op, t.tripID)).toMatchObject({ seatsTaken: 3, seatsCheckedIn: 3 });
    // no boarding, no more workflow steps
    const board = await call("POST", `/api/relocation-trips/${t.tripID}/departures`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf([stored]) },
    });
    expect(board.json.results[0].status).toBe("invalid");
    expect((await RelocationTasks.run({ task: "departure", relocationID: stored.relocationID })).action).toBe(
      "cancelled",
    );
    const manifest = await call("GET", `/api/relocation-desk/manifest/${t.tripID}`, {
      token: op.users.caseworker.token,
    });
    expect(manifest.json.rows.map((r: { relocationID: string; status: string }) => [r.relocationID, r.status])).toEqual([
      [came!.relocationID, "ticketed"],
      [missing!.relocationID, "no_show"],
    ]);
    expect(manifest.json.seatsTaken).toBe(3);
  });

  it("prints a household's tickets as a PDF with the ticket numbers and names, and records them delivered", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { departureAt: inDays(0, 23) });
    const rel = await as(op.users.admin.actor, async () => {
      const hh = await Household.create({ officeID: op.officeA });
      for (const [givenName, familyName, dateOfBirth] of [
        ["Rosa", "Martínez", "1988-03-02"],
        ["Luis", "Martínez", "2015-07-11"],
      ] as const)
        await Individual.create(
          {
            givenName,
            familyName,
            sex: "female",
            dateOfBirth,
            nationality: "HND",
            householdID: hh.householdID,
            relationshipToHead: givenName === "Rosa" ? "head" : "child",
            officeID: op.officeA,
            specificNeeds: givenName === "Luis" ? ["SM"] : [],
          } as never,
          { overrideDuplicates: { reason: "test fixture person" } },
        );
      return Relocation.create({
        householdID: hh.householdID,
        officeID: op.officeA,
        destination: t.destination,
        earliestDate: new Date().toISOString().slice(0, 10),
        readiness: READY,
      });
    });
    expect(rel.householdSize).toBe(2);
    const before = await call("GET", `/api/relocations/${rel.relocationID}/tickets`, { token: op.users.caseworker.token });
    expect(before.status).toBe(422);
    await call("PATCH", "/api/relocations", {
      token: op.users.caseworker.token,
      body: { rows: [{ id: rel.relocationID, version: rel.version, changes: { tripID: t.tripID, confirmed: true } }] },
    });
    const cur = await reloc(op, rel.relocationID);
    await call("POST", `/api/relocation-trips/${t.tripID}/check-in`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf([cur]) },
    });
    const res = await app.request(`/api/relocations/${rel.relocationID}/tickets?lang=es`, {
      headers: { authorization: `Bearer ${op.users.caseworker.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await getDocument({ data: bytes, useSystemFonts: false }).promise;
    const ticketed = await reloc(op, rel.relocationID);
    expect(pdf.numPages).toBe(2);
    const text = async (n: number) =>
      ((await (await pdf.getPage(n)).getTextContent()).items as { str: string }[]).map((i) => i.str).join(" ");
    expect(await text(1)).toContain(ticketed.ticket!.numbers[0]);
    expect(await text(1)).toContain("Rosa Martínez");
    expect(await text(2)).toContain("Luis Martínez");
    expect(await text(1)).toContain("Boleto de autobús");

    // the manifest names the people, ages and needs
    const manifest = await call("GET", `/api/relocation-desk/manifest/${t.tripID}`, { token: op.users.caseworker.token });
    expect(manifest.json.rows[0].people).toEqual([
      { name: "Rosa Martínez", age: expect.any(Number), sex: "female", needs: [] },
      { name: "Luis Martínez", age: expect.any(Number), sex: "female", needs: ["SM"] },
    ]);

    const delivered = await call("POST", `/api/relocations/${rel.relocationID}/ticket-delivered`, {
      token: op.users.caseworker.token,
      body: { version: ticketed.version },
    });
    expect(delivered.status).toBe(200);
    expect((await reloc(op, rel.relocationID)).ticket?.deliveredAt).toBeDefined();
  });
});

describe("after arrival and in the reports", () => {
  it("counts people relocated in the month the bus left, in /api/reports/relocations and relocations-monthly alike", async () => {
    const op = await createTestOperation();
    // the bus left 40 days ago; the terminal confirms the departure only today
    const t = await makeTrip(op, { departureAt: inDays(-40, 12) });
    const [rel] = await seated(op, t.tripID, [4]);
    await RelocationTasks.run({ task: "ticket", relocationID: rel!.relocationID });
    const cur = await reloc(op, rel!.relocationID);
    const dep = await call("POST", `/api/relocations/${cur.relocationID}/confirm-departure`, {
      token: op.users.supervisor.token,
      body: { version: cur.version },
    });
    expect(dep.status).toBe(200);
    const month = t.departureAt.slice(0, 7);
    const a = await call("GET", "/api/reports/relocations", { token: op.users.supervisor.token });
    expect(a.json.items).toEqual([{ originOfficeID: op.officeA, destination: "Monterrey", month, households: 1, people: 4 }]);
    const b = await call("GET", "/api/reports/relocations-monthly?format=json&suppressBelow=0", {
      token: op.users.supervisor.token,
    });
    expect(b.status).toBe(200);
    expect(b.json.rows.map((r: unknown[]) => [r[0], r[3], r[4], r[5]])).toEqual([[month, "Monterrey", 1, 4]]);
    // the period filters agree too: the month of the bus, not of the click
    const q = `from=${month}-01&to=${month}-28`;
    expect((await call("GET", `/api/reports/relocations?${q}`, { token: op.users.supervisor.token })).json.items).toHaveLength(1);
    expect(
      (await call("GET", `/api/reports/relocations-monthly?format=json&suppressBelow=0&${q}`, { token: op.users.supervisor.token }))
        .json.rows,
    ).toHaveLength(1);
    // the trip's departure can no longer move once households left on it
    const tr = await trip(op, t.tripID);
    const moved = await call("PATCH", `/api/relocation-trips/${t.tripID}`, {
      token: op.users.supervisor.token,
      body: { version: tr.version, changes: { departureAt: inDays(-10) } },
    });
    expect(moved.status).toBe(422);
    expect(moved.json.code).toBe("relocation.trip_departed");
  });

  it("lets caseworkers export the people-relocated report as CSV and XLSX (audited), not viewers", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { departureAt: inDays(-2, 12) });
    const [rel] = await seated(op, t.tripID, [6]);
    await RelocationTasks.run({ task: "ticket", relocationID: rel!.relocationID });
    const cur = await reloc(op, rel!.relocationID);
    await call("POST", `/api/relocations/${cur.relocationID}/confirm-departure`, {
      token: op.users.caseworker.token,
      body: { version: cur.version },
    });
    // by default a single household's count is withheld, as in every shared table
    const shared = await call("GET", "/api/reports/relocations/export?format=csv", { token: op.users.caseworker.token });
    expect(shared.status).toBe(200);
    expect(shared.text).toContain("Monterrey,,");
    expect(shared.headers.get("x-suppressed-cells")).toBe("1");
    const csv = await call("GET", "/api/reports/relocations/export?format=csv&suppressBelow=0", {
      token: op.users.caseworker.token,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text).toContain(`${t.departureAt.slice(0, 7)},`);
    expect(csv.text).toContain("Monterrey,1,6");
    const xlsx = await call("GET", "/api/reports/relocations/export?format=xlsx", { token: op.users.caseworker.token });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    // a caseworker may not export the other report tables
    expect((await call("GET", "/api/reports/relocations-monthly?format=csv", { token: op.users.caseworker.token })).status).toBe(403);
    const viewer = await call("GET", "/api/reports/relocations/export?format=csv", { token: op.users.viewer.token });
    expect(viewer.status).toBe(403);
  });

  it("records follow-up outcomes after arrival and marks overdue ones", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { departureAt: inDays(-45, 12) });
    const [rel] = await seated(op, t.tripID, [2]);
    await RelocationTasks.run({ task: "ticket", relocationID: rel!.relocationID });
    let cur = await reloc(op, rel!.relocationID);
    const early = await call("POST", `/api/relocations/${cur.relocationID}/follow-ups`, {
      token: op.users.caseworker.token,
      body: { version: cur.version, month: 1, reached: true, referred: false },
    });
    expect(early.status).toBe(422);
    await call("POST", `/api/relocations/${cur.relocationID}/confirm-departure`, {
      token: op.users.caseworker.token,
      body: { version: cur.version },
    });
    let list = await call("GET", "/api/relocation-desk/follow-ups", { token: op.users.caseworker.token });
    expect(list.json.items[0].followUps.map((f: { month: number; overdue: boolean }) => [f.month, f.overdue])).toEqual([
      [1, true],
      [3, false],
    ]);
    cur = await reloc(op, rel!.relocationID);
    const res = await call("POST", `/api/relocations/${cur.relocationID}/follow-ups`, {
      token: op.users.caseworker.token,
      body: { version: cur.version, month: 1, reached: true, needs: "school place for the child", referred: true },
    });
    expect(res.status).toBe(200);
    const stored = await reloc(op, rel!.relocationID);
    expect(stored.followUps?.find((f) => f.month === 1)?.outcome).toEqual({
      reached: true,
      needs: "school place for the child",
      referred: true,
    });
    list = await call("GET", "/api/relocation-desk/follow-ups", { token: op.users.caseworker.token });
    expect(list.json.items[0].followUps[0]).toMatchObject({ month: 1, overdue: false, outcome: { reached: true } });
  });

  it("lists eligible households by interest, assessment and needs, and opens relocations for a selection on a trip", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { seats: 5 });
    const hhs = await as(op.users.admin.actor, async () => {
      const out = [];
      for (const [name, needs] of [
        ["Ana", ["SM"]],
        ["Berta", []],
        ["Carla", ["DS"]],
      ] as const) {
        const hh = await Household.create({ officeID: op.officeA });
        for (let i = 0; i < 2; i++)
          await Individual.create(
            {
              givenName: `${name}${i}`,
              familyName: "Pérez",
              sex: "female",
              dateOfBirth: "1990-01-01",
              nationality: "HND",
              householdID: hh.householdID,
              relationshipToHead: i === 0 ? "head" : "spouse",
              officeID: op.officeA,
              specificNeeds: i === 0 ? [...needs] : [],
            } as never,
            { overrideDuplicates: { reason: "test fixture person" } },
          );
        out.push(hh);
      }
      return out;
    });
    const interest = await call("PUT", `/api/relocation-desk/interest/${hhs[0]!.householdID}`, {
      token: op.users.caseworker.token,
      body: { interested: true },
    });
    expect(interest.status).toBe(200);
    await call("PUT", `/api/relocation-desk/interest/${hhs[2]!.householdID}`, {
      token: op.users.caseworker.token,
      body: { interested: true },
    });
    const interested = await call("GET", "/api/relocation-desk/candidates?interested=yes", { token: op.users.caseworker.token });
    expect(interested.json.items.map((c: { householdID: string }) => c.householdID).sort()).toEqual(
      [hhs[0]!.householdID, hhs[2]!.householdID].sort(),
    );
    const needsSM = await call("GET", "/api/relocation-desk/candidates?need=SM", { token: op.users.caseworker.token });
    expect(needsSM.json.items.map((c: { householdID: string; headName: string }) => c.headName)).toEqual(["Ana0 Pérez"]);
    const created = await call("POST", "/api/relocation-desk/relocations", {
      token: op.users.caseworker.token,
      body: {
        householdIDs: [hhs[0]!.householdID, hhs[2]!.householdID, hhs[1]!.householdID],
        officeID: op.officeA,
        destination: t.destination,
        earliestDate: new Date().toISOString().slice(0, 10),
        tripID: t.tripID,
      },
    });
    expect(created.status).toBe(200);
    // 2 + 2 seats fit on a 5-seat bus, the third household is opened without a seat and says why
    expect(created.json.results.map((r: { status: string }) => r.status)).toEqual(["created", "created", "invalid"]);
    expect(created.json.results[2].issues[0].code).toBe("relocation.trip_full");
    expect((await trip(op, t.tripID)).seatsTaken).toBe(4);
    const list = await call("GET", "/api/relocations", { token: op.users.caseworker.token });
    expect(list.json.items).toHaveLength(3);
    // households with a relocation under way are no longer candidates
    const left = await call("GET", "/api/relocation-desk/candidates", { token: op.users.caseworker.token });
    expect(left.json.items).toEqual([]);
  });
});

describe("opening relocations from a selection", () => {
  it("names the destination as the operation's areas do and checks the bus before opening anything", async () => {
    const op = await createTestOperation();
    const areas = await call("POST", `/api/operations/${op.operationID}/areas/import`, {
      token: op.users.admin.token,
      body: {
        csv: "pcode,name,parent,level\nMX19,Nuevo León,,1\nMX19039,Monterrey,MX19,2\nMX05,Coahuila de Zaragoza,,1\nMX05030,Saltillo,MX05,2\n",
      },
    });
    expect(areas.json, JSON.stringify(areas.json)).toMatchObject({ stored: true, errors: [] });
    const toMonterrey = await makeTrip(op, { seats: 10 });
    const hhs = await as(op.users.admin.actor, async () => {
      const out = [];
      for (const [given, family, year] of [
        ["Eusebia", "Quintanilla", "1971-03-04"],
        ["Rigoberto", "Zamudio", "1984-09-12"],
      ] as const) {
        const hh = await Household.create({ officeID: op.officeA });
        await Individual.create(
          {
            givenName: given,
            familyName: family,
            sex: "female",
            dateOfBirth: year,
            nationality: "HND",
            householdID: hh.householdID,
            relationshipToHead: "head",
            officeID: op.officeA,
          } as never,
          { overrideDuplicates: { reason: "test fixture person" } },
        );
        out.push(hh);
      }
      return out;
    });
    const open = (over: Record<string, unknown>) =>
      call("POST", "/api/relocation-desk/relocations", {
        token: op.users.caseworker.token,
        body: {
          householdIDs: hhs.map((h) => h.householdID),
          officeID: op.officeA,
          destination: { adm: "MX19039", name: "monterey" },
          earliestDate: new Date().toISOString().slice(0, 10),
          ...over,
        },
      });
    const stored = async () => (await call("GET", "/api/relocations", { token: op.users.caseworker.token })).json.items;

    // a p-code the operation does not have is refused on the destination, and nothing is opened
    const unknown = await open({ destination: { adm: "MX99999", name: "Ciudad Inventada" } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors[0]).toMatchObject({ path: "destination.adm", code: "invalid.area" });
    // a bus to another city, or a bus that does not exist, is refused on the bus before anything is opened
    const wrongBus = await open({ destination: { adm: "MX05030", name: "Saltillo" }, tripID: toMonterrey.tripID });
    expect(wrongBus.status).toBe(422);
    expect(wrongBus.json.errors[0]).toMatchObject({ path: "tripID", code: "relocation.wrong_destination" });
    const noBus = await open({ tripID: "trip_01JNOTHERE000000000000000" });
    expect(noBus.status).toBe(422);
    expect(noBus.json.errors[0]).toMatchObject({ path: "tripID", code: "invalid.trip" });
    expect(await stored()).toEqual([]);

    // picked right: both opened on the bus, the destination named as the operation's list names it
    const ok = await open({ tripID: toMonterrey.tripID });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.results.map((r: { status: string }) => r.status)).toEqual(["created", "created"]);
    const rels = await stored();
    expect(rels).toHaveLength(2);
    for (const r of rels)
      expect(r).toMatchObject({ destination: { adm: "MX19039", name: "Monterrey" }, tripID: toMonterrey.tripID, confirmed: true });
  });
});

describe("tickets in Arabic", () => {
  it("prints an Arabic-named household's tickets in Arabic with the names in Arabic letters, shaped and read back from the PDF", async () => {
    const op = await createTestOperation();
    const t = await makeTrip(op, { departureAt: inDays(0, 22) });
    const rel = await as(op.users.admin.actor, async () => {
      const hh = await Household.create({ officeID: op.officeA });
      for (const [givenName, familyName, dateOfBirth, head] of [
        ["فاطمة", "الحسن", "1984-05-09", true],
        ["يوسف", "الحسن", "2012-10-21", false],
      ] as const)
        await Individual.create(
          {
            givenName,
            familyName,
            sex: head ? "female" : "male",
            dateOfBirth,
            nationality: "SYR",
            householdID: hh.householdID,
            relationshipToHead: head ? "head" : "child",
            officeID: op.officeA,
          } as never,
          { overrideDuplicates: { reason: "test fixture person" } },
        );
      return Relocation.create({
        householdID: hh.householdID,
        officeID: op.officeA,
        destination: t.destination,
        earliestDate: new Date().toISOString().slice(0, 10),
        readiness: READY,
      });
    });
    await call("PATCH", "/api/relocations", {
      token: op.users.caseworker.token,
      body: { rows: [{ id: rel.relocationID, version: rel.version, changes: { tripID: t.tripID, confirmed: true } }] },
    });
    const cur = await reloc(op, rel.relocationID);
    await call("POST", `/api/relocation-trips/${t.tripID}/check-in`, {
      token: op.users.caseworker.token,
      body: { rows: rowsOf([cur]) },
    });
    const res = await app.request(`/api/relocations/${rel.relocationID}/tickets?lang=ar`, {
      headers: { authorization: `Bearer ${op.users.caseworker.token}` },
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await getDocument({ data: bytes.slice(), useSystemFonts: false }).promise;
    // the text layer as a reader (copy, search, screen reader) gets it; zero-width spaces stand for the dots
    // that the font draws as marks
    const text = async (n: number) =>
      ((await (await pdf.getPage(n)).getTextContent()).items as { str: string }[])
        .map((i) => i.str.replace(/\u200b/g, ""))
        .join(" ");
    const ticketed = await reloc(op, rel.relocationID);
    expect(pdf.numPages).toBe(2);
    const first = await text(1);
    expect(first).toContain("فاطمة الحسن");
    expect(first).toContain("تذكرة حافلة");
    expect(first).toContain(ticketed.ticket!.numbers[0]);
    expect(await text(2)).toContain("يوسف الحسن");
    // nothing written as "?" or in Latin letters instead
    expect(first).not.toMatch(/fatima|\?\?/i);
    // the font that prints it is embedded in the file (not left to the reader's machine)
    expect(await embeddedFonts(bytes)).toEqual(expect.arrayContaining([expect.stringContaining("NotoSansArabic")]));
  });
});
