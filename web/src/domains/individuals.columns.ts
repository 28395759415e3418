import type { ColDef } from "ag-grid-community";
import {
  IndividualChanges,
  LegalStatusLabels,
  RecordStatusLabels,
  RelationshipLabels,
  SexLabels,
  SpecificNeedsCodes,
  type IndividualInfo,
} from "@waypoint/schema";
import { columnsFor } from "../grid/fields.ts";
import { recordLink } from "../grid/RecordLink.tsx";
import { CountryLabels } from "../i18n/countries.ts";

const c = columnsFor<IndividualInfo>(IndividualChanges);

export const individualColumns: ColDef<IndividualInfo>[] = [
  c.readonly("registrationNumber", { cellRenderer: recordLink, pinned: "left", width: 190 }),
  c.text("givenName", { width: 150 }),
  c.text("familyName", { width: 150 }),
  c.enum("sex", SexLabels, { width: 120 }),
  c.date("dateOfBirth"),
  c.number("estimatedAge", { width: 120 }),
  c.enum("nationality", CountryLabels),
  c.enum("legalStatus", LegalStatusLabels),
  c.codes("specificNeeds", SpecificNeedsCodes),
  c.languages("languages"),
  c.bool("interpreterNeeded"),
  c.text("phone", { width: 160 }),
  c.household("householdID"),
  c.enum("relationshipToHead", RelationshipLabels),
  c.office("officeID"),
  c.code("adm1"),
  c.code("adm2"),
  c.enum("status", RecordStatusLabels, { width: 120 }),
  c.datetime("timeUpdated"),
];
