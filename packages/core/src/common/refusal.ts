/**
 * A refusal in plain English for the problem's `detail`: what the role may not do, never the permission code
 * (`programme.review`). The code travels separately (`ForbiddenError.action`, the problem's `action`), so a client
 * can say it in its user's language (the web app: `refused.*` messages).
 */
const NOUNS: Record<string, string> = {
  individual: "people's records",
  household: "households",
  case: "cases",
  assessment: "assessments",
  referral: "referrals",
  appointment: "appointments",
  note: "case notes",
  document: "case documents",
  incident: "incidents",
  audit: "record histories",
  payee: "payees",
  payment: "payments",
  batch: "payment batches",
  relocation: "relocations",
  programme: "programme records (resettlement, hosting, reintegration)",
  report: "reports",
  intake: "intake leads and partner submissions",
  user: "staff accounts",
  office: "offices",
  organisation: "partner organisations",
  activity: "group activities and trainings",
  enquiry: "enquiries",
  service: "the service directory",
  faq: "the programme's questions and answers",
  questionnaire: "questionnaires",
};

const VERBS: Record<string, string> = {
  read: "see",
  create: "create",
  update: "change",
  delete: "delete",
  transition: "move the stage of",
  approve: "approve",
  review: "review",
  submit: "submit",
  export: "export",
  reconcile: "reconcile",
  cancel: "cancel",
  plan: "plan",
  manage: "manage",
  import: "import",
  record: "record",
};

/** Whole sentences where "may not <verb> <noun>" would read badly. */
const SENTENCES: Record<string, string> = {
  "case.approve": "Only a supervisor of the case's office may approve or reject a case closure.",
  "registry.import": "Your role may not import records into the registry.",
  "registry.export": "Your role may not export these records.",
  "duplicate.override": "Your role may not register someone who looks like a person already registered.",
  "account.viewFull": "Your role may not see full account details.",
  "relocation.plan": "Your role may not plan relocation trips.",
  "report.export": "Your role may not export reports.",
};

export function refusalSentence(action: string): string {
  if (SENTENCES[action]) return SENTENCES[action];
  const [area = "", verb = ""] = action.split(".");
  const noun = NOUNS[area];
  if (noun && VERBS[verb]) return `Your role may not ${VERBS[verb]} ${noun}.`;
  if (noun) return `Your role may not do this with ${noun}.`;
  return "Your role may not do this.";
}
