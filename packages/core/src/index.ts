export { config, resetConfig } from "./config.ts";
export { Table, keyAttributes } from "./table.ts";
export { buildAllEntities, resetEntities } from "./common/entity.ts";
export { dynamoClient, documentClient } from "./dynamo.ts";
export * from "./common/errors.ts";
export { Identifier } from "./common/id.ts";
export { log } from "./common/log.ts";
export { Actor } from "./actor.ts";
export {
  PermissionTable,
  Actions,
  RestrictedRoles,
  scopeFor,
  actionsOf,
  type Action,
  type Scope,
} from "./permissions.ts";
export { Audit } from "./audit/index.ts";
export { Operation } from "./operation/index.ts";
export { User } from "./user/index.ts";
export { Organisation } from "./organisation/index.ts";
export { Auth } from "./auth/index.ts";
export { Session, SessionEndedError } from "./auth/session.ts";
export { SignInGuard } from "./auth/guard.ts";
export { Accounts } from "./user/accounts.ts";
export { Mail } from "./mail/index.ts";
export { Health } from "./health.ts";
export { writeVersioned, bulk, rowFailure } from "./common/record.ts";
export { Cursor } from "./common/cursor.ts";
export { transactWrite, nowIso, type TxItem } from "./common/db.ts";
export { fn, toFieldIssues } from "./common/fn.ts";
export { mapLimit } from "./common/concurrency.ts";
export { Unique } from "./common/unique.ts";
export { Idempotency, canonicalJson } from "./idempotency/index.ts";
export { RateLimit } from "./ratelimit/index.ts";
export { Case } from "./case/index.ts";
export { Assessment } from "./assessment/index.ts";
export { Note } from "./note/index.ts";
export { CaseDocument } from "./document/index.ts";
export { Incident } from "./incident/index.ts";
export { ProtectionMonitoring } from "./incident/monitoring.ts";
export { Feedback } from "./feedback/index.ts";
export { Resettlement } from "./resettlement/index.ts";
export { Quota } from "./resettlement/quota.ts";
export { BestInterests } from "./bip/index.ts";
export { Hosting } from "./hosting/index.ts";
export { Reintegration } from "./reintegration/index.ts";
export { Referral } from "./referral/index.ts";
export { Individual } from "./individual/index.ts";
export { Household } from "./household/index.ts";
export { RecordNames } from "./names/index.ts";
export { Dedupe, DuplicateError } from "./dedupe/index.ts";
export { RegistrationNumber } from "./individual/number.ts";
export { redact, HiddenFields } from "./individual/redact.ts";
export { Appointment } from "./appointment/index.ts";
export { Relocation, RelocationTrip } from "./relocation/index.ts";
export { RelocationTasks } from "./relocation/tasks.ts";
export { Workflows, Execution } from "./workflows/index.ts";
export { Intake } from "./intake/index.ts";
export { Webhook } from "./webhook/index.ts";
export { Job } from "./job/index.ts";
export { SavedViews } from "./view/index.ts";
export { CallAudit } from "./common/call-audit.ts";
export * from "./payments.ts";
export { RecordAudit } from "./audit/targets.ts";
export { Supervision } from "./supervision/index.ts";
export { Interpreting } from "./interpreting/index.ts";
export { ViewExport } from "./viewexport/index.ts";
export { Report } from "./report/index.ts";
export { Privacy } from "./privacy/index.ts";
export { Activity } from "./activity/index.ts";
export { Enquiry, Leads } from "./enquiry/index.ts";
export { Service } from "./service/index.ts";
export { Questionnaire } from "./questionnaire/index.ts";
export { Fields } from "./fields/index.ts";
export { FieldValues } from "./fields/values.ts";
export { CodeLists } from "./codelist/index.ts";
export { Retention } from "./retention/index.ts";
export { Messages } from "./message/index.ts";
