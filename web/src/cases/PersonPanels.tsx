import type { ColDef } from "ag-grid-community";
import { HouseholdChanges, IndividualChanges } from "@waypoint/schema";
import { EditDetails } from "../components/EditDetails.tsx";
import { fieldsFrom } from "../components/formFields.ts";
import { useMe } from "../components/lookups.ts";
import { newestFirst, RelatedSection } from "../components/RelatedSection.tsx";
import { appointmentColumns } from "../domains/appointments.columns.ts";
import { caseColumns } from "../domains/cases.columns.ts";
import { householdColumns } from "../domains/households.columns.ts";
import { individualColumns } from "../domains/individuals.columns.ts";
import { referralColumns } from "../domains/referrals.columns.ts";
import { relocationColumns } from "../domains/relocation.columns.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { PrivacyActions } from "../privacy/PrivacyActions.tsx";
import { PrivacySections } from "../privacy/PrivacySections.tsx";
import { PersonMessages } from "../messages/MessageParts.tsx";
import { PersonCommunity } from "../community/PersonSections.tsx";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";

// Columns of the related lists come from each record type's grid description (labels, code lists, dates).
const cols = (c: unknown) => c as ColDef[];
const CASE = fieldsFrom(cols(caseColumns), ["caseNumber", "type", "stage", "riskLevel", "dueFollowUp"]);
const APPOINTMENT = [
  { field: "start", kind: "datetime" as const },
  ...fieldsFrom(cols(appointmentColumns), ["kind", "status", "officeID", "room"]),
];
const REFERRAL = fieldsFrom(cols(referralColumns), [
  "referralNumber",
  "serviceCategory",
  "status",
  "deadline",
]);
const RELOCATION = fieldsFrom(cols(relocationColumns), ["destination.name", "earliestDate", "status"]);
const MEMBER = fieldsFrom(cols(individualColumns), [
  "givenName",
  "familyName",
  "registrationNumber",
  "sex",
  "dateOfBirth",
  "relationshipToHead",
]);
const q = encodeURIComponent;

/** An individual's page: their cases, appointments, referrals and their household's relocations (read-only, linked). */
export function IndividualPanel({ id, record, reload }: PanelProps) {
  const { t } = useI18n();
  const { may } = useMe();
  const householdID = record.householdID as string | undefined;
  return (
    <div className="work-surface">
      <div className="surface-actions">
        <EditDetails
          path="/api/individuals"
          id={id}
          record={record}
          columns={cols(individualColumns)}
          changes={IndividualChanges}
          action="individual.update"
          onSaved={reload}
        />
        <PrivacyActions id={id} record={record} />
      </div>
      {may("case.read") && (
        <RelatedSection
          id="person-cases"
          title={t("person.cases")}
          path={`/api/cases?individualID=${q(id)}&limit=1000`}
          columns={CASE}
          empty={t("person.noCases")}
          link={(r) => `/cases/${String(r.caseID)}`}
        />
      )}
      {may("appointment.read") && (
        <RelatedSection
          id="person-appointments"
          title={t("person.appointments")}
          path={`/api/appointments?individualID=${q(id)}&limit=1000`}
          sort={newestFirst}
          columns={APPOINTMENT}
          empty={t("person.none")}
          link={(r) => `/appointments/${String(r.appointmentID)}`}
        />
      )}
      {may("referral.read") && (
        <RelatedSection
          id="person-referrals"
          title={t("person.referrals")}
          path={`/api/referrals?individualID=${q(id)}&limit=1000`}
          columns={REFERRAL}
          empty={t("person.none")}
          link={(r) => `/referrals/${String(r.referralID)}`}
        />
      )}
      <PersonCommunity individualID={id} />
      <PrivacySections id={id} record={record} />
      <PersonMessages id={id} record={record} />
      {may("relocation.read") && householdID && (
        <RelatedSection
          id="person-relocations"
          title={t("person.relocations")}
          path={`/api/relocations?householdID=${q(householdID)}&limit=1000`}
          columns={RELOCATION}
          empty={t("person.none")}
          link={(r) => `/relocations/${String(r.relocationID)}`}
        />
      )}
    </div>
  );
}

/** A household's page: its members, cases and relocations (read-only, linked). */
export function HouseholdPanel({ id, record, reload }: PanelProps) {
  const { t } = useI18n();
  const { may } = useMe();
  return (
    <div className="work-surface">
      <div className="surface-actions">
        <EditDetails
          path="/api/households"
          id={id}
          record={record}
          columns={cols(householdColumns)}
          changes={HouseholdChanges}
          action="household.update"
          onSaved={reload}
        />
      </div>
      <RelatedSection
        id="household-members"
        title={t("person.members")}
        path={`/api/individuals?householdID=${q(id)}`}
        columns={MEMBER}
        empty={t("person.none")}
        link={(r) => `/individuals/${String(r.individualID)}`}
      />
      {may("case.read") && (
        <RelatedSection
          id="household-cases"
          title={t("person.cases")}
          path={`/api/cases?householdID=${q(id)}`}
          columns={CASE}
          empty={t("person.noCases")}
          link={(r) => `/cases/${String(r.caseID)}`}
        />
      )}
      {may("relocation.read") && (
        <RelatedSection
          id="household-relocations"
          title={t("person.relocations")}
          path={`/api/relocations?householdID=${q(id)}&limit=1000`}
          columns={RELOCATION}
          empty={t("person.none")}
          link={(r) => `/relocations/${String(r.relocationID)}`}
        />
      )}
    </div>
  );
}
