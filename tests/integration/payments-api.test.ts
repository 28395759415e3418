import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { app } from "@waypoint/functions";
import { Audit } from "@waypoint/core";
import { as, call, createTestOperation } from "../support/fixtures.ts";

describe("payments API: the finance flow end to end", () => {
  it("payees, payments, batch, four eyes, export with download link, reconciliation, all over HTTP", async () => {
    const t = await createTestOperation();
    const fin = t.users.finance.token;
    const appr = t.users.finance_approver.token;

    const fsp = await call("POST", "/api/fsp-profiles", {
      token: fin,
      body: { name: "BBVA México", kind: "bank", currency: "MXN", defaultFormat: "csv" },
    });
    expect(fsp.status).toBe(201);

    const payees = await call("POST", "/api/payees", {
      token: fin,
      body: {
        rows: [
          {
            ref: "a",
            values: {
              kind: "individual",
              name: "María López",
              channel: { type: "bank", accountNumber: "012180001234567897" },
            },
          },
          {
            ref: "b",
            values: {
              kind: "host",
              name: "Familia Pérez",
              channel: { type: "mobile_money", msisdn: "+525512345678" },
            },
          },
          { ref: "c", values: { kind: "supplier", name: "Bad", channel: { type: "bank" } } },
        ],
      },
    });
    expect(payees.status).toBe(200);
    expect(payees.json.summary).toEqual({ created: 2, invalid: 1 });
    expect(payees.json.results[2].issues[0].path).toBe("channel.iban");
    const [p1, p2] = payees.json.results.map((r: { id: string }) => r.id);

    // account details: full for finance, masked for an admin
    expect((await call("GET", `/api/payees/${p1}`, { token: fin })).json.channel.accountNumber).toBe(
      "012180001234567897",
    );
    const masked = await call("GET", `/api/payees/${p1}`, { token: t.users.admin.token });
    expect(masked.json.channel.accountNumber).toBe("**************7897");
    expect(masked.json.accountVisible).toBe(false);

    const pays = await call("POST", "/api/payments", {
      token: fin,
      body: {
        rows: [
          {
            ref: "1",
            values: { payeeID: p1, purpose: "cash_for_protection", amount: 250000, currency: "MXN" },
          },
          {
            ref: "2",
            values: {
              payeeID: p2,
              purpose: "hosting_allowance",
              amount: 180000,
              currency: "MXN",
              period: "2026-11",
            },
          },
          { ref: "3", values: { payeeID: p2, purpose: "transport", amount: 12.5, currency: "MXN" } },
          { ref: "4", values: { payeeID: p2, purpose: "transport", amount: 100, currency: "ZZZ" } },
        ],
      },
    });
    expect(pays.json.summary).toEqual({ created: 2, invalid: 2 });
    expect(pays.json.results[2].issues[0].path).toBe("rows.2.values.amount");
    expect(pays.json.results[3].issues[0].path).toBe("rows.3.values.currency");
    const ids = pays.json.results.slice(0, 2).map((r: { id: string }) => r.id);

    const list = await call("GET", "/api/payments?status=approved&currency=MXN&limit=10", { token: fin });
    expect(list.json.items.map((p: { paymentID: string }) => p.paymentID).sort()).toEqual([...ids].sort());

    const created = await call("POST", "/api/payment-batches", {
      token: fin,
      body: { fspProfileID: fsp.json.fspProfileID, currency: "MXN", filter: {} },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: "draft", count: 2, total: 430000 });
    const id = created.json.batchID;
    const submitted = await call("POST", `/api/payment-batches/${id}/submit`, {
      token: fin,
      body: { version: created.json.version },
    });
    expect(submitted.json).toMatchObject({
      status: "submitted",
      count: 2,
      total: 430000,
      approvalsRequired: 1,
    });

    const own = await call("POST", `/api/payment-batches/${id}/approve`, { token: fin });
    expect(own.status).toBe(403);
    expect(own.headers.get("content-type")).toContain("application/problem+json");
    const early = await call("POST", `/api/payment-batches/${id}/export`, {
      token: fin,
      body: { format: "csv" },
    });
    expect(early.status).toBe(422);
    expect(early.json.code).toBe("batch.notApproved");

    const approved = await call("POST", `/api/payment-batches/${id}/approve`, {
      token: appr,
      body: { note: "ok" },
    });
    expect(approved.json.status).toBe("approved");

    const exp = await call("POST", `/api/payment-batches/${id}/export`, {
      token: fin,
      body: { format: "csv" },
    });
    expect(exp.status).toBe(201);
    expect(exp.json.downloadUrl).toBe(`/api/exports/${exp.json.exportID}/download`);
    const res = await app.request(exp.json.downloadUrl, { headers: { authorization: `Bearer ${fin}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(exp.json.sha256);
    expect(res.headers.get("x-checksum-sha256")).toBe(exp.json.sha256);
    // Its payments wait for the FSP's status file: still in the batch, and the batch says the file went out.
    const members = await call("GET", `/api/payments?batchID=${id}`, { token: fin });
    expect(members.json.items.length).toBeGreaterThan(0);
    for (const m of members.json.items)
      expect(m).toMatchObject({ status: "in_batch", batchStatus: "exported" });
    const csv = bytes.toString();
    expect(csv).toContain("2500.00,MXN");
    expect(csv).toContain("525512345678");
    const refused = await app.request(exp.json.downloadUrl, {
      headers: { authorization: `Bearer ${t.users.admin.token}` },
    });
    expect(refused.status).toBe(403);

    const cancel = await call("POST", `/api/payment-batches/${id}/cancel`, { token: fin });
    expect(cancel.status).toBe(422);

    const e2e = (await call("GET", `/api/payments?batchID=${id}`, { token: fin })).json.items.map(
      (p: { endToEndId: string }) => p.endToEndId,
    );
    const recon = await call("POST", `/api/payment-batches/${id}/reconciliation`, {
      token: fin,
      body: {
        format: "csv",
        content: `reference;status;reason\n${e2e[0]};success;\n${e2e[1]};failed;account closed\n`,
      },
    });
    expect(recon.status).toBe(200);
    expect(recon.json.summary).toEqual({ paid: 1, failed: 1 });
    expect(recon.json.batchStatus).toBe("reconciled");
    expect(recon.json.control.matches).toBe(true);

    const trail = await as({ type: "system", operationID: t.operationID, reason: "test" }, () =>
      Audit.history({ recordID: id, limit: 500 }),
    );
    const actions = trail.items.map((a) => a.action);
    for (const a of [
      "create",
      "assemble.done",
      "submit",
      "approve",
      "export",
      "export.download",
      "reconcile",
    ])
      expect(actions).toContain(a);
  });

  it("documents the payments endpoints in /api/openapi.json", async () => {
    const doc = await call("GET", "/api/openapi.json");
    for (const p of [
      "/payees",
      "/payments",
      "/payment-batches",
      "/payment-batches/{id}/submit",
      "/payment-batches/{id}/approve",
      "/payment-batches/{id}/cancel",
      "/payment-batches/{id}/export",
      "/payment-batches/{id}/reconciliation",
      "/payment-batches/{id}/reconciliation/uploads",
      "/payment-batches/{id}/reconciliation/uploads/complete",
      "/exports/{id}/download",
    ])
      expect(Object.keys(doc.json.paths)).toContain(p);
  });

  it("a retried payment creation with the same Idempotency-Key creates nothing new", async () => {
    const t = await createTestOperation();
    const fin = t.users.finance.token;
    const payee = await call("POST", "/api/payees", {
      token: fin,
      body: {
        kind: "supplier",
        name: "Proveedor",
        channel: { type: "bank", accountNumber: "012180001234567897" },
      },
    });
    const body = {
      rows: [
        {
          values: {
            payeeID: payee.json.payeeID,
            purpose: "supplier_invoice",
            amount: 99900,
            currency: "MXN",
          },
        },
      ],
    };
    const headers = { "idempotency-key": `pay-${payee.json.payeeID}` };
    const first = await call("POST", "/api/payments", { token: fin, body, headers });
    const second = await call("POST", "/api/payments", { token: fin, body, headers });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.json.results[0].id).toBe(first.json.results[0].id);
    const list = await call("GET", `/api/payments?payeeID=${payee.json.payeeID}`, { token: fin });
    expect(list.json.items).toHaveLength(1);
  });

  it("a caseworker cannot see payments", async () => {
    const t = await createTestOperation();
    const res = await call("GET", "/api/payments", { token: t.users.caseworker.token });
    expect(res.status).toBe(403);
  });
});
