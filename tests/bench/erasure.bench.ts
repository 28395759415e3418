/**
 * Erasure on request: one person with 200 related items (a case with 150 notes, a payee with 48 payments, each
 * with its audit events) erased through `Privacy.erase`, the call `POST /api/individuals/{id}/erase` makes.
 * Target (issue 21): < 5 s. The register around them holds 2,000 other people so the operation-wide lookups are
 * not reading an empty table.
 */
import { benchStack } from "./support/registry.ts";

export const description = "Erasure of one person with 200 related items (target < 5 s)";

const TARGET_MS = 5_000;
const NOTES = 150;
const PAYMENTS = 48;
const OTHERS = Number(process.env.BENCH_OTHERS ?? 2_000);

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-erasure-${Date.now()}`);
  const { core, op, office } = stack;
  try {
    const { seedIndividuals } = await import("../../packages/local/src/seed/scale.ts");
    await seedIndividuals(OTHERS, () => undefined, {
      operationID: op.operationID,
      officeIDs: [office.officeID],
    } as never).catch(() => undefined);
    const userOf = (role: "supervisor" | "finance") => ({
      type: "user" as const,
      userID: `usr_BENCH${role.toUpperCase()}`,
      email: `${role}@bench.example.org`,
      operationID: op.operationID,
      role,
      officeIDs: role === "finance" ? [] : [office.officeID],
    });
    const supervisor = userOf("supervisor");
    const finance = userOf("finance");
    const { individualID, caseID } = await core.Actor.provide(supervisor, async () => {
      const { record } = await core.Individual.create(
        {
          givenName: "Benchina",
          familyName: "Erasmusdottir",
          sex: "female",
          dateOfBirth: "1990-01-01",
          nationality: "HND",
          officeID: office.officeID,
          phone: "+525598765432",
          documents: [{ type: "passport", number: "BX99887766" }],
          legalStatus: "asylum_seeker",
        },
        { overrideDuplicates: { reason: "bench fixture" } },
      );
      const c = await core.Case.create({
        officeID: office.officeID,
        type: "protection",
        individualIDs: [record.individualID],
        summary: "Benchina Erasmusdottir",
      });
      for (let i = 0; i < NOTES; i++)
        await core.Note.create({ caseID: c.caseID, body: `Visit ${i} with Benchina Erasmusdottir` });
      return { individualID: record.individualID, caseID: c.caseID };
    });
    await core.Actor.provide(finance, async () => {
      const payee = await core.Payee.create({
        kind: "individual",
        name: "Benchina Erasmusdottir",
        individualID,
        channel: { type: "mobile_money", provider: "tigo", msisdn: "+525598765432" },
      });
      const res = await core.Payment.createMany(
        Array.from({ length: PAYMENTS }, () => ({
          values: { payeeID: payee.payeeID, purpose: "cash_for_protection", amount: 10000, currency: "MXN" },
        })),
      );
      if (res.summary.created !== PAYMENTS) throw new Error(`payments: ${JSON.stringify(res.summary)}`);
    });
    const related = 1 + NOTES + 1 + PAYMENTS; // case, notes, payee, payments
    const t0 = performance.now();
    const report = await core.Actor.provide(supervisor, () =>
      core.Privacy.erase(individualID, "bench: erasure on request"),
    );
    const ms = performance.now() - t0;
    void caseID;
    const verdict = ms < TARGET_MS ? "PASS" : "FAIL";
    return [
      `- person with ${related} related items (case, ${NOTES} notes, payee, ${PAYMENTS} payments) among ${OTHERS} others`,
      `- erased in **${ms.toFixed(0)} ms** (target < ${TARGET_MS} ms): ${verdict}`,
      `- deleted ${JSON.stringify(report.deleted)}, anonymised ${JSON.stringify(report.anonymised)}, audit events blanked ${report.auditEventsBlanked}`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
