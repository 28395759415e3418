import { describe, expect, it } from "vitest";
import { Audit, Batch, Export, Hosting, Payee } from "@waypoint/core";
import { PaymentEntity } from "@waypoint/core/payment/payment.entity";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";
import { approvedBatch } from "../support/payments.ts";

const NEW_IBAN = "DE89370400440532013000";

describe("money goes only to accounts someone approved", () => {
  it("a finance officer who changes an IBAN after approval cannot export on the old approval, even accepting flags", async () => {
    const t = await createTestOperation();
    const { batch, payees } = await approvedBatch(t, [100, 200]);
    const fin = t.users.finance.token;
    expect((await call("GET", `/api/payment-batches/${batch.batchID}`, { token: fin })).json.status).toBe(
      "approved",
    );

    const p = payees[0]!;
    const changed = await call("PATCH", `/api/payees/${p.payeeID}`, {
      token: fin,
      body: { version: p.version, changes: { channel: { type: "bank", iban: NEW_IBAN } } },
    });
    expect(changed.status).toBe(200);

    const b = (await call("GET", `/api/payment-batches/${batch.batchID}`, { token: fin })).json;
    expect(b.status).toBe("submitted");
    expect(b.approvals).toEqual([]);
    expect(b.accountChangedBy).toEqual([t.users.finance.userID]);
    expect(b.flaggedCount).toBe(1);

    const refused = await call("POST", `/api/payment-batches/${batch.batchID}/export`, {
      token: fin,
      body: { format: "pain.001.001.09", acceptFlagged: true },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.json.detail).toMatch(/submitted batch cannot be exported/);

    // The batch's reopening and the payee's change are audited; the account appears masked, never in clear.
    const history = await as(t.users.admin.actor, () => Audit.history({ recordID: batch.batchID }));
    expect(history.items.map((e) => e.action)).toContain("reopen");
    const payeeHistory = await as(t.users.admin.actor, () => Audit.history({ recordID: p.payeeID }));
    const update = payeeHistory.items.find((e) => e.action === "update")!;
    expect(JSON.stringify(update.changes)).not.toContain(NEW_IBAN);
    expect(JSON.stringify(update.changes)).not.toContain("FI4880002002330354");
    expect(JSON.stringify(update.changes)).toContain("3000");

    // A fresh approval by someone else lets it go, and the file pays the new account.
    const again = await call("POST", `/api/payment-batches/${batch.batchID}/approve`, {
      token: t.users.finance_approver.token,
      body: {},
    });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe("approved");
    const exported = await call("POST", `/api/payment-batches/${batch.batchID}/export`, {
      token: fin,
      body: { format: "csv", acceptFlagged: true },
    });
    expect(exported.status).toBe(201);
    expect(exported.json.count).toBe(2);
  });

  it("whoever changed the details may not approve the batch, whatever role they hold now", async () => {
    const t = await createTestOperation();
    const { batch, payees } = await approvedBatch(t, [100]);
    const p = payees[0]!;
    // a colleague of the batch's creator changes the account, and is later given the approver role
    const colleague = { ...t.users.finance.actor, userID: "usr_01JCOLLEAGUE000000000000000" };
    await as(colleague, () =>
      Payee.update(p.payeeID, p.version, { channel: { type: "bank", iban: NEW_IBAN } }),
    );
    const changer = { ...colleague, role: "finance_approver" as const };
    await expect(as(changer, () => Batch.approve(batch.batchID))).rejects.toThrow(
      /someone else must approve/,
    );
    expect((await as(t.users.admin.actor, () => Batch.get(batch.batchID))).status).toBe("submitted");
  });

  it("an approval racing a change of account never leaves the batch approved on the old account", async () => {
    for (let round = 0; round < 3; round++) {
      const t = await createTestOperation();
      const { payees, paymentIDs } = await approvedBatch(t, [100, 200]);
      const batchID = (await as(system, () => PaymentEntity.get({ paymentID: paymentIDs[0]! }).go())).data!
        .batchID!;
      // Reopen once so an approval is pending, then race a second account change against that approval.
      const p = payees[0]!;
      const first = await as(t.users.finance.actor, () =>
        Payee.update(p.payeeID, p.version, { channel: { type: "bank", iban: NEW_IBAN } }),
      );
      const [approval, change] = await Promise.allSettled([
        as(t.users.finance_approver.actor, () => Batch.approve(batchID)),
        as(t.users.finance.actor, () =>
          Payee.update(p.payeeID, first.version, {
            channel: { type: "bank", iban: "FR1420041010050500013M02606" },
          }),
        ),
      ]);
      expect(change.status).toBe("fulfilled");
      const b = await as(t.users.admin.actor, () => Batch.get(batchID));
      // Whatever the order, the last account change came after any approval: the batch waits for a new one.
      expect(b.status).toBe("submitted");
      expect(b.approvals).toEqual([]);
      if (approval.status === "rejected") expect(String(approval.reason)).toMatch(/changed|conflict/i);
    }
  });

  it("bad IBAN check digits and BICs are refused with the field, and nothing is stored", async () => {
    const t = await createTestOperation();
    const { payees } = await approvedBatch(t, [100]);
    const bad = await call("PATCH", `/api/payees/${payees[0]!.payeeID}`, {
      token: t.users.finance.token,
      body: {
        version: payees[0]!.version,
        changes: { channel: { type: "bank", iban: "DE89370400440532013001", bic: "COBADEFF" } },
      },
    });
    expect(bad.status).toBe(422);
    const paths = (bad.json.errors ?? bad.json.issues ?? []).map((e: { path: string }) => e.path);
    expect(paths).toContain("changes.channel.iban");
    const stored = await as(t.users.finance.actor, () => Payee.get(payees[0]!.payeeID));
    expect(stored.version).toBe(payees[0]!.version);

    const badBic = await call("POST", "/api/payees", {
      token: t.users.finance.token,
      body: {
        rows: [
          {
            ref: "x",
            values: {
              kind: "individual",
              name: "Ana",
              channel: { type: "bank", iban: NEW_IBAN, bic: "XXXX12" },
            },
          },
        ],
      },
    });
    expect(badBic.json.results[0].status).toBe("invalid");
    expect(JSON.stringify(badBic.json.results[0].issues)).toContain("bic");

    // a mobile number must exist in a numbering plan, and is kept in E.164
    const phones = await call("POST", "/api/payees", {
      token: t.users.finance.token,
      body: {
        rows: [
          {
            ref: "short",
            values: {
              kind: "individual",
              name: "Awa",
              channel: { type: "mobile_money", msisdn: "+5296212345" },
            },
          },
          {
            ref: "ok",
            values: {
              kind: "individual",
              name: "Awa",
              channel: { type: "mobile_money", msisdn: "529621234501" },
            },
          },
        ],
      },
    });
    expect(phones.json.results.map((r: { status: string }) => r.status)).toEqual(["invalid", "created"]);
    expect(JSON.stringify(phones.json.results[0].issues)).toContain("channel.msisdn");
    expect(phones.json.results[1].record.channel.msisdn).toBe("+529621234501");
  });

  it("a payee must pay a real individual of this operation, on create and on change", async () => {
    const t = await createTestOperation();
    const created = await call("POST", "/api/payees", {
      token: t.users.finance.token,
      body: {
        rows: [
          {
            ref: "x",
            values: {
              kind: "individual",
              name: "Ana",
              individualID: "ind_01JNOSUCHPERSON000000000000",
              channel: { type: "bank", iban: NEW_IBAN },
            },
          },
        ],
      },
    });
    expect(created.json.results[0].status).toBe("invalid");
    expect(JSON.stringify(created.json.results[0].issues)).toContain("individualID");

    const { payees } = await approvedBatch(t, [100]);
    const changed = await call("PATCH", `/api/payees/${payees[0]!.payeeID}`, {
      token: t.users.finance.token,
      body: { version: payees[0]!.version, changes: { individualID: "ind_01JNOSUCHPERSON000000000000" } },
    });
    expect(changed.status).toBe(422);

    // the bulk path (imports, benchmarks) checks the links too: a host of another operation is refused, a real one kept
    const other = await createTestOperation();
    const foreignHost = await call("POST", "/api/hosts", {
      token: other.users.caseworker.token,
      body: {
        officeID: other.officeA,
        kind: "family",
        name: "Familia ajena",
        capacity: 1,
        adm1: "MX07",
        adm2: "MX07089",
        contractStart: "2026-01-01",
        contractEnd: "2026-12-31",
        visitEveryDays: 30,
      },
    });
    expect(foreignHost.status).toBe(201);
    const person = await call("POST", "/api/individuals", {
      token: t.users.caseworker.token,
      body: { givenName: "Ana", familyName: "Real", sex: "female", estimatedAge: 30, nationality: "HND", officeID: t.officeA },
    });
    const many = await as(t.users.finance.actor, () =>
      Payee.createMany([
        { kind: "host", name: "Ajena", hostID: foreignHost.json.hostID, channel: { type: "bank", iban: NEW_IBAN } },
        { kind: "individual", name: "Ana Real", individualID: person.json.individualID, channel: { type: "bank", iban: NEW_IBAN } },
      ]),
    );
    expect(many.issues).toEqual([
      { index: 0, issues: [expect.objectContaining({ path: "rows.0.hostID", code: "invalid.hostID" })] },
    ]);
    expect(many.payeeIDs[0]).toBeUndefined();
    expect(many.payeeIDs[1]).toMatch(/^pye_/);
  });

  it("a supervisor of one office cannot pay a payee of another office by naming their own office", async () => {
    const t = await createTestOperation();
    const payee = await as(t.users.finance.actor, () =>
      Payee.create({
        kind: "individual",
        name: "Rosa Díaz",
        officeID: t.officeB,
        channel: { type: "bank", iban: NEW_IBAN },
      }),
    );
    const values = { payeeID: payee.payeeID, purpose: "cash_for_protection", amount: 50000, currency: "EUR" };
    const res = await call("POST", "/api/payments", {
      token: t.users.supervisor.token,
      body: {
        rows: [
          { ref: "a", values: { ...values, officeID: t.officeA } },
          { ref: "b", values },
        ],
      },
    });
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(["invalid", "forbidden"]);
    expect(JSON.stringify(res.json.results[0].issues)).toContain("officeID");
    const generated = await call("POST", "/api/payments/generate", {
      token: t.users.supervisor.token,
      body: {
        rule: { purpose: "cash_for_protection", currency: "EUR", period: "2026-11", unitAmount: 1000 },
        rows: [
          { payeeID: payee.payeeID, units: 1, sourceID: "case-a", officeID: t.officeA },
          { payeeID: payee.payeeID, units: 1, sourceID: "case-b" },
        ],
      },
    });
    expect(generated.json.results.map((r: { status: string }) => r.status)).toEqual(["invalid", "forbidden"]);
    const listed = await call("GET", "/api/payments", { token: t.users.finance.token });
    expect(listed.json.items.filter((p: { payeeID: string }) => p.payeeID === payee.payeeID)).toEqual([]);
  });

  it("a caseworker cannot send a host's allowances to another payee through the host grid; finance can, audited", async () => {
    const t = await createTestOperation();
    const mkPayee = (name: string) =>
      as(t.users.finance.actor, () =>
        Payee.create({ kind: "host", name, officeID: t.officeA, channel: { type: "bank", iban: NEW_IBAN } }),
      );
    const [own, other] = [await mkPayee("Familia Pérez"), await mkPayee("Cuenta ajena")];
    const host = await call("POST", "/api/hosts", {
      token: t.users.caseworker.token,
      body: {
        officeID: t.officeA,
        kind: "family",
        name: "Familia Pérez",
        capacity: 2,
        adm1: "MX07",
        adm2: "MX07089",
        contractStart: "2026-01-01",
        contractEnd: "2026-12-31",
        visitEveryDays: 14,
      },
    });
    expect(host.status).toBe(201);
    // naming the payee when registering the host is pointing money too: not the caseworker's to do
    const named = await call("POST", "/api/hosts", {
      token: t.users.caseworker.token,
      body: {
        officeID: t.officeA,
        kind: "family",
        name: "Familia con cuenta",
        capacity: 1,
        adm1: "MX07",
        adm2: "MX07089",
        contractStart: "2026-01-01",
        contractEnd: "2026-12-31",
        payeeID: other.payeeID,
        visitEveryDays: 14,
      },
    });
    expect(named.status).toBe(403);
    const linkOwn = await call("PATCH", "/api/hosts", {
      token: t.users.finance.token,
      body: { rows: [{ id: host.json.hostID, version: host.json.version, changes: { payeeID: own.payeeID } }] },
    });
    expect(linkOwn.json.results[0].status).toBe("saved");
    host.json.version = linkOwn.json.results[0].version;
    const patch = (token: string, version: number) =>
      call("PATCH", "/api/hosts", {
        token,
        body: { rows: [{ id: host.json.hostID, version, changes: { payeeID: other.payeeID } }] },
      });
    const refused = await patch(t.users.caseworker.token, host.json.version);
    expect(refused.json.results[0].status).toBe("forbidden");
    const stored = await as(t.users.caseworker.actor, () => Hosting.getHost(host.json.hostID));
    expect(stored.payeeID).toBe(own.payeeID);

    const saved = await patch(t.users.finance.token, host.json.version);
    expect(saved.json.results[0].status, JSON.stringify(saved.json)).toBe("saved");
    const history = await as(t.users.admin.actor, () => Audit.history({ recordID: host.json.hostID }));
    const change = history.items.find(
      (e) => e.action === "update" && (e.changes?.payeeID as { before?: string })?.before === own.payeeID,
    )!;
    expect(change.actorID).toBe(t.users.finance.userID);
    expect(change.changes?.payeeID).toEqual({ before: own.payeeID, after: other.payeeID });
    // a change that does not mention the visit interval leaves it as it was
    expect(Object.keys(change.changes ?? {})).toEqual(["payeeID"]);
    expect((await as(t.users.caseworker.actor, () => Hosting.getHost(host.json.hostID))).visitEveryDays).toBe(
      14,
    );
  });

  it("names a bank cannot read get a Latin bank name; a payee without one blocks a pain.001 export with the list of who needs fixing", async () => {
    const t = await createTestOperation();
    const { batch, payees } = await approvedBatch(t, [100, 200, 300], ["محمد عبد الله", "★★★", "José Núñez"]);
    expect(payees.map((p) => p.nameLatin)).toEqual(["Mhmd Bd Llh", undefined, "Jose Nunez"]);
    const fin = t.users.finance.token;
    const refused = await call("POST", `/api/payment-batches/${batch.batchID}/export`, {
      token: fin,
      body: { format: "pain.001.001.09" },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([
      expect.objectContaining({ path: `payees.${payees[1]!.payeeID}.nameLatin` }),
    ]);
    expect(
      (await call("GET", `/api/payment-batches/${batch.batchID}/exports`, { token: fin })).json.items,
    ).toEqual([]);

    // finance gives the bank name; it is a change of what the bank is told, so the batch is approved again
    const named = await call("PATCH", `/api/payees/${payees[1]!.payeeID}`, {
      token: fin,
      body: { version: payees[1]!.version, changes: { nameLatin: "Familia Estrella" } },
    });
    expect(named.status).toBe(200);
    const bad = await call("PATCH", `/api/payees/${payees[1]!.payeeID}`, {
      token: fin,
      body: { version: named.json.version, changes: { nameLatin: "عائلة" } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("changes.nameLatin");
    await call("POST", `/api/payment-batches/${batch.batchID}/approve`, {
      token: t.users.finance_approver.token,
      body: {},
    });
    const ok = await call("POST", `/api/payment-batches/${batch.batchID}/export`, {
      token: fin,
      body: { format: "pain.001.001.09", acceptFlagged: true },
    });
    expect(ok.status).toBe(201);
    const file = await as(t.users.finance.actor, async () => {
      const d = await Export.download(ok.json.exportID);
      return new Response(d.stream as never).text();
    });
    expect(file).toContain("<Nm>Mhmd Bd Llh</Nm>");
    expect(file).toContain("<Nm>Familia Estrella</Nm>");
    expect(file).not.toContain("NOTPROVIDED");
  });
});
