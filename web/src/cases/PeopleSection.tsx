import type { ColDef } from "ag-grid-community";
import { CaseChanges, RefID } from "@waypoint/schema";
import { fieldsFrom } from "../components/formFields.ts";
import { useMe, useRecords } from "../components/lookups.ts";
import { patchOne } from "../components/patchOne.ts";
import { RelatedSection } from "../components/RelatedSection.tsx";
import { individualColumns } from "../domains/individuals.columns.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";

/** Key facts of a person, as the registry describes them (labels, code lists and dates from the grid's description). */
const FACTS = fieldsFrom(individualColumns as unknown as ColDef[], [
  "givenName",
  "familyName",
  "registrationNumber",
  "sex",
  "dateOfBirth",
  "nationality",
  "languages",
  "interpreterNeeded",
  "specificNeeds",
]);

/** The people of a case (or of a household): names linking to their pages, key facts, and their household. */
export function PeopleSection(props: {
  individualIDs: string[];
  householdID?: string;
  title?: string;
  /** The case whose people these are: someone allowed to change it may add a person, found by the picker. */
  case?: { caseID: string; version: number; onChanged: () => void; record: Record<string, unknown> };
}) {
  const { t } = useI18n();
  const { mayOn } = useMe();
  const kase = props.case;
  const people = useRecords("individuals", props.individualIDs);
  const households = useRecords("households", props.householdID ? [props.householdID] : []);
  const household = props.householdID ? households.get(props.householdID) : undefined;
  const items = props.individualIDs.flatMap((id) => (people.has(id) ? [people.get(id)!] : []));
  return (
    <RelatedSection
      id="case-people"
      title={props.title ?? t("case.people")}
      items={items}
      columns={FACTS}
      empty={t("case.noPeople")}
      link={(r) => `/individuals/${String(r.individualID)}`}
      onChanged={kase?.onChanged}
      add={
        kase && mayOn("case.update", kase.record)
          ? {
              label: t("case.linkPerson"),
              form: {
                schema: CaseChanges.extend({ individualID: RefID.individual }),
                fields: [{ field: "individualID", kind: "ref", ref: "individuals" }],
                transform: ({ individualID }) => ({
                  individualID,
                  individualIDs: [...props.individualIDs, individualID as string],
                }),
                fieldOfPath: (p) => (p.startsWith("individualIDs") ? "individualID" : undefined),
                send: ({ individualIDs }) =>
                  patchOne("/api/cases", kase.caseID, kase.version, { individualIDs }),
              },
            }
          : undefined
      }
    >
      {household && (
        <p>
          <a
            href={`/households/${props.householdID}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/households/${props.householdID}`);
            }}
          >
            {t("case.household", {
              number: String(household.registrationNumber),
              size: Number(household.size ?? 0),
            })}
          </a>
        </p>
      )}
    </RelatedSection>
  );
}
