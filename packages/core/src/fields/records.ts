import type { FieldRecordType } from "@waypoint/schema/fields";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any ElectroDB entity with a `byOperation` index
type AnyEntity = any;

/** Each record type's entity (loaded when asked, so the fields domain does not carry every module) and its ID. */
const SOURCES: Record<FieldRecordType, { id: string; entity: () => Promise<AnyEntity> }> = {
  individual: { id: "individualID", entity: async () => (await import("../individual/individual.entity.ts")).IndividualEntity },
  household: { id: "householdID", entity: async () => (await import("../household/household.entity.ts")).HouseholdEntity },
  case: { id: "caseID", entity: async () => (await import("../case/case.entity.ts")).CaseEntity },
  assessment: { id: "assessmentID", entity: async () => (await import("../assessment/assessment.entity.ts")).AssessmentEntity },
  referral: { id: "referralID", entity: async () => (await import("../referral/referral.entity.ts")).ReferralEntity },
  appointment: { id: "appointmentID", entity: async () => (await import("../appointment/appointment.entity.ts")).AppointmentEntity },
  incident: { id: "incidentID", entity: async () => (await import("../incident/incident.entity.ts")).IncidentEntity },
  host: { id: "hostID", entity: async () => (await import("../hosting/host.entity.ts")).HostEntity },
  return: { id: "returnID", entity: async () => (await import("../reintegration/reintegration.entity.ts")).ReturnEntity },
  payee: { id: "payeeID", entity: async () => (await import("../payee/payee.entity.ts")).PayeeEntity },
};

export interface RecordRow {
  id: string;
  operationID: string;
  officeID?: string;
  createdBy?: string;
  assignedTo?: string[] | string;
  restricted?: boolean;
  deleted?: boolean;
  fields?: Record<string, unknown>;
}

/**
 * Every record of a type in an operation, with only what the required-field report needs (ID, scope, configured
 * values): one paged query on the type's `byOperation` index, never a table scan.
 */
export async function recordRows(recordType: FieldRecordType, operationID: string): Promise<RecordRow[]> {
  const src = SOURCES[recordType];
  const entity = await src.entity();
  const wanted = [src.id, "operationID", "officeID", "createdBy", "deleted", "fields"];
  if (recordType === "case" || recordType === "referral" || recordType === "incident")
    wanted.push("assignedTo", "restricted");
  const attrs = wanted.filter((a) => a in entity.schema.attributes);
  const res = await entity.query.byOperation({ operationID }).go({ pages: "all", attributes: attrs });
  return (res.data as Record<string, unknown>[]).map((r) => ({ ...r, id: r[src.id] as string }) as RecordRow);
}

/**
 * Whether a record of `recordType` with this ID exists (not deleted) in the operation: what a `reference` value must
 * point to. One consistent get by the type's primary key.
 */
export async function recordExists(recordType: FieldRecordType, id: string, operationID: string): Promise<boolean> {
  const src = SOURCES[recordType];
  const entity = await src.entity();
  const r = await entity.get({ [src.id]: id }).go({ attributes: ["operationID", "deleted"] });
  const row = r.data as { operationID?: string; deleted?: boolean } | null;
  return Boolean(row && row.operationID === operationID && !row.deleted);
}
