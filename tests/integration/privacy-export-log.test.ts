import { beforeAll, describe, expect, it } from "vitest";
import { Batch, Case, FspProfile, Individual, Job, Payee, Payment } from "@waypoint/core";
import { app } from "@waypoint/functions";
import { ExportChunkEntity, ExportLogEntity, ExportPersonEntity } from "@waypoint/core/privacy/export-log.entity";
import { ExportRecorder } from "@waypoint/core/privacy/export-log";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

/**
 * Exports that contained a person go into their sharing log (issue 21 point 5): the register as CSV, a grid
 * view, a payment batch file and a subject-access file each record who made them, when, for what purpose and
 * recipient; the person's sharing log, subject-access file and erasure report list them.
 */

let t: TestOperation;
let ana: string;
let bruno: string;
let caseID: string;

const runJobs = () =>
  as(system, () => Job.run({ kinds: ["sharing.exportChunk", "sharing.exportBatch"], limit: 1000 }));
const exportsIn = async (individualID: string) =>
  (await ExportPersonEntity.query.primary({ individualID }).go({ pages: "all" })).data.map((x) => x.exportID);

beforeAll(async () => {
  t = await createTestOperation();
  const make = (givenName: string, familyName: string, dateOfBirth: string) =>
    as(t.users.caseworker.actor, async () =>
      (
        await Individual.create(
          { givenName, familyName, sex: "female", dateOfBirth, nationality: "HND", officeID: t.officeA },
          { overrideDuplicates: { reason: "export log fixture" } },
        )
      ).record.individualID,
    );
  ana = await make("Anacleta", "Zubizarreta", "1971-04-02");
  bruno = await make("Bonifacio", "Quetzaltenango", "1958-09-30");
  caseID = (
    await as(t.users.supervisor.actor, () =>
      Case.create({ officeID: t.officeA, type: "protection", individualIDs: [ana], assignedTo: t.users.supervisor.userID }),
    )
  ).caseID;
});

