import { lazy, type ComponentType, type ReactNode } from "react";
import type { Session } from "../api/client.ts";
import { SsoAdminPage } from "./SecondFactor.tsx";
import { sfText } from "./secondFactorText.ts";
import { bookingText } from "../appointments/bookingText.ts";
import { fieldsText } from "../fields/fieldsText.ts";
import { operationsText } from "../admin/operationsText.ts";
import { qText } from "../questionnaires/questionnaireText.ts";
import { retentionText } from "../privacy/retentionText.ts";
import type { Lang } from "../i18n/messages.ts";
import { myAccountText } from "../accounts/myAccountText.ts";
import { intakeText } from "../intake/intakeText.ts";
import { messageText } from "../messages/messageText.ts";
import { accountText } from "../accounts/accountText.ts";
import { partnerText } from "../partners/partnerText.ts";
import { hostingText } from "../hosting/hostingText.ts";
import { returnsText } from "../returns/returnsText.ts";
import { relocText } from "../relocation/relocText.ts";
import { fbText } from "../feedback/feedbackText.ts";
import { rstText } from "../resettlement/rstText.ts";
import { hasQueue } from "../work/useQueue.ts";
import type { Office } from "./Shell.tsx";
import { communityText } from "../community/communityText.ts";

/**
 * Each page is its own chunk, fetched the first time it is opened (App.tsx shows a loading line meanwhile): the
 * bundle every screen waits for before its first paint holds only the shell, the grids and the record page.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function page<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}
const CalendarPage = page(() => import("../appointments/CalendarPage.tsx"), "CalendarPage");
const OperationsPage = page(() => import("../admin/OperationsPage.tsx"), "OperationsPage");
const CodeListsPage = page(() => import("../fields/CodeListsPage.tsx"), "CodeListsPage");
const FieldsPage = page(() => import("../fields/FieldsPage.tsx"), "FieldsPage");
const QuestionnairesPage = page(
  () => import("../questionnaires/QuestionnairesPage.tsx"),
  "QuestionnairesPage",
);
const RetentionPage = page(() => import("../privacy/RetentionPage.tsx"), "RetentionPage");
const StaffPage = page(() => import("../accounts/StaffPage.tsx"), "StaffPage");
const MyAccountPage = page(() => import("../accounts/MyAccountPage.tsx"), "MyAccountPage");
const MessagesOutboxPage = page(() => import("../messages/OutboxPage.tsx"), "MessagesOutboxPage");
const IntakePage = page(() => import("../intake/IntakePage.tsx"), "IntakePage");
const PartnersPage = page(() => import("../partners/PartnersPage.tsx"), "PartnersPage");
const HostingDesk = page(() => import("../hosting/HostingDesk.tsx"), "HostingDesk");
const ReturnsDesk = page(() => import("../returns/ReturnsDesk.tsx"), "ReturnsDesk");
const DayPage = page(() => import("../relocation/DayPage.tsx"), "DayPage");
const EligiblePage = page(() => import("../relocation/EligiblePage.tsx"), "EligiblePage");
const FollowUpsPage = page(() => import("../relocation/FollowUps.tsx"), "FollowUpsPage");
const DashboardPage = page(() => import("../reports/DashboardPage.tsx"), "DashboardPage");
const FeedbackPage = page(() => import("../feedback/FeedbackPage.tsx"), "FeedbackPage");
const MonitoringPage = page(() => import("../feedback/MonitoringPage.tsx"), "MonitoringPage");
const DataQualityPage = page(() => import("../reports/DataQualityPage.tsx"), "DataQualityPage");
const BipPage = page(() => import("../bip/BipPage.tsx"), "BipPage");
const MissionsPage = page(() => import("../resettlement/MissionsPage.tsx"), "MissionsPage");
const QuotasPage = page(() => import("../resettlement/QuotasPage.tsx"), "QuotasPage");
const CaseloadPage = page(() => import("../work/CaseloadPage.tsx"), "CaseloadPage");
const InterviewsPage = page(() => import("../work/InterviewsPage.tsx"), "InterviewsPage");
const QueuePage = page(() => import("../work/QueuePage.tsx"), "QueuePage");
const TodayPage = page(() => import("../work/TodayPage.tsx"), "TodayPage");
const ActivitiesPage = page(() => import("../community/ActivitiesPage.tsx"), "ActivitiesPage");
const EnquiriesPage = page(() => import("../community/EnquiriesPage.tsx"), "EnquiriesPage");
const ServicesPage = page(() => import("../community/ServicesPage.tsx"), "ServicesPage");

/** What a page gets from the shell. `id` is the second path segment (`/<key>/<id>`), if any. */
export interface PageContext {
  session: Session;
  offices: Office[];
  officeID: string | null;
  id?: string;
}

