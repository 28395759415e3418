import { Actor, Assessment, Case, CaseDocument, Incident, Individual, Note, User, log } from "@waypoint/core";
import { VulnerabilityQuestions } from "@waypoint/schema";
import { DEMO_OPERATION, DEMO_PASSWORD, TAP } from "./foundation.ts";
import { always, type Once } from "./once.ts";

type Person = { individualID: string; dateOfBirth?: string; estimatedAge?: number };
type IncidentKind = Parameters<typeof Incident.create>[0]["kind"];
type DocumentKind = Parameters<typeof CaseDocument.upload>[0]["kind"];

/** Where the case files are written: the office, its staff, its area and what its staff write. */
export interface CaseFileSite {
  operationID: string;
  officeID: string;
  caseworker: string;
  supervisor: string;
  /** A second Best Interests panel member besides the supervisor (a BID needs two reviewers); no BIP without. */
  panel?: { email: string; name: string };
  adm1?: string;
  adm2?: string;
  /** Note texts: counselling, follow-up, phone call, home visit, case conference. */
  notes?: string[];
  /** Incidents: on the first open restricted case, on case n, or on nobody; assigned to the caseworker or not. */
  incidents?: {
    kind: IncidentKind;
    on: "restricted" | number | "none";
    assigned: boolean;
    description: string;
  }[];
  documents?: (readonly [DocumentKind, string, string])[];
  /** What the BIP cases, BIAs, BIDs and their reviews say (default: Tapachula's, in English). */
  bip?: {
    summary: string;
    bia: string;
    bid: string;
    biaReview: string;
    bidReview: string;
    panelReview: string;
  };
  once?: Once;
}

const staff = (u: User.Info, role: Actor.User["role"], site: CaseFileSite): Actor.User => ({
  type: "user",
  userID: u.userID,
  email: u.email,
  operationID: site.operationID,
  role,
  officeIDs: [site.officeID],
});

/** A second Best Interests panel member besides the supervisor (a BID needs two reviewers). */
async function panelMember(site: CaseFileSite): Promise<User.Info> {
  const { email, name } = site.panel!;
  return (
    (await User.byEmail(email)) ??
    User.create({
      email,
      name,
      password: DEMO_PASSWORD,
      grants: [{ operationID: site.operationID, role: "caseworker", officeIDs: [site.officeID] }],
    })
  );
}

const age = (p: Person) =>
  p.dateOfBirth
    ? (Date.now() - Date.parse(`${p.dateOfBirth}T00:00:00Z`)) / (365.25 * 86_400_000)
    : (p.estimatedAge ?? 99);

/** Answers over the documented questionnaire: every fourth person in each band, so scores span all levels. */
function answers(i: number) {
  const worst = [0, 1, 2, 4][i % 4]!;
  return VulnerabilityQuestions.map((q, k) => {
    const options = Object.entries(q.points).sort((a, b) => b[1] - a[1]);
    const pick = ((k + i) % 8 < worst ? options[0] : options.at(-1))![0];
    return { questionID: q.questionID, answer: pick === "true" ? true : pick === "false" ? false : pick };
  });
}

/**
 * The case files of the demo cases: vulnerability assessments for most, BIA/BID for children (one BID approved by
 * a two-person panel, one waiting for its second reviewer, a BIA waiting for review), counselling and follow-up
 * notes, a few restricted protection incidents and documents with content in the local object store.
 */
