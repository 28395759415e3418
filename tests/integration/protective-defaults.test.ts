import { describe, expect, it } from "vitest";
import { Hosting } from "@waypoint/core";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { caseWith, people } from "../support/programmes.ts";

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** A day that has not come anywhere on Earth yet. */
const FUTURE = day(3);
const TODAY = day(0);

const paths = (res: { json: { errors?: { path: string }[] } }) => (res.json.errors ?? []).map((e) => e.path);
type Row = (string | number | null)[];

describe("report exports withhold small counts unless asked otherwise", () => {
  it("by default, and always with HXL tags; only an explicit internal export shows every count", async () => {
    const op = await createTestOperation();
    await people(op, [{ age: 30 }, { age: 31 }, { age: 8 }]);
    const token = op.users.admin.token;
    const counts = (rows: Row[]) => rows.flatMap((r) => r.slice(1)).filter((v) => typeof v === "number");

    const plain = await call("GET", "/api/reports/individuals-agd?format=json", { token });
    expect(plain.status).toBe(200);
    expect(Number(plain.headers.get("x-suppressed-cells"))).toBeGreaterThan(0);
    for (const v of counts(plain.json.rows as Row[])) expect(v === 0 || v >= 5, `published ${v}`).toBe(true);

    const hxl = await call("GET", "/api/reports/individuals-agd?format=csv&hxl=true", { token });
    expect(hxl.status).toBe(200);
    expect(Number(hxl.headers.get("x-suppressed-cells"))).toBeGreaterThan(0);
    const tapachula = hxl.text.split("\r\n").find((l) => l.startsWith("Tapachula"))!;
    for (const v of tapachula.split(",").slice(1).filter(Boolean))
      expect(Number(v) === 0 || Number(v) >= 5).toBe(true);

    // Sharing with HXL and nothing withheld is refused, with the parameter's path.
    const open = await call("GET", "/api/reports/individuals-agd?format=csv&hxl=true&suppressBelow=0", {
      token,
    });
    expect(open.status).toBe(422);
    expect(paths(open).join()).toContain("suppressBelow");

    // Internal analysis may ask for every count explicitly.
    const all = await call("GET", "/api/reports/individuals-agd?format=json&suppressBelow=0", { token });
    expect(Number(all.headers.get("x-suppressed-cells"))).toBe(0);
    expect(counts(all.json.rows as Row[])).toContain(3);
  });
});

