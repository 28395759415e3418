import { describe, expect, it } from "vitest";
import { Hosting, Payee, Payment } from "@waypoint/core";
import { CodeOfConduct } from "@waypoint/schema";
import { as, call, createTestOperation } from "../support/fixtures.ts";
import { people } from "../support/programmes.ts";

async function hostWithPayee(op: Awaited<ReturnType<typeof createTestOperation>>, capacity: number) {
  const payee = await as(op.users.finance.actor, () =>
    Payee.create({
      kind: "host",
      name: "Familia Pérez",
      officeID: op.officeA,
      channel: { type: "bank", accountNumber: "012345678901234567" },
    }),
  );
  const res = await call("POST", "/api/hosts", {
    token: op.users.caseworker.token,
    body: {
      officeID: op.officeA,
      kind: "family",
      name: "Familia Pérez",
      capacity,
      adm1: "MX07",
      adm2: "MX07089",
      contractStart: "2026-01-01",
      contractEnd: "2026-12-31",
      visitEveryDays: 30,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  // who receives the allowances is finance's to say (payee rights), like an account number
  const linked = await call("PATCH", "/api/hosts", {
    token: op.users.finance.token,
    body: { rows: [{ id: res.json.hostID, version: res.json.version, changes: { payeeID: payee.payeeID } }] },
  });
  expect(linked.json.results[0].status, JSON.stringify(linked.json)).toBe("saved");
  return { ...res.json, payeeID: payee.payeeID, version: linked.json.results[0].version };
}

describe("community hosting", () => {
  it("refuses a placement over capacity, and a second active placement of the same person", async () => {
    const op = await createTestOperation();
    const host = await hostWithPayee(op, 2);
    const [a, b, c] = await people(op, [{ age: 17 }, { age: 25 }, { age: 30 }]);
    const token = op.users.caseworker.token;
    const place = (individualID: string, hostID = host.hostID) =>
      call("POST", "/api/placements", {
        token,
        body: { hostID, individualID, start: "2026-03-10", reason: "uasc" },
      });
    expect((await place(a!.individualID)).status).toBe(200);
    const twice = await place(a!.individualID);
    expect(twice.json.code).toBe("placement.alreadyPlaced");
    expect((await place(b!.individualID)).status).toBe(200);
    const full = await place(c!.individualID);
    expect(full.status).toBe(422);
    expect(full.json.code).toBe("host.full");
    expect((await call("GET", `/api/hosts/${host.hostID}`, { token })).json.occupied).toBe(2);
    // ending a placement frees the place and the person
    const list = (await call("GET", `/api/hosts/${host.hostID}/placements`, { token })).json.items;
    const pa = list.find((p: { individualID: string }) => p.individualID === a!.individualID);
    const ended = await call("POST", `/api/placements/${pa.placementID}/end`, {
      token,
      body: { end: "2026-03-20", endReason: "durable_solution", version: pa.version },
    });
    expect(ended.json.status).toBe("ended");
    expect((await place(c!.individualID)).status).toBe(200);
    // capacity cannot be cut below the people placed now
    const h = (await call("GET", `/api/hosts/${host.hostID}`, { token })).json;
    const cut = await call("PATCH", "/api/hosts", {
      token,
      body: { rows: [{ id: host.hostID, version: h.version, changes: { capacity: 1 } }] },
    });
    expect(cut.json.results[0].status).toBe("invalid");
    expect(cut.json.results[0].issues[0].code).toBe("invalid.belowOccupancy");
  });

  it("never overfills a host under concurrent placements", async () => {
    const op = await createTestOperation();
    const host = await hostWithPayee(op, 3);
    const ppl = await people(
      op,
      Array.from({ length: 8 }, (_, i) => ({ age: 20 + i })),
    );
    const results = await Promise.all(
      ppl.map((p) =>
        as(op.users.caseworker.actor, () =>
          Hosting.place({ hostID: host.hostID, individualID: p.individualID, start: "2026-02-01" }),
        ).then(
          () => "ok",
          (e) => e.code,
        ),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(3);
    expect(results.filter((r) => r === "host.full")).toHaveLength(5);
    const stored = await as(op.users.caseworker.actor, () => Hosting.getHost(host.hostID));
    expect(stored.occupied).toBe(3);
    expect(
      (await as(op.users.caseworker.actor, () => Hosting.placements(host.hostID))).filter(
        (p) => p.status === "active",
      ),
    ).toHaveLength(3);
  });

  it("schedules monitoring visits and derives compliance from the code-of-conduct checklist", async () => {
    const op = await createTestOperation();
    const host = await hostWithPayee(op, 2);
    const token = op.users.caseworker.token;
    const sched = await call("POST", `/api/hosts/${host.hostID}/visits`, {
      token,
      body: { from: "2026-01-15", count: 3 },
    });
    expect(sched.json.items.map((v: { scheduledFor: string }) => v.scheduledFor)).toEqual([
      "2026-01-15",
      "2026-02-14",
      "2026-03-16",
    ]);
    expect((await call("GET", `/api/hosts/${host.hostID}`, { token })).json.nextVisitDue).toBe("2026-01-15");
    const overdue = await call("GET", `/api/host-visits/overdue?officeID=${op.officeA}`, { token });
    expect(overdue.json.items.length).toBeGreaterThanOrEqual(3);
    const first = sched.json.items[0];
    const done = await call("POST", `/api/host-visits/${first.visitID}/complete`, {
      token,
      body: { date: "2026-01-15", findings: "Room clean, child attends school", version: 1 },
    });
    expect(done.json.status).toBe("completed");
    expect((await call("GET", `/api/hosts/${host.hostID}`, { token })).json.nextVisitDue).toBe("2026-02-14");
    const comp = (
      await call("POST", `/api/hosts/${host.hostID}/visits`, {
        token,
        body: { from: "2026-02-01", count: 1, kind: "compliance" },
      })
    ).json.items[0];
    const partial = await call("POST", `/api/host-visits/${comp.visitID}/complete`, {
      token,
      body: {
        date: "2026-02-01",
        findings: "Checklist",
        checklist: [{ item: "safe_accommodation", met: true }],
        version: 1,
      },
    });
    expect(partial.status).toBe(422);
    const checklist = CodeOfConduct.map((item) => ({ item, met: item !== "no_payment_from_guests" }));
    const ok = await call("POST", `/api/host-visits/${comp.visitID}/complete`, {
      token,
      body: {
        date: "2026-02-01",
        findings: "Guests asked to pay for food",
        checklist,
        followUpNeeded: true,
        version: 1,
      },
    });
    expect(ok.json.result).toBe("partially_compliant");
    expect((await call("GET", `/api/hosts/${host.hostID}`, { token })).json.complianceStatus).toBe(
      "partially_compliant",
    );
  });

  it("generates the monthly allowance prorated by placement days, once per host and month", async () => {
    const op = await createTestOperation();
    const host = await hostWithPayee(op, 3);
    const [a, b] = await people(op, [{ age: 16 }, { age: 33 }]);
    const cw = op.users.caseworker.actor;
    await as(cw, () =>
      Hosting.place({ hostID: host.hostID, individualID: a!.individualID, start: "2026-01-01" }),
    );
    const pb = await as(cw, () =>
      Hosting.place({ hostID: host.hostID, individualID: b!.individualID, start: "2026-04-16" }),
    );
    await as(cw, () =>
      Hosting.endPlacement({
        placementID: pb.placementID,
        end: "2026-04-25",
        endReason: "moved",
        version: 1,
      }),
    );
    const run = { period: "2026-04", currency: "MXN", amount: 300000, per: "month" as const };
    // a caseworker cannot create payments
    expect(
      (await call("POST", "/api/hosting/allowances", { token: op.users.caseworker.token, body: run })).status,
    ).toBe(403);
    const first = await call("POST", "/api/hosting/allowances", { token: op.users.finance.token, body: run });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.summary).toEqual({ created: 1 });
    // full month for a (30 of 30 days) + 10 of 30 days for b
    expect(first.json.results[0].record).toMatchObject({
      amount: 300000 + 100000,
      purpose: "hosting_allowance",
      period: "2026-04",
      payeeID: host.payeeID,
    });
    const again = await call("POST", "/api/hosting/allowances", { token: op.users.finance.token, body: run });
    expect(again.json.summary).toEqual({ duplicate: 1 });
    const payments = await as(op.users.finance.actor, () =>
      Payment.list({ purpose: "hosting_allowance" } as never),
    );
    expect((payments as { items: unknown[] }).items).toHaveLength(1);
    // per day: 30 person-days × 100.00
    const daily = await call("POST", "/api/hosting/allowances", {
      token: op.users.finance.token,
      body: { ...run, period: "2026-06", amount: 10000, per: "day" },
    });
    expect(daily.json.results[0].record.amount).toBe(30 * 10000);
  });
});
