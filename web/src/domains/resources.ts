import type { ColDef } from "ag-grid-community";
import type { ComponentType } from "react";
import {
  AppointmentChanges,
  AppointmentCreate,
  CaseChanges,
  CaseCreate,
  HostChanges,
  HostCreate,
  HouseholdChanges,
  HouseholdCreate,
  IndividualChanges,
  IndividualCreate,
  PayeeChanges,
  PaymentChanges,
  PaymentCreate,
  ReferralChanges,
  ReferralCreate,
  RelocationChanges,
  RelocationCreate,
  ReturnChanges,
  ReturnCreate,
  SubmissionChanges,
  SubmissionCreate,
} from "@waypoint/schema";
import { z } from "zod";
import type { MessageKey } from "../i18n/messages.ts";
import { caseColumns } from "./cases.columns.ts";
import { householdColumns } from "./households.columns.ts";
import { individualColumns } from "./individuals.columns.ts";
import { appointmentColumns } from "./appointments.columns.ts";
import { batchColumns, paymentColumns } from "./payments.columns.ts";
import { referralColumns } from "./referrals.columns.ts";
import { relocationColumns, tripColumns } from "./relocation.columns.ts";
import { hostColumns, returnColumns, submissionColumns } from "./programmes.columns.ts";
import { HostPanel, ReturnPanel, type PanelProps } from "../programmes/ProgrammePanels.tsx";
import { SubmissionDesk } from "../resettlement/SubmissionDesk.tsx";
import { RelocationPanel } from "../relocation/RelocationPanel.tsx";
import { BatchPanel } from "../payments/BatchPanel.tsx";
import { BatchQueue } from "../payments/BatchQueue.tsx";
import { PaymentTools } from "../payments/PastePayments.tsx";
import { PayeePanel } from "../payments/PayeePanel.tsx";
import { PayeeTools } from "../payments/PayeeTools.tsx";
import { payeeColumns } from "./payees.columns.ts";
import type { Dataset } from "../grid/dataset.ts";
import { CasePanel } from "../cases/CasePanel.tsx";
import { AppointmentTools } from "../appointments/AppointmentTools.tsx";
import { HouseholdPanel, IndividualPanel } from "../cases/PersonPanels.tsx";

/** A collection the admin edits as a grid: where its API lives and how its rows look. */
export interface Resource {
  key: string;
  /** The permission (core/permissions.ts) needed to list these records: the menu shows only what the role can read. */
  readAction: string;
  /** The permissions to add and to change rows, when they are not `<read's prefix>.create` / `.update`. */
  createAction?: string;
  updateAction?: string;
  /** The permission to export the grid's view (core/viewexport); none: these rows are not exported from the grid. */
  exportAction?: "registry.export" | "report.export";
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
  /** Module-specific part of the record page (lifecycle actions, related lists). */
  panel?: ComponentType<PanelProps>;
  /** Actions of this collection beside the grid's own (create a payee by form, a batch from the selection…). */
  tools?: ComponentType<GridToolsProps>;
  /** Shown above the grid (an approver's batches waiting for them). */
  intro?: ComponentType;
}

/** What a collection's own grid actions can reach: its rows and the user's selection. */
export interface GridToolsProps {
  ds: Dataset;
  /** The selected rows, as the grid shows them (with staged edits). */
  selectedRows: () => Record<string, unknown>[];
}

// Each domain's columns are typed by its row; the registry holds them as plain ColDef.
const cols = <Row>(c: ColDef<Row>[]) => c as unknown as ColDef[];