/**
 * The side-menu group a page sits in: a title key of the shared messages. Groups of registry grids
 * (`nav.relocation`, `nav.finance`, `nav.programmes`…) take pages too, after their grids.
 */
export type PageGroup =
  | "nav.work"
  | "nav.registry"
  | "nav.casework"
  | "nav.finance"
  | "nav.relocation"
  | "nav.programmes"
  | "nav.community"
  | "nav.reports"
  | "nav.admin";

/** Menu order: the role's work first, then the registry groups, then these. */
export const leadingGroups: PageGroup[] = ["nav.work"];
export const trailingGroups: PageGroup[] = ["nav.community", "nav.reports", "nav.admin"];

/**
 * A screen that is not a registry grid: the work surfaces, desks, reports and admin pages. Each module adds its
 * entry here (one line per page); the router and the side menu read this list, so a page the role may not use is
 * neither routed to nor offered.
 */
export interface PageDef {
  /** First path segment: `/queue`, `/operations/<id>`. */
  key: string;
  group: PageGroup;
  /** The menu label in the user's language (`t` for keys of the shared messages). */
  label: (lang: Lang, t: (key: never) => string) => string;
  /** Whether the signed-in role may use the page; `may(action)` reads the session's permissions. */
  shown: (may: (action: string) => boolean, me: Session["me"]) => boolean;
  /** Pages reachable by URL only (a record screen opened from a list) set this to keep them out of the menu. */
  hidden?: boolean;
  render: (ctx: PageContext) => ReactNode;
}

const tr = (key: string) => (_lang: Lang, t: (key: never) => string) => t(key as never);

