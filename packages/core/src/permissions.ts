import type { Role } from "@waypoint/schema/common";

/**
 * The one permission table: role × action → scope. Core operations check it through `Actor.assert`; the
 * permission test matrix reads it too, so a change here is a change to what the tests expect.
 *
 * Scopes: `own` = records assigned to or created by the user; `office` = records of the user's offices;
 * `operation` = every record of the operation. A missing entry means refused.
 */
export type Scope = "own" | "office" | "operation";

export const RegistryResources = [
  "individual",
  "household",
  "case",
  "assessment",
  "referral",
  "appointment",
  "note",
  "document",
  "incident",
] as const;
export type RegistryResource = (typeof RegistryResources)[number];

export const Actions = [
  ...RegistryResources.flatMap((r) => [`${r}.read`, `${r}.create`, `${r}.update`, `${r}.delete`] as const),
  "case.transition",
  "case.approve",
  "case.assign",
  "assessment.review",
  // an interpreter's own bookings, as their view: names, languages, time and place only (core/interpreting)
  "appointment.interpret",
  "registry.import",
  "registry.export",
  "duplicate.override",
  "audit.read",
  // names and roles of the operation's staff (who a case is assigned to): everyone on its staff
  "user.read",
  "user.manage",
  "office.manage",
  // open a new country operation (its creator becomes its admin) / change an operation, import its areas
  "operation.create",
  "operation.manage",
  "organisation.manage",
  "payee.read",
  "payee.update",
  "account.viewFull",
  "payment.read",
  "payment.create",
  "payment.update",
  // cash for protection asked for on a case (a draft payment), and a supervisor's decision on it (payment/request.ts)
  "payment.request",
  "payment.authorise",
  "batch.read",
  "batch.create",
  "batch.submit",
  "batch.approve",
  "batch.export",
  "batch.reconcile",
  "batch.cancel",
  "relocation.read",
  "relocation.update",
  "relocation.plan",
  // export the people-relocated report (a KPI of the relocation team: DUTIES.md, Mexico 14), without report.export
  "relocation.report",
  "programme.read",
  "programme.update",
  "programme.review",
  "report.read",
  "report.export",
  "intake.read",
  "intake.manage",
  // data protection (packages/core/src/privacy): erasure on request, subject access, retention policies
  "individual.erase",
  "individual.subjectAccess",
  "retention.manage",
  // messages to people (core/message): send reminders and notices, read them, write the templates
  "message.send",
  "message.read",
  "message.template",
  // shape the operation's questionnaires (new versions, skip conditions, weights, publishing): admins
  "questionnaire.manage",
  // configured fields and code lists (core/fields, core/codelist): define them / read the definitions
  "field.manage",
  "field.read",
  // feedback and complaints (core/feedback); sensitive categories are seen by the operation's focal points only
  "feedback.read",
  "feedback.create",
  "feedback.update",
  // the operation's complaint focal points and deadlines by category
  "feedback.manage",
  // protection monitoring: counts of incidents by kind, place, sex, age, month and perpetrator (never narratives)
  "incident.monitor",
  // working with communities (activity, enquiry, service): sessions and trainings with attendance, the enquiry
  // log (with the interest form's leads), the service directory and the programme's FAQ
  "activity.read",
  "activity.record",
  "enquiry.read",
  "enquiry.record",
  "service.read",
  "service.manage",
  "faq.manage",
] as const;
export type Action = (typeof Actions)[number];

type Grants = Partial<Record<Action, Scope>>;

const all = (resources: readonly string[], verbs: readonly string[], scope: Scope): Grants =>
  Object.fromEntries(resources.flatMap((r) => verbs.map((v) => [`${r}.${v}`, scope]))) as Grants;

const registry = RegistryResources.filter((r) => r !== "incident");
/** What every role may know of its colleagues: their names and roles (never e-mail or status). */
const colleagues: Grants = {
  "user.read": "operation",
  // and the operation's configured field definitions and code lists (labels, not values): every screen draws them
  "field.read": "operation",
};
const crud = ["read", "create", "update", "delete"];
/** Frontline work with communities: record sessions and enquiries of the scope's offices, read the whole directory. */
const community = (scope: Scope): Grants => ({
  "activity.read": scope,
  "activity.record": scope,
  "enquiry.read": scope,
  "enquiry.record": scope,
  "service.read": "operation",
});

