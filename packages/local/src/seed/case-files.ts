import { Actor, Assessment, Case, CaseDocument, Incident, Individual, Note, User, log } from "@waypoint/core";
import { VulnerabilityQuestions } from "@waypoint/schema";
import { DEMO_OPERATION, DEMO_PASSWORD, TAP } from "./foundation.ts";

type Person = { individualID: string; dateOfBirth?: string; estimatedAge?: number };

const staff = (u: User.Info, role: Actor.User["role"]): Actor.User => ({
  type: "user",
  userID: u.userID,
  email: u.email,
  operationID: DEMO_OPERATION.operationID,
  role,
  officeIDs: [TAP],
});

/** A second Best Interests panel member besides the supervisor (a BID needs two reviewers). */
async function panelMember(): Promise<User.Info> {
  const email = "panel@example.org";
  return (
    (await User.byEmail(email)) ??
    User.create({
      email,
      name: "Grace Mwangi (BID panel)",
      password: DEMO_PASSWORD,
      grants: [{ operationID: DEMO_OPERATION.operationID, role: "caseworker", officeIDs: [TAP] }],
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
export async function seedCaseFiles(cases: Case.Info[]) {
  const caseworker = await User.byEmail("caseworker@example.org");
  const supervisor = await User.byEmail("supervisor@example.org");
  if (!caseworker || !supervisor) return;
  const cw = staff(caseworker, "caseworker");
  const sup = staff(supervisor, "supervisor");
  const panel = staff(await panelMember(), "caseworker");
  const as = <R>(a: Actor.User, fn: () => Promise<R>) => Actor.provide(a, fn);

  const withPeople = cases.filter((c) => c.individualIDs.length > 0 && c.stage !== "open");
  for (const [i, c] of withPeople.entries()) {
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
  }

  await bestInterests(cw, sup, panel);

  const kinds = ["counselling", "follow_up", "phone_call", "home_visit", "general"] as const;
  const texts = [
    "Counselling on asylum procedure and rights; person understood next steps.",
    "Follow-up call: referral to legal aid confirmed, appointment next week.",
    "Phone call: no answer, message left with neighbour as agreed.",
    "Home visit: family settled, children enrolled in school.",
    "Case conference with supervisor; risk level reviewed.",
  ];
  for (const [i, c] of cases.slice(0, 24).entries())
    for (let k = 0; k <= i % 3; k++)
      await as(cw, () =>
        Note.create({ caseID: c.caseID, kind: kinds[(i + k) % 5], body: texts[(i + k) % 5]! }),
      );

  const restricted = cases.find((c) => c.restricted && c.stage !== "closed");
  const incidents = [
    {
      kind: "sgbv" as const,
      caseID: restricted?.caseID,
      individualIDs: restricted?.individualIDs ?? [],
      assignedTo: caseworker.userID,
      description: "Survivor disclosed an assault during transit; referred to medical and psychosocial care.",
    },
    {
      kind: "extortion" as const,
      individualIDs: cases[3]?.individualIDs ?? [],
      assignedTo: caseworker.userID,
      description: "Family reports repeated extortion demands near the bus terminal.",
    },
    {
      kind: "trafficking" as const,
      individualIDs: [],
      description:
        "Anonymous report of recruitment for forced labour; under supervisor review, not yet assigned.",
    },
  ];
  for (const [d, inc] of incidents.entries())
    await as(cw, () =>
      Incident.create({
        officeID: TAP,
        dateOfIncident: new Date(Date.now() - (d + 2) * 7 * 86_400_000).toISOString().slice(0, 10),
        adm1: "MX07",
        adm2: "MX07089",
        ...inc,
      }),
    );

  const docs = [
    ["consent_form", "Consent to share data", "consent.txt"],
    ["identity", "Copy of birth certificate", "birth-certificate.txt"],
    ["assessment_form", "Signed vulnerability form", "vulnerability-form.txt"],
    ["medical", "Medical certificate", "medical.txt"],
    ["legal", "COMAR appointment letter", "comar-letter.txt"],
  ] as const;
  for (const [i, [kind, title, fileName]] of docs.entries()) {
    const c = withPeople[i] ?? cases[i];
    if (!c) continue;
    await as(cw, () =>
      CaseDocument.upload({
        caseID: c.caseID,
        kind,
        title,
        fileName,
        contentType: "text/plain",
        content: new Uint8Array(Buffer.from(`Waypoint demo document: ${title}\n`)),
      }),
    );
  }
}

/** BIP cases for up to three children of the registry, each with its Best Interests assessments. */
async function bestInterests(cw: Actor.User, sup: Actor.User, panel: Actor.User) {
  const people = (await Individual.list({ officeID: TAP, limit: 500 } as never).catch(() => ({
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
        officeID: TAP,
        type: "bip",
        subType: "uasc",
        riskLevel: "high",
        assignedTo: cw.userID,
        individualIDs: [child.individualID],
        summary: "Best Interests Procedure for a separated child",
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
    const bia = await write("bia", "Child separated from parents in transit; living with an adult cousin.");
    if (i === 2) continue; // the BIA waits for a reviewer
    await approve(sup, bia, "Assessment complete; proceed to BID");
    let bid = await write("bid", "Family tracing done; placement with the aunt in Monterrey is recommended.");
    bid = await approve(sup, bid, "Agree with the recommendation");
    if (i === 0) await approve(panel, bid, "Agree; the child's views were heard"); // approved by a panel of two
  }
}
