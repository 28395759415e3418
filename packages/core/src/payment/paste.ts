import {
  majorToMinor,
  PastePaymentsRequest,
  PaymentPurposeLabels,
  PaymentPurposes,
  Period,
  type PastePaymentsResponse,
  type PastePaymentsRow,
} from "@waypoint/schema/payments";
import type { FieldIssue } from "@waypoint/schema/problem";
import { Actor } from "../actor.ts";
import { InvalidError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Unique } from "../common/unique.ts";
import { Operation } from "../operation/index.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { minorDigits } from "./money.ts";
import { Payment } from "./index.ts";

type StoredPayee = NonNullable<Awaited<ReturnType<ReturnType<typeof PayeeEntity.get>["go"]>>["data"]>;

const fold = (s: string) =>
  s.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("en").replace(/\s+/g, " ").trim();

/** Purposes by their code and by their label in each language, folded. */
const purposes = new Map<string, (typeof PaymentPurposes)[number]>(
  PaymentPurposes.flatMap((code) => [
    [fold(code), code] as const,
    [fold(code.replaceAll("_", " ")), code] as const,
    ...Object.values(PaymentPurposeLabels[code]).map((l) => [fold(l), code] as const),
  ]),
);

const issue = (index: number, field: string, code: string, message: string): FieldIssue => ({
  path: `rows.${index}.${field}`,
  code,
  message,
});

/**
 * Payments pasted from a spreadsheet, the way finance staff keep them: the payee by name (or bank name) or by the
 * registration number of the person it pays, the purpose in words, the amount in major units. A dry run resolves
 * and checks every row and stores nothing; the real run creates the valid rows through `Payment.createMany` (its
 * checks: active payee, the payee's office, currency) and reports every row, on `rows.<index>.<field>`.
 */
export async function pastePayments(raw: PastePaymentsRequest): Promise<PastePaymentsResponse> {
  const parsed = PastePaymentsRequest.safeParse(raw);
  if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
  const { rows, dryRun, status } = parsed.data;
  Actor.assert("payment.create");
  const operationID = Actor.operationID();
  const operation = await Operation.get(operationID);

  // The operation's payees the caller may see, by folded name and bank name, and by the person they pay.
  const byName = new Map<string, StoredPayee[]>();
  const byIndividual = new Map<string, StoredPayee[]>();
  const all = await PayeeEntity.query.byOperation({ operationID }).go({ pages: "all" });
  const add = (m: Map<string, StoredPayee[]>, k: string, p: StoredPayee) => {
    const list = m.get(k) ?? [];
    if (!list.includes(p)) list.push(p);
    m.set(k, list);
  };
  for (const p of all.data) {
    if (p.deleted || !p.active || !Actor.can("payee.read", p)) continue;
    add(byName, fold(p.name), p);
    if (p.nameLatin) add(byName, fold(p.nameLatin), p);
    if (p.individualID) add(byIndividual, p.individualID, p);
  }

  // a registration number has figures and no spaces; only those are looked up (all at once)
  const owners = await Promise.all(
    rows.map((r) =>
      /^\S*\d\S*$/.test(r.payee) ? Unique.owner(`regno:${operationID}`, r.payee.toUpperCase()) : undefined,
    ),
  );
  const out: PastePaymentsRow[] = [];
  const ready: { index: number; values: Record<string, unknown>; payee: StoredPayee }[] = [];
  for (const [index, row] of rows.entries()) {
    const issues: FieldIssue[] = [];
    // the payee: a registration number first (exact), then a name
    const individualID = owners[index];
    const candidates = individualID ? (byIndividual.get(individualID) ?? []) : (byName.get(fold(row.payee)) ?? []);
    let payee: StoredPayee | undefined;
    if (candidates.length === 1) payee = candidates[0];
    else if (candidates.length === 0)
      issues.push(
        individualID
          ? issue(index, "payee", "paste.payeeNotLinked", `Nobody's payment account is linked to ${row.payee}`)
          : issue(index, "payee", "paste.payeeUnknown", `No payee is named ${row.payee}`),
      );
    else
      issues.push(
        issue(
          index,
          "payee",
          "paste.payeeAmbiguous",
          `${candidates.length} payees are named ${row.payee}: use the registration number`,
        ),
      );
    const purpose = purposes.get(fold(row.purpose));
    if (!purpose) issues.push(issue(index, "purpose", "paste.purposeUnknown", `${row.purpose} is not a purpose`));
    const currency = (row.currency || operation.currency).toUpperCase();
    let digits: number | undefined;
    try {
      digits = minorDigits(currency, `rows.${index}.currency`);
    } catch (e) {
      if (e instanceof InvalidError) issues.push(...e.issues);
      else throw e;
    }
    const amount = digits === undefined ? null : majorToMinor(row.amount, digits);
    if (digits !== undefined && amount === null)
      issues.push(
        issue(index, "amount", "paste.amount", `${row.amount} is not an amount in ${currency} (like 1500.50)`),
      );
    if (row.period && !Period.safeParse(row.period).success)
      issues.push(issue(index, "period", "paste.period", "must be a period YYYY-MM"));
    const base = {
      index,
      payeeID: payee?.payeeID,
      payeeName: payee?.name,
      purpose,
      amount: amount ?? undefined,
      currency,
    };
    if (issues.length || !payee) {
      out.push({ ...base, status: "invalid", issues });
      continue;
    }
    out.push({ ...base, status: "ready" });
    ready.push({
      index,
      payee,
      values: {
        payeeID: payee.payeeID,
        purpose,
        amount,
        currency,
        status,
        ...(row.period ? { period: row.period } : {}),
        ...(row.note ? { note: row.note } : {}),
      },
    });
  }

  if (!dryRun && ready.length) {
    const res = await Payment.createMany(ready.map((r) => ({ ref: String(r.index), values: r.values })));
    for (const r of res.results) {
      const index = Number(r.ref);
      const row = out[index]!;
      if (r.status === "created") Object.assign(row, { status: "created", paymentID: r.id });
      else
        Object.assign(row, {
          status: "invalid",
          issues:
            r.status === "invalid"
              ? r.issues.map((i) => ({
                  ...i,
                  path: i.path.replace(/^rows\.\d+\.values\.?/, `rows.${index}.`).replace(/\.payeeID$/, ".payee"),
                }))
              : [issue(index, "payee", `paste.${r.status}`, "This payment may not be created")],
        });
    }
  }
  const summary: Record<string, number> = {};
  for (const r of out) summary[r.status] = (summary[r.status] ?? 0) + 1;
  return { rows: out, summary };
}