const MEXICO_NOTES = [
  "Counselling on asylum procedure and rights; person understood next steps.",
  "Follow-up call: referral to legal aid confirmed, appointment next week.",
  "Phone call: no answer, message left with neighbour as agreed.",
  "Home visit: family settled, children enrolled in school.",
  "Case conference with supervisor; risk level reviewed.",
];
const MEXICO_INCIDENTS: NonNullable<CaseFileSite["incidents"]> = [
  {
    kind: "sgbv",
    on: "restricted",
    assigned: true,
    description: "Survivor disclosed an assault during transit; referred to medical and psychosocial care.",
  },
  {
    kind: "extortion",
    on: 3,
    assigned: true,
    description: "Family reports repeated extortion demands near the bus terminal.",
  },
  {
    kind: "trafficking",
    on: "none",
    assigned: false,
    description:
      "Anonymous report of recruitment for forced labour; under supervisor review, not yet assigned.",
  },
];
const MEXICO_DOCUMENTS = [
  ["consent_form", "Consent to share data", "consent.txt"],
  ["identity", "Copy of birth certificate", "birth-certificate.txt"],
  ["assessment_form", "Signed vulnerability form", "vulnerability-form.txt"],
  ["medical", "Medical certificate", "medical.txt"],
  ["legal", "COMAR appointment letter", "comar-letter.txt"],
] as const;
const MEXICO_BIP: NonNullable<CaseFileSite["bip"]> = {
  summary: "Best Interests Procedure for a separated child",
  bia: "Child separated from parents in transit; living with an adult cousin.",
  bid: "Family tracing done; placement with the aunt in Monterrey is recommended.",
  biaReview: "Assessment complete; proceed to BID",
  bidReview: "Agree with the recommendation",
  panelReview: "Agree; the child's views were heard",
};

/** Tapachula's case files. */
export const MEXICO_CASE_FILES: CaseFileSite = {
  operationID: DEMO_OPERATION.operationID,
  officeID: TAP,
  caseworker: "caseworker@example.org",
  supervisor: "supervisor@example.org",
  panel: { email: "panel@example.org", name: "Grace Mwangi (BID panel)" },
};

/**
 * The case files of the demo cases: vulnerability assessments for most, BIA/BID for children (one BID approved by
 * a two-person panel, one waiting for its second reviewer, a BIA waiting for review), counselling and follow-up
 * notes, a few restricted protection incidents and documents with content in the local object store. Without a
 * site: Tapachula's.
 */
export async function seedCaseFiles(cases: Case.Info[], site: CaseFileSite = MEXICO_CASE_FILES) {
  const once = site.once ?? always;
  const caseworker = await User.byEmail(site.caseworker);
  const supervisor = await User.byEmail(site.supervisor);
  if (!caseworker || !supervisor) return;
  const cw = staff(caseworker, "caseworker", site);
  const sup = staff(supervisor, "supervisor", site);
  const as = <R>(a: Actor.User, fn: () => Promise<R>) => Actor.provide(a, fn);

  const withPeople = cases.filter((c) => c.individualIDs.length > 0 && c.stage !== "open");
  for (const [i, c] of withPeople.entries())
    await once(`assessments:${c.caseID}`, async () => {
      const a = await as(cw, () =>
        Assessment.create({
          caseID: c.caseID,
          kind: "vulnerability",
          individualID: c.individualIDs[0],
          answers: answers(i),
        }),
      );
      if (i % 5 !== 4) await as(cw, () => Assessment.submit(a.assessmentID, a.version));
      if (i % 4 === 0)
        await as(cw, () =>
          Assessment.create({
            caseID: c.caseID,
            kind: "socio_economic",
            // the built-in socio-economic questionnaire (version 1) scores them
            answers: [
              { questionID: "income_source", answer: ["none", "aid", "informal", "formal"][i % 4]! },
              { questionID: "monthly_income", answer: 2500 + i * 300 },
              { questionID: "dependants", answer: 1 + (i % 5) },
              { questionID: "in_debt", answer: i % 3 === 0 },
              ...(i % 3 === 0 ? [{ questionID: "debt_amount", answer: 4000 + i * 100 }] : []),
            ],
          }),
        );
    });

  if (site.panel) {
    const panel = staff(await panelMember(site), "caseworker", site);
    await once("bip", () => bestInterests(site, cw, sup, panel));
  }

  const kinds = ["counselling", "follow_up", "phone_call", "home_visit", "general"] as const;
  const texts = site.notes ?? MEXICO_NOTES;
  for (const [i, c] of cases.slice(0, 24).entries())
    await once(`notes:${c.caseID}`, async () => {
      for (let k = 0; k <= i % 3; k++)
        await as(cw, () =>
          Note.create({ caseID: c.caseID, kind: kinds[(i + k) % 5], body: texts[(i + k) % 5]! }),
        );
    });

  const restricted = cases.find((c) => c.restricted && c.stage !== "closed");
  for (const [d, inc] of (site.incidents ?? MEXICO_INCIDENTS).entries()) {
    const on = inc.on === "restricted" ? restricted : inc.on === "none" ? undefined : cases[inc.on];
    await once(`incident:${d}`, () =>
      as(cw, () =>
        Incident.create({
          officeID: site.officeID,
          dateOfIncident: new Date(Date.now() - (d + 2) * 7 * 86_400_000).toISOString().slice(0, 10),
          adm1: site.adm1 ?? "MX07",
          adm2: site.adm2 ?? "MX07089",
          kind: inc.kind,
          ...(inc.on === "restricted" ? { caseID: on?.caseID } : {}),
          individualIDs: on?.individualIDs ?? [],
          ...(inc.assigned ? { assignedTo: caseworker.userID } : {}),
          description: inc.description,
        }),
      ),
    );
  }

  for (const [i, [kind, title, fileName]] of (site.documents ?? MEXICO_DOCUMENTS).entries()) {
    const c = withPeople[i] ?? cases[i];
    if (!c) continue;
    await once(`document:${i}`, () =>
      as(cw, () =>
        CaseDocument.upload({
          caseID: c.caseID,
          kind,
          title,
          fileName,
          contentType: "text/plain",
          content: new Uint8Array(Buffer.from(`Waypoint demo document: ${title}\n`)),
        }),
      ).then(() => undefined),
    );
  }
}