describe("dates of things that already happened cannot be in the future", () => {
  it("an incident's date, on creation and on edit", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const body = (dateOfIncident: string) => ({
      officeID: op.officeA,
      kind: "sgbv",
      dateOfIncident,
      description: "Reported at the shelter",
      assignedTo: op.users.caseworker.userID,
    });
    const future = await call("POST", "/api/incidents", { token, body: body(FUTURE) });
    expect(future.status).toBe(422);
    expect(paths(future)).toEqual(["dateOfIncident"]);
    expect((await call("GET", "/api/incidents", { token })).json.items).toEqual([]);

    const today = await call("POST", "/api/incidents", { token, body: body(TODAY) });
    expect(today.status).toBe(201);
    const edit = await call("PATCH", "/api/incidents", {
      token,
      body: { rows: [{ id: today.json.incidentID, version: 1, changes: { dateOfIncident: FUTURE } }] },
    });
    expect(edit.json.results[0]).toMatchObject({ status: "invalid" });
    expect(edit.json.results[0].issues.map((i: { path: string }) => i.path)).toEqual([
      expect.stringMatching(/^(rows\.0\.)?changes\.dateOfIncident$/),
    ]);
    const stored = await call("GET", `/api/incidents/${today.json.incidentID}`, { token });
    expect(stored.json).toMatchObject({ dateOfIncident: TODAY, version: 1 });
  });

  it("a host monitoring visit is completed on a day that has come", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    // (who receives the host's allowances is finance's to set, and not needed for a visit)
    const host = await call("POST", "/api/hosts", {
      token,
      body: {
        officeID: op.officeA,
        kind: "family",
        name: "Familia Ruiz",
        capacity: 2,
        adm1: "MX07",
        adm2: "MX07089",
        contractStart: day(-60),
        contractEnd: day(300),
        visitEveryDays: 30,
      },
    });
    expect(host.status).toBe(201);
    const [visit] = (
      await call("POST", `/api/hosts/${host.json.hostID}/visits`, {
        token,
        body: { from: day(-5), count: 1 },
      })
    ).json.items;
    const done = await call("POST", `/api/host-visits/${visit.visitID}/complete`, {
      token,
      body: { date: FUTURE, findings: "Written before the visit", version: visit.version },
    });
    expect(done.status).toBe(422);
    expect(paths(done)).toEqual(["date"]);
    const stored = await as(op.users.caseworker.actor, () => Hosting.visits.list(host.json.hostID));
    expect(stored.find((v) => v.visitID === visit.visitID)).toMatchObject({ status: "scheduled" });
  });

  it("a return's arrival and its monitoring visits", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 40 }]);
    const token = op.users.caseworker.token;
    const r = await call("POST", "/api/returns", {
      token,
      body: { officeID: op.officeA, individualIDs: [p!.individualID], countryOfReturn: "HND" },
    });
    expect(r.status).toBe(201);
    const id = r.json.returnID;
    const patched = await call("PATCH", "/api/returns", {
      token,
      body: { rows: [{ id, version: 1, changes: { arrivedOn: FUTURE } }] },
    });
    expect(patched.json.results[0].issues.map((i: { path: string }) => i.path)).toEqual([
      expect.stringMatching(/^(rows\.0\.)?changes\.arrivedOn$/),
    ]);

    await call("POST", `/api/returns/${id}/vulnerability`, {
      token,
      body: { factors: ["single_parent"], version: 1 },
    });
    const approved = await call("POST", `/api/returns/${id}/transition`, {
      token: op.users.supervisor.token,
      body: { to: "approved", version: 2 },
    });
    expect(approved.status).toBe(200);
    const arrived = await call("POST", `/api/returns/${id}/transition`, {
      token,
      body: { to: "returned", date: FUTURE, version: approved.json.version },
    });
    expect(arrived.status).toBe(422);
    expect(paths(arrived)).toEqual(["date"]);
    const back = await call("POST", `/api/returns/${id}/transition`, {
      token,
      body: { to: "returned", date: TODAY, version: approved.json.version },
    });
    expect(back.json).toMatchObject({ status: "returned", arrivedOn: TODAY });
    const visit = await call("POST", `/api/returns/${id}/monitoring`, {
      token,
      body: { date: FUTURE, milestone: 3, findings: "Planned, not done", version: back.json.version },
    });
    expect(visit.status).toBe(422);
    expect(paths(visit)).toEqual(["date"]);
    const stored = await call("GET", `/api/returns/${id}`, { token });
    expect(stored.json).toMatchObject({ status: "returned", monitoring: [], arrivedOn: TODAY });
  });
});

describe("a PTA keeps its transit country", () => {
  it("an edit cannot clear it, nor turn a submission into a PTA without one", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const [a] = await people(op, [{ age: 35, relationshipToHead: "head" }]);
    const c = await caseWith(op, "pta", [a!.individualID]);
    const create = (programme: string, transitCountry?: string) =>
      call("POST", "/api/resettlement", {
        token,
        body: {
          caseID: c.caseID,
          programme,
          country: "USA",
          quotaYear: 2026,
          primaryCategory: "LPN",
          transitCountry,
        },
      });
    const pta = await create("pta", "CRI");
    expect(pta.status).toBe(201);
    const rst = await create("rst");
    expect(rst.status).toBe(201);

    const res = await call("PATCH", "/api/resettlement", {
      token,
      body: {
        rows: [
          { id: pta.json.submissionID, version: 1, changes: { transitCountry: null } },
          { id: rst.json.submissionID, version: 1, changes: { programme: "pta" } },
        ],
      },
    });
    for (const row of res.json.results) {
      expect(row.status).toBe("invalid");
      expect(row.issues.map((i: { path: string }) => i.path)).toEqual([
        expect.stringMatching(/^(rows\.\d\.)?changes\.transitCountry$/),
      ]);
    }
    const kept = await call("GET", `/api/resettlement/${pta.json.submissionID}`, { token });
    expect(kept.json).toMatchObject({ programme: "pta", transitCountry: "CRI", version: 1 });
    const unchanged = await call("GET", `/api/resettlement/${rst.json.submissionID}`, { token });
    expect(unchanged.json).toMatchObject({ programme: "rst", version: 1 });

    // With a transit country, the change is saved.
    const ok = await call("PATCH", "/api/resettlement", {
      token,
      body: {
        rows: [
          { id: rst.json.submissionID, version: 1, changes: { programme: "pta", transitCountry: "PAN" } },
        ],
      },
    });
    expect(ok.json.results[0].status).toBe("saved");
  });
});