export const PermissionTable: Record<Role, Grants> = {
  admin: {
    ...colleagues,
    ...community("operation"),
    "service.manage": "operation",
    "faq.manage": "operation",
    ...all(RegistryResources, crud, "operation"),
    "case.transition": "operation",
    "case.assign": "operation",
    "registry.import": "operation",
    "registry.export": "operation",
    "duplicate.override": "operation",
    "audit.read": "operation",
    "user.manage": "operation",
    "office.manage": "operation",
    "operation.create": "operation",
    "operation.manage": "operation",
    "organisation.manage": "operation",
    "intake.read": "operation",
    "intake.manage": "operation",
    "payee.read": "operation",
    "payment.read": "operation",
    "batch.read": "operation",
    "relocation.read": "operation",
    "relocation.update": "operation",
    "relocation.plan": "operation",
    "relocation.report": "operation",
    "programme.read": "operation",
    "programme.update": "operation",
    "report.read": "operation",
    "report.export": "operation",
    "individual.subjectAccess": "operation",
    "retention.manage": "operation",
    "message.send": "operation",
    "message.read": "operation",
    "message.template": "operation",
    "questionnaire.manage": "operation",
    "field.manage": "operation",
    "feedback.read": "operation",
    "feedback.create": "operation",
    "feedback.update": "operation",
    "feedback.manage": "operation",
    "incident.monitor": "operation",
  },
  supervisor: {
    ...colleagues,
    ...community("office"),
    "service.manage": "operation",
    ...all(RegistryResources, crud, "office"),
    "case.transition": "office",
    "case.approve": "office",
    "case.assign": "office",
    "assessment.review": "office",
    "registry.import": "office",
    "registry.export": "office",
    "duplicate.override": "office",
    "audit.read": "office",
    "individual.erase": "office",
    "individual.subjectAccess": "office",
    // identification leads and Kobo submissions arrive for the whole operation, before any office owns them
    "intake.read": "operation",
    "message.send": "office",
    "message.read": "office",
    "payee.read": "office",
    "payment.read": "office",
    "payment.create": "office",
    "payment.request": "office",
    "payment.authorise": "office",
    "relocation.read": "office",
    "relocation.update": "office",
    "relocation.plan": "office",
    "relocation.report": "office",
    "programme.read": "office",
    "programme.update": "office",
    "programme.review": "office",
    "report.read": "office",
    "report.export": "office",
    "feedback.read": "office",
    "feedback.create": "office",
    "feedback.update": "office",
    "incident.monitor": "office",
  },
  caseworker: {
    ...colleagues,
    ...community("office"),
    ...all(registry, ["read"], "office"),
    ...all(registry, ["create", "update"], "office"),
    "incident.read": "own",
    "incident.create": "office",
    "incident.update": "own",
    "case.transition": "own",
    "assessment.review": "office",
    "payment.request": "office",
    "registry.export": "own",
    "intake.read": "operation",
    "message.send": "office",
    "message.read": "office",
    "relocation.read": "office",
    "relocation.update": "office",
    "relocation.report": "office",
    "programme.read": "office",
    "programme.update": "office",
    "report.read": "office",
    "feedback.read": "office",
    "feedback.create": "office",
    "feedback.update": "office",
  },
  finance: {
    ...colleagues,
    "individual.read": "operation",
    "household.read": "operation",
    "case.read": "operation",
    "payee.read": "operation",
    "payee.update": "operation",
    "account.viewFull": "operation",
    "payment.read": "operation",
    "payment.create": "operation",
    "payment.update": "operation",
    "batch.read": "operation",
    "batch.create": "operation",
    "batch.submit": "operation",
    "batch.export": "operation",
    "batch.reconcile": "operation",
    "batch.cancel": "operation",
    "report.read": "operation",
    "report.export": "operation",
  },
  finance_approver: {
    ...colleagues,
    "payee.read": "operation",
    "account.viewFull": "operation",
    "payment.read": "operation",
    "batch.read": "operation",
    "batch.approve": "operation",
    "batch.cancel": "operation",
    "report.read": "operation",
  },
  viewer: {
    ...colleagues,
    "activity.read": "office",
    "enquiry.read": "office",
    "service.read": "operation",
    ...all(
      registry.filter((r) => r !== "note" && r !== "document"),
      ["read"],
      "office",
    ),
    "relocation.read": "office",
    "programme.read": "office",
    "report.read": "office",
  },
  interpreter: {
    ...colleagues,
    // not appointment.read: an interpreter sees their interviews through their own view, never whole appointments
    "appointment.interpret": "own",
  },
};

/** Every action the role may perform, in any scope (what the UI shows; core still checks each call). */
export function actionsOf(role: Role): Action[] {
  return Object.keys(PermissionTable[role]) as Action[];
}

/** How far each of the role's actions reaches, so the UI can leave out a button the record is out of reach of. */
export function scopesOf(role: Role): Partial<Record<Action, Scope>> {
  return { ...PermissionTable[role] };
}

export function scopeFor(role: Role, action: Action): Scope | undefined {
  return PermissionTable[role][action];
}

/**
 * Record types whose existence alone can endanger someone (SGBV, trafficking, child protection incidents). Only
 * staff assigned to the record and these roles may see them, whatever the table above says; every read is audited.
 */
export const RestrictedRoles: readonly Role[] = ["supervisor"];