export const pages: PageDef[] = [
  {
    key: "staff",
    group: "nav.admin",
    label: (lang) => accountText(lang, "staff.title"),
    shown: (may) => may("user.manage"),
    render: (c) => <StaffPage session={c.session} offices={c.offices} id={c.id} />,
  },
  {
    key: "outbox",
    group: "nav.community",
    label: (lang) => messageText(lang, "msg.outbox"),
    // messages to people (SMS, WhatsApp) for those who read them; admins also see a local instance's e-mails
    shown: (may) => may("message.read") || may("user.manage"),
    render: (c) => <MessagesOutboxPage offices={c.offices} officeID={c.officeID} />,
  },
  {
    key: "intake",
    group: "nav.community",
    label: (lang) => intakeText(lang, "in.title"),
    // partners' KoboToolbox submissions: every answer kept, edits and their review, CSV exports
    shown: (may) => may("intake.read"),
    render: () => <IntakePage />,
  },
  {
    key: "operations",
    group: "nav.admin",
    label: (lang) => operationsText(lang, "ops.title"),
    shown: (may) => may("operation.manage"),
    render: (c) => <OperationsPage id={c.id} />,
  },
  {
    key: "questionnaires",
    group: "nav.admin",
    label: (lang) => qText(lang, "q.title"),
    shown: (may) => may("questionnaire.manage"),
    render: () => <QuestionnairesPage />,
  },
  {
    key: "retention",
    group: "nav.admin",
    label: (lang) => retentionText(lang, "ret.title"),
    shown: (may) => may("retention.manage"),
    render: () => <RetentionPage />,
  },
  {
    key: "fields",
    group: "nav.admin",
    label: (lang) => fieldsText(lang, "fields.title"),
    shown: (may) => may("field.manage"),
    render: () => <FieldsPage />,
  },
  {
    key: "code-lists",
    group: "nav.admin",
    label: (lang) => fieldsText(lang, "lists.title"),
    shown: (may) => may("field.manage"),
    render: (c) => <CodeListsPage id={c.id} />,
  },
  {
    key: "today",
    group: "nav.work",
    label: tr("nav.today"),
    shown: (may) => may("case.read") && may("case.transition") && may("appointment.read"),
    render: (c) => <TodayPage officeID={c.officeID} />,
  },
  {
    key: "queue",
    group: "nav.work",
    label: tr("nav.queue"),
    shown: (may) => hasQueue(may),
    render: () => <QueuePage />,
  },
  {
    key: "caseload",
    group: "nav.work",
    label: tr("nav.caseload"),
    shown: (may) => may("case.approve"),
    render: (c) => <CaseloadPage officeID={c.officeID} />,
  },
  {
    key: "interviews",
    group: "nav.work",
    label: tr("nav.interviews"),
    shown: (may) => may("appointment.interpret"),
    render: () => <InterviewsPage />,
  },
  {
    key: "calendar",
    group: "nav.work",
    label: (lang) => bookingText(lang, "calendar.title"),
    shown: (may) => may("appointment.read"),
    render: (c) => <CalendarPage officeID={c.officeID} />,
  },
  {
    key: "hosting-desk",
    group: "nav.programmes",
    label: (lang) => hostingText(lang, "h.title"),
    shown: (may) => may("programme.read") || may("payment.create"),
    render: (c) => <HostingDesk officeID={c.officeID} />,
  },
  {
    key: "returns-desk",
    group: "nav.programmes",
    label: (lang) => returnsText(lang, "r.title"),
    shown: (may) => may("programme.read"),
    render: (c) => <ReturnsDesk officeID={c.officeID} />,
  },
  {
    key: "dashboard",
    group: "nav.reports",
    label: tr("nav.dashboard"),
    shown: (may) => may("report.read"),
    render: (c) => <DashboardPage offices={c.offices} officeID={c.officeID} />,
  },
  {
    key: "data-quality",
    group: "nav.reports",
    label: tr("nav.data-quality"),
    shown: (may) => may("report.read"),
    render: (c) => <DataQualityPage offices={c.offices} officeID={c.officeID} />,
  },
  {
    key: "partners",
    group: "nav.admin",
    label: (lang) => partnerText(lang, "title"),
    shown: (may) => may("organisation.manage"),
    render: (c) => <PartnersPage session={c.session} id={c.id} />,
  },
  {
    key: "sign-in",
    group: "nav.admin",
    label: (lang) => sfText(lang, "ssoAdmin.title"),
    shown: (may) => may("user.manage"),
    render: (c) => <SsoAdminPage offices={c.offices} />,
  },
  {
    key: "quotas",
    group: "nav.programmes",
    label: (lang) => rstText(lang, "nav.quotas"),
    shown: (may) => may("programme.read"),
    render: () => <QuotasPage />,
  },
  {
    key: "missions",
    group: "nav.programmes",
    label: (lang) => rstText(lang, "nav.missions"),
    shown: (may) => may("programme.read"),
    render: (c) => <MissionsPage officeID={c.officeID} id={c.id} />,
  },
  {
    key: "bip",
    group: "nav.programmes",
    label: (lang) => rstText(lang, "nav.bip"),
    shown: (may) => may("assessment.read"),
    render: (c) => <BipPage officeID={c.officeID} id={c.id} />,
  },
  {
    key: "relocation-eligible",
    group: "nav.relocation",
    label: (lang) => relocText(lang, "nav.eligible"),
    shown: (may) => may("relocation.update") && may("household.read"),
    render: (c) => <EligiblePage officeID={c.officeID} />,
  },
  {
    key: "relocation-day",
    group: "nav.relocation",
    label: (lang) => relocText(lang, "nav.day"),
    shown: (may) => may("relocation.read"),
    render: (c) => <DayPage offices={c.offices} officeID={c.officeID} tripID={c.id} />,
  },
  {
    key: "relocation-follow-ups",
    group: "nav.relocation",
    label: (lang) => relocText(lang, "nav.followUps"),
    shown: (may) => may("relocation.read"),
    render: (c) => <FollowUpsPage officeID={c.officeID} />,
  },
  {
    key: "activities",
    group: "nav.community",
    label: (lang) => communityText(lang, "act.title"),
    shown: (may) => may("activity.read"),
    render: (c) => <ActivitiesPage officeID={c.officeID} id={c.id} />,
  },
  {
    key: "enquiries",
    group: "nav.community",
    label: (lang) => communityText(lang, "enq.title"),
    shown: (may) => may("enquiry.read"),
    render: (c) => <EnquiriesPage officeID={c.officeID} />,
  },
  {
    key: "services",
    group: "nav.community",
    label: (lang) => communityText(lang, "svc.title"),
    shown: (may) => may("service.read"),
    render: () => <ServicesPage />,
  },
  {
    key: "feedback",
    group: "nav.community",
    label: (lang) => fbText(lang, "fb.title"),
    shown: (may) => may("feedback.read"),
    render: (c) => <FeedbackPage officeID={c.officeID} id={c.id} />,
  },
  {
    key: "protection-monitoring",
    group: "nav.reports",
    label: (lang) => fbText(lang, "pm.title"),
    shown: (may) => may("incident.monitor"),
    render: (c) => <MonitoringPage offices={c.offices} officeID={c.officeID} />,
  },
  {
    key: "account",
    group: "nav.work",
    label: (lang) => myAccountText(lang, "my.title"),
    // everyone's own account: the second factor (on, off where the role allows)
    shown: () => true,
    render: () => <MyAccountPage />,
  },
];

export const pageByKey = (key: string) => pages.find((p) => p.key === key);
