import type { ColDef } from "ag-grid-community";
import { HouseholdChanges, HouseholdCreate, IndividualChanges, IndividualCreate } from "@waypoint/schema";
import { CaseChanges, CaseCreate } from "@waypoint/schema/cases";
import type { z } from "zod";
import type { MessageKey } from "../i18n/messages.ts";
import { caseColumns } from "./cases.columns.ts";
import { householdColumns } from "./households.columns.ts";
import { individualColumns } from "./individuals.columns.ts";

/** A collection the admin edits as a grid: where its API lives and how its rows look. */
export interface Resource {
  key: string;
  nav: MessageKey;
  group: MessageKey;
  path: string;
  idField: string;
  /** Field shown as the record's title on its page. */
  titleField: string;
  columns: ColDef[];
  changes: z.ZodObject;
  create?: z.ZodType;
  /** The list filter the office switcher maps to; empty when records have no office. */
  officeField?: string;
}

// Each domain's columns are typed by its row; the registry holds them as plain ColDef.
const cols = <Row>(c: ColDef<Row>[]) => c as unknown as ColDef[];

export const resources: Resource[] = [
  {
    key: "individuals",
    nav: "nav.individuals",
    group: "nav.registry",
    path: "/api/individuals",
    idField: "individualID",
    titleField: "registrationNumber",
    columns: cols(individualColumns),
    changes: IndividualChanges,
    create: IndividualCreate,
    officeField: "officeID",
  },
  {
    key: "households",
    nav: "nav.households",
    group: "nav.registry",
    path: "/api/households",
    idField: "householdID",
    titleField: "registrationNumber",
    columns: cols(householdColumns),
    changes: HouseholdChanges,
    create: HouseholdCreate,
    officeField: "officeID",
  },
  {
    key: "cases",
    nav: "nav.cases",
    group: "nav.casework",
    path: "/api/cases",
    idField: "caseID",
    titleField: "caseNumber",
    columns: cols(caseColumns),
    changes: CaseChanges,
    create: CaseCreate,
    officeField: "officeID",
  },
];

export const resourceByKey = (key: string) => resources.find((r) => r.key === key);
