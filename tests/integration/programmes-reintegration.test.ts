import { describe, expect, it } from "vitest";
import { Payee, Reintegration } from "@waypoint/core";
import { as, call, createTestOperation } from "../support/fixtures.ts";
import { extraUser, people } from "../support/programmes.ts";

describe("assisted voluntary return and reintegration", () => {
  it("runs a return from registration to monitoring, with a plan, three quotes and a supplier payment", async () => {
    const op = await createTestOperation();
    const [a, child] = await people(op, [
      { age: 34, sex: "female", relationshipToHead: "head" },
      { age: 6, relationshipToHead: "child" },
    ]);
    const token = op.users.caseworker.token;
    const sup = op.users.supervisor.token;
    const r = (
      await call("POST", "/api/returns", {
        token,
        body: {
          officeID: op.officeA,
          individualIDs: [a!.individualID, child!.individualID],
          countryOfReturn: "HND",
          plannedReturnDate: "2026-05-10",
        },
      })
    ).json;
    expect(r.status).toBe("registered");
    const assessed = await call("POST", `/api/returns/${r.returnID}/vulnerability`, {
      token,
      body: { factors: ["single_parent", "no_support_network", "serious_medical_condition"], version: 1 },
    });
    expect(assessed.json).toMatchObject({ status: "assessed", vulnerability: { score: 55, level: "high" } });
    const selfApprove = await call("POST", `/api/returns/${r.returnID}/transition`, {
      token: sup,
      body: { to: "approved", version: assessed.json.version },
    });
    expect(selfApprove.status).toBe(200); // the supervisor did not register it
    const early = await call("POST", `/api/returns/${r.returnID}/monitoring`, {
      token,
      body: { date: "2026-05-01", milestone: 0, findings: "Too early", version: selfApprove.json.version },
    });
    expect(early.json.code).toBe("return.notReturned");
    const back = await call("POST", `/api/returns/${r.returnID}/transition`, {
      token,
      body: { to: "returned", date: "2026-05-12", version: selfApprove.json.version },
    });
    expect(back.json).toMatchObject({ status: "returned", arrivedOn: "2026-05-12" });

    const plan = await call("PUT", `/api/returns/${r.returnID}/plan`, {
      token,
      body: {
        items: [
          { kind: "economic", description: "Small grocery shop stock", budget: 1500000, currency: "HNL" },
          { kind: "social", description: "School enrolment of the child" },
          { kind: "psychosocial", description: "Counselling sessions", budget: 300000, currency: "HNL" },
        ],
      },
    });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    const ownPlan = await call("POST", `/api/returns/${r.returnID}/plan/approve`, {
      token,
      body: { version: 1 },
    });
    expect(ownPlan.status).toBe(403); // caseworkers do not approve
    const approvedPlan = await call("POST", `/api/returns/${r.returnID}/plan/approve`, {
      token: sup,
      body: { version: 1 },
    });
    expect(approvedPlan.json.status).toBe("approved");
    const shopItem = plan.json.items[0].itemID;

    const payee = await as(op.users.finance.actor, () =>
      Payee.create({
        kind: "supplier",
        name: "Abarrotes La Ceiba",
        channel: { type: "bank", accountNumber: "200012345678" },
      }),
    );
    const mk = (name: string, payeeID?: string) =>
      call("POST", "/api/suppliers", {
        token,
        body: { name, country: "HND", category: "merchandise", payeeID },
      });
    const s1 = (await mk("Abarrotes La Ceiba", payee.payeeID)).json;
    const s2 = (await mk("Distribuidora Atlántida")).json;
    const s3 = (await mk("Mayoreo San Pedro")).json;
    const q = (s: { supplierID: string }, amount: number) => ({
      supplierID: s.supplierID,
      amount,
      currency: "HNL",
      date: "2026-05-20",
    });
    const inv = (
      await call("POST", "/api/invoices", {
        token,
        body: { returnID: r.returnID, itemID: shopItem, quotes: [q(s1, 1400000), q(s2, 1450000)] },
      })
    ).json;
    const tooFew = await call("POST", `/api/invoices/${inv.invoiceID}/select`, {
      token,
      body: { supplierID: s1.supplierID, reason: "Cheapest quote", version: 1 },
    });
    expect(tooFew.json.code).toBe("invoice.quotesNeeded");
    const sameTwice = await call("PATCH", `/api/invoices/${inv.invoiceID}`, {
      token,
      body: { version: 1, changes: { quotes: [q(s1, 1), q(s1, 2), q(s2, 3)] } },
    });
    expect(sameTwice.status).toBe(422);
    const three = await call("PATCH", `/api/invoices/${inv.invoiceID}`, {
      token,
      body: { version: 1, changes: { quotes: [q(s1, 1400000), q(s2, 1450000), q(s3, 1600000)] } },
    });
    const noReason = await call("POST", `/api/invoices/${inv.invoiceID}/select`, {
      token,
      body: { supplierID: s1.supplierID, version: three.json.version },
    });
    expect(noReason.status).toBe(422);
    const sel = await call("POST", `/api/invoices/${inv.invoiceID}/select`, {
      token,
      body: {
        supplierID: s1.supplierID,
        reason: "Cheapest, delivers to the village",
        version: three.json.version,
      },
    });
    expect(sel.json).toMatchObject({ status: "selected", amount: 1400000, currency: "HNL" });
    const cwDecide = await call("POST", `/api/invoices/${inv.invoiceID}/decision`, {
      token,
      body: { approve: true, version: sel.json.version },
    });
    expect(cwDecide.status).toBe(403);
    const ok = await call("POST", `/api/invoices/${inv.invoiceID}/decision`, {
      token: sup,
      body: { approve: true, version: sel.json.version },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.paymentID).toMatch(/^pay_/);
    const pay = await call("GET", `/api/payments/${ok.json.paymentID}`, { token: op.users.finance.token });
    expect(pay.json).toMatchObject({
      purpose: "supplier_invoice",
      amount: 1400000,
      currency: "HNL",
      payeeID: payee.payeeID,
      status: "approved",
    });

    // a waiver replaces the three quotes, for the counselling item; a supplier without payee cannot be paid yet
    const counselling = plan.json.items[2].itemID;
    const waived = (
      await call("POST", "/api/invoices", {
        token,
        body: {
          returnID: r.returnID,
          itemID: counselling,
          quotes: [q(s2, 250000)],
          waiverReason: "Only licensed psychologist in the municipality",
        },
      })
    ).json;
    const wsel = await call("POST", `/api/invoices/${waived.invoiceID}/select`, {
      token,
      body: { supplierID: s2.supplierID, reason: "Sole provider", version: 1 },
    });
    expect(wsel.json.status).toBe("selected");
    const noPayee = await call("POST", `/api/invoices/${waived.invoiceID}/decision`, {
      token: sup,
      body: { approve: true, version: wsel.json.version },
    });
    expect(noPayee.json.code).toBe("invoice.noPayee");

    const mon = await call("POST", `/api/returns/${r.returnID}/monitoring`, {
      token,
      body: {
        date: "2026-06-15",
        milestone: 1,
        findings: "Shop opened, child at school",
        sustainability: 0.6,
        version: back.json.version,
      },
    });
    expect(mon.json.status).toBe("monitoring");
    const stats = await call("GET", "/api/avrr/monthly?month=2026-05", { token: sup });
    expect(stats.json.items).toEqual([
      expect.objectContaining({
        countryOfReturn: "HND",
        returnedCases: 1,
        returnedIndividuals: 2,
        female: 1,
        children: 1,
        underMonitoring: 1,
        highVulnerability: 1,
        plansApproved: 1,
      }),
    ]);
    const june = await call("GET", "/api/avrr/monthly?month=2026-06", { token: sup });
    expect(june.json.items[0]).toMatchObject({ returnedCases: 0, visitsInMonth: 1, underMonitoring: 1 });
  });

  it("reports data inconsistencies with suggested fixes", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 40 }]);
    const cw = op.users.caseworker.actor;
    const r = await as(cw, () =>
      Reintegration.create({
        officeID: op.officeA,
        individualIDs: [p!.individualID],
        countryOfReturn: "GTM",
      }),
    );
    const patched = await as(cw, () =>
      Reintegration.patch({ returnID: r.returnID, version: 1, changes: { departedOn: "2026-04-10" } }),
    );
    await expect(
      as(cw, () =>
        Reintegration.patch({
          returnID: r.returnID,
          version: patched.version,
          changes: { arrivedOn: "2026-04-01" },
        }),
      ),
    ).rejects.toMatchObject({ status: 422 });
    await as(cw, () =>
      Reintegration.savePlan({
        returnID: r.returnID,
        items: [{ kind: "economic", description: "Tools for carpentry", budget: 900000, currency: "GTQ" }],
      }),
    );
    const report = await as(op.users.supervisor.actor, () => Reintegration.reports.inconsistencies({}));
    const codes = report
      .filter((x) => x.returnID === r.returnID)
      .map((x) => x.code)
      .sort();
    expect(codes).toEqual(["missing.plannedReturnDate", "plan.itemWithoutInvoice"]);
    expect(report.every((x) => x.suggestedFix.length > 10)).toBe(true);
    const res = await call("GET", "/api/avrr/inconsistencies", { token: op.users.supervisor.token });
    expect(res.json.items.length).toBe(report.length);
  });

  it("the caseworker who registered a return cannot approve it", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 50 }]);
    const supA = await extraUser(op, "supervisor");
    const r = await as(supA.actor, () =>
      Reintegration.create({
        officeID: op.officeA,
        individualIDs: [p!.individualID],
        countryOfReturn: "SLV",
        plannedReturnDate: "2026-08-01",
      }),
    );
    const a = await as(supA.actor, () =>
      Reintegration.assessVulnerability({ returnID: r.returnID, factors: [], version: 1 }),
    );
    await expect(
      as(supA.actor, () =>
        Reintegration.transition({ returnID: r.returnID, to: "approved", version: a.version }),
      ),
    ).rejects.toMatchObject({ code: "return.ownApproval" });
  });
});
