import { FspProfileCreate, type ExportColumn } from "@waypoint/schema";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { InvalidError, NotFoundError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { minorDigits } from "../payment/money.ts";
import { FspProfileEntity } from "./fsp.entity.ts";

/** What a CSV/XLSX export shows when the profile has no column template (the 121 platform's FSP export, roughly). */
export const DEFAULT_COLUMNS: ExportColumn[] = [
  { header: "Reference", field: "endToEndId" },
  { header: "Payment ID", field: "paymentID" },
  { header: "Payee", field: "payeeName" },
  { header: "Amount", field: "amount" },
  { header: "Currency", field: "currency" },
  { header: "IBAN", field: "iban" },
  { header: "Account", field: "accountNumber" },
  { header: "BIC", field: "bic" },
  { header: "Phone", field: "msisdn" },
  { header: "Purpose", field: "purpose" },
];

export namespace FspProfile {
  export type Info = NonNullable<Awaited<ReturnType<ReturnType<typeof FspProfileEntity.get>["go"]>>["data"]>;

  /** Managing FSP profiles is a finance task (the people who build batches); approvers only read them. */
  export async function create(raw: z.input<typeof FspProfileCreate>): Promise<Info> {
    const parsed = FspProfileCreate.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const operationID = Actor.operationID();
    Actor.assert("batch.create", { operationID });
    minorDigits(parsed.data.currency);
    if (parsed.data.defaultFormat.startsWith("pain.001") && !parsed.data.debtor)
      throw InvalidError.field("debtor", "invalid.required", "ISO 20022 exports need the debtor account");
    if (parsed.data.defaultFormat === "mobile-money-csv" && !parsed.data.mobileMoney)
      throw InvalidError.field(
        "mobileMoney",
        "invalid.required",
        "Mobile-money exports need the provider template",
      );
    const now = nowIso();
    const item = {
      ...parsed.data,
      fspProfileID: parsed.data.fspProfileID ?? Identifier.create("fsp"),
      operationID,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWrite([
      { put: FspProfileEntity.create(item).params() },
      Audit.txItem({ recordID: item.fspProfileID, recordType: "fspProfile", action: "create", operationID }),
    ]);
    return item as Info;
  }

  export async function get(fspProfileID: string): Promise<Info> {
    const p = (await FspProfileEntity.get({ fspProfileID }).go()).data;
    if (!p || p.operationID !== Actor.operationID()) throw new NotFoundError("fspProfile", fspProfileID);
    Actor.assert("batch.read", p);
    return p;
  }

  export async function list(): Promise<Info[]> {
    const operationID = Actor.operationID();
    Actor.assert("batch.read", { operationID });
    return (await FspProfileEntity.query.byOperation({ operationID }).go({ pages: "all" })).data;
  }
}
