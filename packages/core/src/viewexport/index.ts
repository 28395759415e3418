import { ViewExportRequest, type ExportableViews } from "@waypoint/schema/viewexport";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { InvalidError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import type { Action } from "../permissions.ts";
import { AppointmentEntity } from "../appointment/appointment.entity.ts";
import { CaseEntity } from "../case/case.entity.ts";
import { batchGet } from "../common/batch-get.ts";
import { mapLimit } from "../common/concurrency.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { assertPurpose, logExport } from "../privacy/export-log.ts";
import { ReferralEntity } from "../referral/referral.entity.ts";
import { RelocationEntity } from "../relocation/relocation.entity.ts";

/** The export permission each grid collection needs: registry data vs finance and relocation reports. */
const ActionFor: Record<(typeof ExportableViews)[number], Action> = {
  individuals: "registry.export",
  households: "registry.export",
  cases: "registry.export",
  referrals: "registry.export",
  appointments: "registry.export",
  payees: "report.export",
  payments: "report.export",
  "payment-batches": "report.export",
  "relocation-trips": "report.export",
  relocations: "report.export",
};

/**
 * Exports the admin app builds in the browser (the current grid view as CSV or XLSX). The browser asks here
 * first: the export permission is checked and the export is audited (who, which collection, how many rows,
 * which fields) before any file exists. A refusal means no file.
 */
export namespace ViewExport {
  export async function record(input: z.input<typeof ViewExportRequest>): Promise<{ ok: true }> {
    const parsed = ViewExportRequest.safeParse(input);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const { resource, format, rowCount, fields, ids, purpose, purposeOther, recipient } = parsed.data;
    Actor.assert(ActionFor[resource]);
    assertPurpose(parsed.data);
    const operationID = Actor.operationID();
    const people = await peopleOf(resource, ids ?? [], operationID);
    // the people in the file get it in their sharing log (privacy/export-log.ts)
    const exportID = await logExport({ kind: `view:${resource}`, format, purpose, purposeOther, recipient }, people);
    await Audit.record({
      recordID: `${operationID}:${resource}`,
      recordType: "export",
      action: "export.view",
      operationID,
      reason: exportID,
      changes: {
        format: { after: format },
        rowCount: { after: rowCount },
        fields: { after: fields },
        people: { after: people.length },
      },
    });
    return { ok: true };
  }
}

type Row = Record<string, unknown>;
const str = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** Records of one kind by ID (only the attributes asked for), in the caller's operation. */
async function read(entity: Parameters<typeof batchGet>[0], key: string, ids: string[], attributes: string[], operationID: string) {
  const rows = await batchGet<Row>(
    entity,
    [...new Set(ids)].map((id) => ({ [key]: id })),
    { attributes: [...new Set(["operationID", ...attributes])] },
  );
  return rows.filter((r) => r.operationID === operationID);
}

/** The members of households (the household index of individuals), in the caller's operation. */
async function membersOf(householdIDs: string[], operationID: string): Promise<string[]> {
  const out = await mapLimit([...new Set(householdIDs)], 8, async (householdID) =>
    (
      await IndividualEntity.query
        .byHousehold({ householdID })
        .go({ pages: "all", attributes: ["individualID", "operationID"] })
    ).data
      .filter((p) => p.operationID === operationID)
      .map((p) => p.individualID),
  );
  return out.flat();
}

/** The people the rows of a grid export hold: IDs resolved through the records (nothing the caller says is taken as is). */
async function peopleOf(resource: (typeof ExportableViews)[number], ids: string[], operationID: string): Promise<string[]> {
  if (!ids.length) return [];
  const people = new Set<string>();
  const addAll = (list: unknown) => {
    if (Array.isArray(list)) for (const x of list) if (str(x)) people.add(x);
  };
  switch (resource) {
    case "individuals":
      for (const r of await read(IndividualEntity, "individualID", ids, ["individualID"], operationID))
        people.add(String(r.individualID));
      break;
    case "households":
      addAll(await membersOf(ids, operationID));
      break;
    case "cases":
      for (const r of await read(CaseEntity, "caseID", ids, ["individualIDs"], operationID)) addAll(r.individualIDs);
      break;
    case "referrals":
      for (const r of await read(ReferralEntity, "referralID", ids, ["individualID"], operationID))
        if (str(r.individualID)) people.add(r.individualID);
      break;
    case "appointments": {
      // an appointment is about a case: its people
      const rows = await read(AppointmentEntity, "appointmentID", ids, ["caseID"], operationID);
      const cases = rows.map((r) => r.caseID).filter(str);
      for (const c of await read(CaseEntity, "caseID", cases, ["individualIDs"], operationID)) addAll(c.individualIDs);
      break;
    }
    case "payees":
      for (const r of await read(PayeeEntity, "payeeID", ids, ["individualID"], operationID))
        if (str(r.individualID)) people.add(r.individualID);
      break;
    case "payments": {
      const payees = (await read(PaymentEntity, "paymentID", ids, ["payeeID"], operationID)).map((p) => p.payeeID).filter(str);
      for (const r of await read(PayeeEntity, "payeeID", payees, ["individualID"], operationID))
        if (str(r.individualID)) people.add(r.individualID);
      break;
    }
    case "relocations": {
      const hh = (await read(RelocationEntity, "relocationID", ids, ["householdID"], operationID))
        .map((r) => r.householdID)
        .filter(str);
      addAll(await membersOf(hh, operationID));
      break;
    }
    default:
      // trips and payment batches: one row per trip or batch, no person in it
      break;
  }
  return [...people];
}
