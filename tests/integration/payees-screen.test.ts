import { describe, expect, it } from "vitest";
import { call, createTestOperation } from "../support/fixtures.ts";
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
});
