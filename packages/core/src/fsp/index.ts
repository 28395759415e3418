import { FspProfileCreate, FspProfileUpdate, type ExportColumn } from "@waypoint/schema/payments";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { writeVersioned } from "../common/record.ts";
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
    checkRules(parsed.data);
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
    await transactWriteOrConflict([
      { put: FspProfileEntity.create(item).params() },
      Audit.txItem({ recordID: item.fspProfileID, recordType: "fspProfile", action: "create", operationID }),
    ]);
    return item as Info;
  }

  /** What every profile must satisfy, on creation and after each change. */
  function checkRules(p: z.output<typeof FspProfileCreate>, prefix = "") {
    minorDigits(p.currency);
    if (p.defaultFormat.startsWith("pain.001") && !p.debtor)
      throw InvalidError.field(
        `${prefix}debtor`,
        "invalid.required",
        "ISO 20022 exports need the debtor account",
      );
    if (p.defaultFormat === "mobile-money-csv" && !p.mobileMoney)
      throw InvalidError.field(
        `${prefix}mobileMoney`,
        "invalid.required",
        "Mobile-money exports need the provider template",
      );
  }

  /**
   * Changes a profile at the version read (409 with the current profile otherwise), audited field by field.
   * Exports already made keep the file they produced (its checksum is recorded); later exports use the new
   * profile.
   */
  export async function update(fspProfileID: string, raw: FspProfileUpdate): Promise<Info> {
    const input = FspProfileUpdate.safeParse(raw);
    if (!input.success) throw new InvalidError(toFieldIssues(input.error));
    const cur = await get(fspProfileID);
    Actor.assert("batch.create", cur);
    const { version, changes } = input.data;
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) continue;
      if (v === null) remove.push(k);
      else set[k] = v;
    }
    const merged = { ...cur, ...set } as Record<string, unknown>;
    for (const k of remove) delete merged[k];
    const {
      fspProfileID: _id,
      operationID: _op,
      createdBy: _c,
      version: _v,
      timeCreated: _tc,
      timeUpdated: _tu,
      ...profile
    } = merged;
    const whole = FspProfileCreate.safeParse(profile);
    if (!whole.success) throw new InvalidError(toFieldIssues(whole.error, "changes"));
    checkRules(whole.data, "changes.");
    const res = await writeVersioned(
      {
        entity: FspProfileEntity,
        key: { fspProfileID },
        expectedVersion: version,
        set,
        remove,
        audit: {
          recordID: fspProfileID,
          recordType: "fspProfile",
          action: "update",
          operationID: cur.operationID,
          changes: Audit.diff(cur as Record<string, unknown>, merged, [...Object.keys(set), ...remove]),
        },
      },
      () => get(fspProfileID),
    );
    return { ...(merged as Info), ...res };
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
