import { Actor, Appointment, Case, Individual, Referral, User, log } from "@waypoint/core";
import { CaseStages, CaseTypes, CaseTransitions, type CaseStage, type CaseType } from "@waypoint/schema";
import { DEMO_OPERATION, DEMO_PARTNERS, TAP } from "./foundation.ts";
import { seedCaseFiles } from "./case-files.ts";

/** The path from `open` to a stage, one allowed step at a time (so demo cases obey the stage graph). */
const PATH: CaseStage[] = ["assessment", "case_plan", "implementation", "follow_up", "closed"];

/**
 * Demo case management for Tapachula: cases of every type in every stage (protection/BIP closures approved by
 * the supervisor first), referrals to the demo partners in every state, appointments over the next two weeks with
 * the Creole/French/Spanish interpreter; then the case files (assessments incl. BIA/BID, notes, incidents,
 * documents). Runs after the registry seeder and links people when there are any.
 */
export async function seedCases(): Promise<void> {
  await Actor.provide({ type: "system", reason: "seed", operationID: DEMO_OPERATION.operationID }, run);
}

async function run() {
  const caseworker = await User.byEmail("caseworker@example.org");
  const supervisor = await User.byEmail("supervisor@example.org");
  const interpreter = await User.byEmail("interpreter@example.org");
  const people = (await Individual.list({ officeID: TAP, limit: 60 } as never).catch(() => ({
    items: [],
  }))) as {
    items: { individualID: string }[];
  };
  const ids = people.items.map((p) => p.individualID);
  const personAt = (i: number) => (ids.length ? [ids[i % ids.length]!] : []);
  let i = 0;
  const cases = [];
  for (const type of CaseTypes as readonly CaseType[])
    for (const stage of CaseStages) {
      const subType =
        type === "protection" && i % 3 === 0
          ? ("sgbv" as const)
          : type === "bip"
            ? ("uasc" as const)
            : undefined;
      let c = await Case.create({
        officeID: TAP,
        type,
        subType,
        riskLevel: (["low", "medium", "high", "critical"] as const)[i % 4],
        assignedTo: caseworker?.userID,
        individualIDs: personAt(i),
        dueFollowUp: new Date(Date.now() + ((i % 20) - 5) * 86_400_000).toISOString().slice(0, 10),
      });
      for (const to of PATH.slice(0, PATH.indexOf(stage) + 1)) {
        if (!CaseTransitions[c.stage].includes(to)) break;
        if (to === "closed" && (type === "protection" || type === "bip")) {
          c = await Case.requestClosure({
            caseID: c.caseID,
            reason: "Case plan completed",
            version: c.version,
          });
          c = await Actor.provide(
            {
              type: "user",
              userID: supervisor!.userID,
              email: supervisor!.email,
              operationID: DEMO_OPERATION.operationID,
              role: "supervisor",
              officeIDs: [TAP],
            },
            () => Case.decideClosure({ caseID: c.caseID, approve: true, version: c.version }),
          );
        }
        c = await Case.transition({
          caseID: c.caseID,
          to,
          version: c.version,
          reason: to === "closed" ? "Case plan completed" : undefined,
        });
      }
      cases.push(c);
      i++;
    }

  // Referrals to the demo partners in every state.
  const outcomes = ["pending", "accepted", "declined", "completed", "withdrawn"] as const;
  for (const [k, status] of [...outcomes, ...outcomes].entries()) {
    const partner = DEMO_PARTNERS[k % DEMO_PARTNERS.length]!;
    let r = await Referral.create({
      officeID: TAP,
      caseID: cases[k]!.caseID,
      individualID: personAt(k)[0],
      toOrganisationID: partner.organisationID,
      serviceCategory: partner.services[0] as "legal",
      reason: "Referred for specialised follow-up",
      consent: {
        given: true,
        date: new Date().toISOString().slice(0, 10),
        scope: "share with service provider",
      },
      deadline: new Date(Date.now() + (k + 3) * 86_400_000).toISOString().slice(0, 10),
    });
    const step = async (outcome: "accept" | "decline" | "complete", note?: string) =>
      (r = await Referral.respond({ referralID: r.referralID, outcome, version: r.version, note }));
    if (status === "accepted" || status === "completed") await step("accept");
    if (status === "completed") await step("complete", "Service delivered");
    if (status === "declined") await step("decline", "No capacity this month");
    if (status === "withdrawn")
      await Referral.withdraw({ referralID: r.referralID, version: r.version, note: "Needs met elsewhere" });
  }

  // Appointments over the coming two weeks, some with the interpreter.
  const kinds = ["interview", "counselling", "briefing", "selection_mission"] as const;
  const langs = ["hat", "fra", "spa"];
  for (let d = 1; d <= 14; d++) {
    const date = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    for (let h = 0; h < 3; h++) {
      const start = `${date}T${String(15 + h).padStart(2, "0")}:00:00.000Z`;
      const end = `${date}T${String(15 + h).padStart(2, "0")}:45:00.000Z`;
      await Appointment.create({
        officeID: TAP,
        kind: kinds[(d + h) % kinds.length]!,
        caseID: cases[(d * 3 + h) % cases.length]!.caseID,
        room: `Sala ${h + 1}`,
        start,
        end,
        participants: personAt(d * 3 + h),
        staffIDs: caseworker ? [caseworker.userID] : [],
        ...(interpreter && h < 2
          ? { interpreterID: interpreter.userID, interpreterLanguage: langs[(d + h) % 3] }
          : {}),
      }).catch((err) => log.warn({ err: (err as Error).message }, "demo appointment skipped"));
    }
  }

  await seedCaseFiles(cases);
}
