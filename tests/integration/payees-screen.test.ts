import { describe, expect, it } from "vitest";
import { Audit, Batch, FspProfile, Payee, Payment } from "@waypoint/core";
import { as, call, createTestOperation } from "../support/fixtures.ts";
import { approvedBatch, payeesAndPayments } from "../support/payments.ts";

describe("the payees screen", () => {
  it("finds payees by part of their name, in any case and without accents, and by the name the bank knows", async () => {
    const t = await createTestOperation();
    await payeesAndPayments(t, [100, 200, 300], "EUR", ["José Núñez", "Ana Pérez", "محمد علي"]);
    const fin = t.users.finance.token;
    const names = async (q: string, limit = 100) => {
      const r = await call("GET", `/api/payees?q=${encodeURIComponent(q)}&limit=${limit}`, { token: fin });
      expect(r.status).toBe(200);
      return (r.json.items as { name: string }[]).map((p) => p.name).sort();
    };
    expect(await names("nunez")).toEqual(["José Núñez"]);
    expect(await names("PÉREZ")).toEqual(["Ana Pérez"]);
    expect(await names("محمد")).toEqual(["محمد علي"]);
    // the suggested Latin name of the Arabic payee ("Mhmd 'Ly")
    expect(await names("mhmd")).toEqual(["محمد علي"]);
    // a search that reads on past pages without a match still fills its page
    expect(await names("ana", 1)).toEqual(["Ana Pérez"]);
    expect(await names("nobody")).toEqual([]);
  });

  it("the grid's save changes the name as the bank knows it row by row, and a changed name reopens the approved batch", async () => {
    const t = await createTestOperation();
    const { batch, payees } = await approvedBatch(t, [100, 200], ["محمد علي", "Ana Pérez"]);
    const fin = t.users.finance.token;
    const [a, b] = payees;
    const res = await call("PATCH", "/api/payees", {
      token: fin,
      body: {
        rows: [
          { id: a!.payeeID, version: a!.version, changes: { nameLatin: "Mohammed Ali" } },
          { id: b!.payeeID, version: b!.version, changes: { nameLatin: "Ana Pérez" } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(["saved", "invalid"]);
    expect(res.json.results[1].issues[0].path).toMatch(/nameLatin/);

    const stored = (await call("GET", `/api/payees/${a!.payeeID}`, { token: fin })).json;
    expect(stored.nameLatin).toBe("Mohammed Ali");
    expect((await call("GET", `/api/payees/${b!.payeeID}`, { token: fin })).json.nameLatin).not.toBe(
      "Ana Pérez",
    );
    const after = (await call("GET", `/api/payment-batches/${batch.batchID}`, { token: fin })).json;
    expect(after.status).toBe("submitted");
    expect(after.approvals).toEqual([]);
  });

  it("the grid's number cell changes a mobile-money payee's number alone, checked for the provider's country, and reopens the approved batch like the payee's page", async () => {
    const t = await createTestOperation();
    const fin = t.users.finance.token;
    const { payees, bank, batchID } = await as(t.users.finance.actor, async () => {
      const fsp = await FspProfile.create({
        name: "Mobile money",
        kind: "mobile_money",
        currency: "USD",
        defaultFormat: "mobile-money-csv",
        // the provider pays in the United States: its payees must have US mobile numbers
        mobileMoney: {
          provider: "mpesa",
          country: "US",
          columns: [
            { header: "phoneNumber", field: "msisdn" },
            { header: "amount", field: "amount" },
          ],
        },
      });
      const payees: Payee.Info[] = [];
      for (const [name, msisdn] of [
        ["Grid Mobile Uno", "+14155235561"],
        ["Grid Mobile Dos", "+14155235562"],
      ] as const)
        payees.push(
          await Payee.create({
            kind: "individual",
            name,
            channel: { type: "mobile_money", msisdn, provider: "mpesa" },
          }),
        );
      const bank = await Payee.create({
        kind: "individual",
        name: "Grid Banco Tres",
        channel: { type: "bank", iban: "FI4880002002330354", bic: "OKOYFIHH" },
      });
      const res = await Payment.createMany(
        payees.map((p) => ({
          values: { payeeID: p.payeeID, purpose: "cash_for_protection", amount: 1500, currency: "USD" },
        })),
      );
      const b = await Batch.create({
        fspProfileID: fsp.fspProfileID,
        currency: "USD",
        paymentIDs: res.results.map((r) => r.id!),
      });
      return { payees, bank, batchID: (await Batch.submit(b.batchID)).batchID };
    });
    await as(t.users.finance_approver.actor, () => Batch.approve(batchID));
    const batch = async () => (await call("GET", `/api/payment-batches/${batchID}`, { token: fin })).json;
    expect((await batch()).status).toBe("approved");

    // what the grid sends for an edited `channel.msisdn` cell: the number alone
    const [a, b] = payees;
    const res = await call("PATCH", "/api/payees", {
      token: fin,
      body: {
        rows: [
          // a Mexican mobile number: not one the provider can pay
          { id: b!.payeeID, version: b!.version, changes: { channel: { msisdn: "+525512345678" } } },
          // a bank payee has no number to change
          { id: bank.payeeID, version: bank.version, changes: { channel: { msisdn: "+14155235573" } } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(["invalid", "invalid"]);
    expect(res.json.results[0].issues).toEqual([
      expect.objectContaining({ path: "changes.channel.msisdn", code: "invalid.msisdn" }),
    ]);
    expect(res.json.results[1].issues).toEqual([
      expect.objectContaining({ path: "changes.channel.msisdn", code: "invalid.channelType" }),
    ]);
    // nothing stored, the batch still approved
    expect((await call("GET", `/api/payees/${b!.payeeID}`, { token: fin })).json.channel.msisdn).toBe(
      "+14155235562",
    );
    expect((await call("GET", `/api/payees/${bank.payeeID}`, { token: fin })).json.channel).toEqual({
      type: "bank",
      iban: "FI4880002002330354",
      bic: "OKOYFIHH",
    });
    expect((await batch()).status).toBe("approved");

    // a good number, given without its country code: stored in E.164, the provider kept
    const saved = await call("PATCH", "/api/payees", {
      token: fin,
      body: {
        rows: [{ id: a!.payeeID, version: a!.version, changes: { channel: { msisdn: "4155235571" } } }],
      },
    });
    expect(saved.json.results.map((r: { status: string }) => r.status)).toEqual(["saved"]);
    expect((await call("GET", `/api/payees/${a!.payeeID}`, { token: fin })).json.channel).toEqual({
      type: "mobile_money",
      msisdn: "+14155235571",
      provider: "mpesa",
    });
    // four eyes: back with the approvers, approvals cleared, the one who changed it named; audited masked
    const after = await batch();
    expect(after.status).toBe("submitted");
    expect(after.approvals).toEqual([]);
    expect(after.accountChangedBy).toEqual([t.users.finance.userID]);
    const trail = await as(t.users.admin.actor, () => Audit.history({ recordID: a!.payeeID }));
    const update = trail.items.find((e) => e.action === "update")!;
    expect(JSON.stringify(update.changes)).toContain("5571");
    expect(JSON.stringify(update.changes)).not.toContain("4155235571");
    expect(JSON.stringify(update.changes)).not.toContain("4155235561");
  });
});