describe("exports in the sharing log", () => {
  it("a register export lists everyone it held, with who made it, when, why and for whom; nothing is logged for people not in it", async () => {
    const res = await app.request(
      `/api/reports/register?format=csv&purpose=other&purposeOther=${encodeURIComponent("Verificación anual")}&recipient=${encodeURIComponent("ACNUR Tapachula")}`,
      { headers: { authorization: `Bearer ${t.users.supervisor.token}` } },
    );
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toContain(ana);
    expect(csv).toContain(bruno);

    const sharing = await call("GET", `/api/individuals/${ana}/sharing`, { token: t.users.supervisor.token });
    expect(sharing.status).toBe(200);
    const entry = sharing.json.items.find((e: { channel: string }) => e.channel === "export");
    expect(entry).toMatchObject({
      kind: "register",
      format: "csv",
      purpose: "other",
      purposeOther: "Verificación anual",
      recipient: "ACNUR Tapachula",
      by: expect.stringMatching(/^supervisor /),
    });
    expect(Date.parse(entry.time)).toBeGreaterThan(Date.now() - 120_000);
    const stored = (await ExportLogEntity.get({ exportID: entry.ref }).go()).data!;
    expect(stored).toMatchObject({ operationID: t.operationID, state: "done", by: t.users.supervisor.userID });
    expect(stored.people).toBeGreaterThanOrEqual(2);
    expect(await exportsIn(bruno)).toContain(entry.ref);
    // the log holds IDs and the export's own words, never the people's names
    expect(JSON.stringify(stored)).not.toMatch(/Anacleta|Zubizarreta/);
  });

  it("a grid view export logs the people of the exported rows only (a case's members), resolved by the server", async () => {
    const res = await call("POST", "/api/exports/audit", {
      token: t.users.admin.token,
      body: {
        resource: "cases",
        format: "xlsx",
        rowCount: 1,
        fields: ["caseNumber"],
        // an ID of another collection is not taken as a person
        ids: [caseID, bruno],
        purpose: "case_management",
      },
    });
    expect(res.status).toBe(200);
    const views = async (id: string) =>
      (await call("GET", `/api/individuals/${id}/sharing`, { token: t.users.supervisor.token })).json.items.filter(
        (e: { kind?: string }) => e.kind === "view:cases",
      );
    expect(await views(ana)).toEqual([
      expect.objectContaining({ channel: "export", format: "xlsx", purpose: "case_management", by: expect.stringMatching(/^admin /) }),
    ]);
    expect(await views(bruno)).toEqual([]);
  });

  it("a payment batch file logs the individuals behind its payees, with the FSP as recipient, once its job ran", async () => {
    const fin = t.users.finance.actor;
    const { fsp, payee } = await as(fin, async () => {
      const fsp = await FspProfile.create({
        name: "Banco Solidario",
        kind: "bank",
        currency: "EUR",
        defaultFormat: "csv",
        columns: [
          { header: "Reference", field: "endToEndId" },
          { header: "Name", field: "payeeName" },
          { header: "Amount", field: "amount" },
        ],
      });
      const payee = await Payee.create({
        kind: "individual",
        individualID: bruno,
        name: "Bonifacio Quetzaltenango",
        channel: { type: "bank", iban: "FI4880002002330354", bic: "OKOYFIHH" },
      } as never);
      return { fsp, payee };
    });
    const paid = await as(fin, () =>
      Payment.createMany([{ values: { payeeID: payee.payeeID, purpose: "cash_for_protection", amount: 5000, currency: "EUR" } }]),
    );
    const b = await as(fin, async () => {
      const c = await Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs: [paid.results[0]!.id!] });
      return Batch.submit(c.batchID);
    });
    await as(t.users.finance_approver.actor, () => Batch.approve(b.batchID));
    if (b.approvalsRequired > 1)
      await as({ ...t.users.finance_approver.actor, userID: "usr_SECOND" }, () => Batch.approve(b.batchID));
    const exp = await call("POST", `/api/payment-batches/${b.batchID}/export`, {
      token: t.users.finance.token,
      body: { format: "csv" },
    });
    expect(exp.status, JSON.stringify(exp.json)).toBe(201);
    const exportID = exp.json.exportID as string;
    // written in the export's transaction, its people by the job
    expect((await ExportLogEntity.get({ exportID }).go()).data).toMatchObject({ kind: "payment_batch", state: "recording" });
    await runJobs();
    expect(await exportsIn(bruno)).toContain(exportID);
    expect(await exportsIn(ana)).not.toContain(exportID);
    const entry = (await call("GET", `/api/individuals/${bruno}/sharing`, { token: t.users.supervisor.token })).json.items.find(
      (e: { ref: string }) => e.ref === exportID,
    );
    expect(entry).toMatchObject({
      channel: "export",
      kind: "payment_batch",
      recipient: "Banco Solidario",
      format: "csv",
      purpose: "assistance",
    });
    expect((await ExportLogEntity.get({ exportID }).go()).data).toMatchObject({ state: "done", people: 1 });
  });

  it("the person's subject-access file lists the exports that held them; producing it is logged too", async () => {
    const first = await call("GET", `/api/individuals/${ana}/subject-access?format=json`, { token: t.users.supervisor.token });
    expect(first.status).toBe(200);
    const kinds = first.json.sharing.filter((e: { channel: string }) => e.channel === "export").map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(["register", "view:cases"]);
    const second = await call("GET", `/api/individuals/${ana}/subject-access?format=json`, { token: t.users.supervisor.token });
    expect(second.json.sharing.map((e: { kind?: string }) => e.kind)).toContain("subject_access");
  });

  it("the erasure report lists the exports that held the person (whom to tell), and their export log items go", async () => {
    const res = await call("POST", `/api/individuals/${bruno}/erase`, {
      token: t.users.supervisor.token,
      body: { reason: "Solicitud de la persona" },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const listed = res.json.exports.map((e: { kind: string }) => e.kind).sort();
    expect(listed).toEqual(["payment_batch", "register"]);
    expect(res.json.exports.find((e: { kind: string }) => e.kind === "register")).toMatchObject({
      recipient: "ACNUR Tapachula",
      by: t.users.supervisor.userID,
    });
    expect(await exportsIn(bruno)).toEqual([]);
  });

  it("a large export is written as a few chunks while it streams, and the jobs give every person their item", async () => {
    const ids = Array.from({ length: 23 }, (_, i) => `ind_CHUNKTEST${String(i).padStart(4, "0")}${t.operationID.slice(-6)}`);
    const r = await as(t.users.supervisor.actor, () =>
      ExportRecorder.start({ kind: "register", format: "csv" }, { chunk: 10, inline: 5 }),
    );
    for (const id of ids) await r.add(id);
    await r.finish();
    // three chunks (10 + 10 + 3), no item per person yet: the request did 5 writes for 23 people
    expect((await ExportChunkEntity.query.primary({ exportID: r.exportID }).go()).data.map((c) => c.individualIDs.length)).toEqual([
      10, 10, 3,
    ]);
    expect(await exportsIn(ids[0]!)).toEqual([]);
    await runJobs();
    for (const id of ids) expect(await exportsIn(id)).toEqual([r.exportID]);
    expect((await ExportChunkEntity.query.primary({ exportID: r.exportID }).go()).data).toEqual([]);
    expect((await ExportLogEntity.get({ exportID: r.exportID }).go()).data).toMatchObject({ people: 23, state: "done" });
  });
});