export const resources: Resource[] = [
  {
    key: "individuals",
    readAction: "individual.read",
    exportAction: "registry.export",
    nav: "nav.individuals",
    group: "nav.registry",
    path: "/api/individuals",
    idField: "individualID",
    titleField: "registrationNumber",
    columns: cols(individualColumns),
    changes: IndividualChanges,
    create: IndividualCreate,
    officeField: "officeID",
    panel: IndividualPanel,
  },
  {
    key: "households",
    readAction: "household.read",
    exportAction: "registry.export",
    nav: "nav.households",
    group: "nav.registry",
    path: "/api/households",
    idField: "householdID",
    titleField: "registrationNumber",
    columns: cols(householdColumns),
    changes: HouseholdChanges,
    create: HouseholdCreate,
    officeField: "officeID",
    panel: HouseholdPanel,
  },
  {
    key: "cases",
    readAction: "case.read",
    exportAction: "registry.export",
    nav: "nav.cases",
    group: "nav.casework",
    path: "/api/cases",
    idField: "caseID",
    titleField: "caseNumber",
    columns: cols(caseColumns),
    changes: CaseChanges,
    create: CaseCreate,
    officeField: "officeID",
    panel: CasePanel,
  },
  {
    key: "referrals",
    readAction: "referral.read",
    exportAction: "registry.export",
    nav: "nav.referrals",
    group: "nav.casework",
    path: "/api/referrals",
    idField: "referralID",
    titleField: "referralNumber",
    columns: cols(referralColumns),
    changes: ReferralChanges,
    create: ReferralCreate,
    officeField: "officeID",
  },
  {
    key: "appointments",
    readAction: "appointment.read",
    exportAction: "registry.export",
    nav: "nav.appointments",
    group: "nav.casework",
    path: "/api/appointments",
    idField: "appointmentID",
    titleField: "appointmentID",
    columns: cols(appointmentColumns),
    changes: AppointmentChanges,
    create: AppointmentCreate,
    officeField: "officeID",
    tools: AppointmentTools,
  },
  {
    key: "payments",
    readAction: "payment.read",
    exportAction: "report.export",
    nav: "nav.payments",
    group: "nav.finance",
    path: "/api/payments",
    idField: "paymentID",
    titleField: "paymentID",
    columns: cols(paymentColumns),
    changes: PaymentChanges,
    create: PaymentCreate,
    tools: PaymentTools,
  },
  {
    key: "payees",
    readAction: "payee.read",
    createAction: "payee.update",
    exportAction: "report.export",
    nav: "nav.payees",
    group: "nav.finance",
    path: "/api/payees",
    idField: "payeeID",
    titleField: "name",
    columns: cols(payeeColumns),
    changes: PayeeChanges,
    officeField: "officeID",
    panel: PayeePanel,
    tools: PayeeTools,
  },
  {
    key: "payment-batches",
    readAction: "batch.read",
    updateAction: "batch.create",
    exportAction: "report.export",
    nav: "nav.payment-batches",
    group: "nav.finance",
    path: "/api/payment-batches",
    idField: "batchID",
    titleField: "batchNumber",
    columns: cols(batchColumns),
    changes: z.object({}),
    panel: BatchPanel,
    intro: BatchQueue,
  },
  {
    key: "relocation-trips",
    readAction: "relocation.read",
    createAction: "relocation.update",
    exportAction: "report.export",
    nav: "nav.relocation-trips",
    group: "nav.relocation",
    path: "/api/relocation-trips",
    idField: "tripID",
    titleField: "tripID",
    columns: cols(tripColumns),
    changes: z.object({}),
    officeField: "officeID",
  },
  {
    key: "relocations",
    readAction: "relocation.read",
    createAction: "relocation.update",
    exportAction: "report.export",
    nav: "nav.relocations",
    group: "nav.relocation",
    path: "/api/relocations",
    idField: "relocationID",
    titleField: "relocationID",
    columns: cols(relocationColumns),
    changes: RelocationChanges,
    create: RelocationCreate,
    officeField: "officeID",
    panel: RelocationPanel,
  },
  {
    key: "resettlement",
    readAction: "programme.read",
    createAction: "programme.update",
    updateAction: "programme.update",
    nav: "nav.resettlement",
    group: "nav.programmes",
    path: "/api/resettlement",
    idField: "submissionID",
    titleField: "submissionID",
    columns: cols(submissionColumns),
    changes: SubmissionChanges,
    create: SubmissionCreate,
    officeField: "officeID",
    panel: SubmissionDesk,
  },
  {
    key: "hosts",
    readAction: "programme.read",
    createAction: "programme.update",
    updateAction: "programme.update",
    nav: "nav.hosts",
    group: "nav.programmes",
    path: "/api/hosts",
    idField: "hostID",
    titleField: "name",
    columns: cols(hostColumns),
    changes: HostChanges,
    create: HostCreate,
    officeField: "officeID",
    panel: HostPanel,
  },
  {
    key: "returns",
    readAction: "programme.read",
    createAction: "programme.update",
    updateAction: "programme.update",
    nav: "nav.returns",
    group: "nav.programmes",
    path: "/api/returns",
    idField: "returnID",
    titleField: "returnID",
    columns: cols(returnColumns),
    changes: ReturnChanges,
    create: ReturnCreate,
    officeField: "officeID",
    panel: ReturnPanel,
  },
];

export const resourceByKey = (key: string) => resources.find((r) => r.key === key);

/** What the signed-in role may do with a grid's rows: an action it may not take is not offered. */
export function gridRights(me: { permissions?: string[] }, r: Resource) {
  const prefix = r.readAction.replace(/\.read$/, "");
  return {
    create: Boolean(r.create) && may(me, r.createAction ?? `${prefix}.create`),
    update: may(me, r.updateAction ?? `${prefix}.update`),
    export: Boolean(r.exportAction) && may(me, r.exportAction!),
  };
}

/** Whether the signed-in role may perform `action` (sessions from before permissions were sent: assume yes). */
export function may(me: { permissions?: string[] }, action: string): boolean {
  return !me.permissions || me.permissions.includes(action);
}

/**
 * Where a user lands: what waits for their role (an interpreter: their interviews; a supervisor: their queue; a
 * caseworker: their day; a finance approver: the batches page, their queue on top), otherwise the first list their
 * role can read.
 */
export function homeFor(me: { permissions?: string[]; role?: string }): string {
  if (me.role === "interpreter" && may(me, "appointment.interpret")) return "/interviews";
  if (me.role === "supervisor" && may(me, "case.approve")) return "/queue";
  if (me.role === "caseworker" && may(me, "case.read") && may(me, "appointment.read")) return "/today";
  if (me.role === "finance_approver" && may(me, "batch.approve")) return "/payment-batches";
  const first = resources.find((r) => may(me, r.readAction));
  return first ? `/${first.key}` : "/dashboard";
}