/** BIP cases for up to three children of the registry, each with its Best Interests assessments. */
async function bestInterests(site: CaseFileSite, cw: Actor.User, sup: Actor.User, panel: Actor.User) {
  const texts = site.bip ?? MEXICO_BIP;
  const people = (await Individual.list({ officeID: site.officeID, limit: 500 } as never).catch(() => ({
    items: [],
  }))) as {
    items: Person[];
  };
  const children = people.items.filter((p) => age(p) < 18).slice(0, 3);
  if (children.length === 0) return log.warn("no children in the demo registry: BIA/BID demo skipped");
  const as = <R>(a: Actor.User, fn: () => Promise<R>) => Actor.provide(a, fn);
  for (const [i, child] of children.entries()) {
    let c = await as(cw, () =>
      Case.create({
        officeID: site.officeID,
        type: "bip",
        subType: "uasc",
        riskLevel: "high",
        assignedTo: cw.userID,
        individualIDs: [child.individualID],
        summary: texts.summary,
      }),
    );
    c = await as(cw, () => Case.transition({ caseID: c.caseID, to: "assessment", version: c.version }));
    const write = (kind: "bia" | "bid", summary: string) =>
      as(cw, async () => {
        const a = await Assessment.create({
          caseID: c.caseID,
          kind,
          individualID: child.individualID,
          summary,
        });
        return Assessment.submit(a.assessmentID, a.version);
      });
    const approve = (reviewer: Actor.User, a: Assessment.Info, comment: string) =>
      as(reviewer, () =>
        Assessment.review({ assessmentID: a.assessmentID, decision: "approve", comment, version: a.version }),
      );
    const bia = await write("bia", texts.bia);
    if (i === 2) continue; // the BIA waits for a reviewer
    await approve(sup, bia, texts.biaReview);
    let bid = await write("bid", texts.bid);
    bid = await approve(sup, bid, texts.bidReview);
    if (i === 0) await approve(panel, bid, texts.panelReview); // approved by a panel of two
  }
}
