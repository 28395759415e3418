import { Actor, Appointment, Case, Individual, Referral, User, log } from "@waypoint/core";
import { CaseStages, CaseTypes, CaseTransitions, type CaseStage, type CaseType } from "@waypoint/schema";
import { DEMO_OPERATION, DEMO_PARTNERS } from "./foundation.ts";
import { MEXICO_CASE_FILES, seedCaseFiles, type CaseFileSite } from "./case-files.ts";
import { always, type Once } from "./once.ts";

/** The path from `open` to a stage, one allowed step at a time (so demo cases obey the stage graph). */
const PATH: CaseStage[] = ["assessment", "case_plan", "implementation", "follow_up", "closed"];

/** One booked slot: `d` and `h` pick the kind, case and people of the appointment. */
export interface Slot {
  d: number;
  h: number;
  start: string;
  end: string;
  room: string;
}

/** Where demo casework happens: an office of an operation, its staff, partners and booking slots. */
export interface CaseSite extends CaseFileSite {
  /** Case types × stages to create, one case each. */
  types: readonly CaseType[];
  partners: { organisationID: string; services: string[] }[];
  /** How many referrals (outcomes in turn: pending, accepted, declined, completed, withdrawn). */
  referrals: number;
  slots: Slot[];
  interpreter?: { email: string; languages: string[] };
  appointmentKinds?: readonly ("interview" | "counselling" | "briefing" | "selection_mission")[];
  /** Registered people to link (default: the office's first 60 in the registry). */
  people?: string[];
  once?: Once;
}

/** Over the coming two weeks, three a morning (09:00–11:45 in Tapachula, written in UTC). */
function mexicoSlots(): Slot[] {
  const out: Slot[] = [];
  for (let d = 1; d <= 14; d++) {
    const date = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    for (let h = 0; h < 3; h++)
      out.push({
        d,
        h,
        start: `${date}T${String(15 + h).padStart(2, "0")}:00:00.000Z`,
        end: `${date}T${String(15 + h).padStart(2, "0")}:45:00.000Z`,
        room: `Sala ${h + 1}`,
      });
  }
  return out;
}

export const MEXICO_CASES = (): CaseSite => ({
  ...MEXICO_CASE_FILES,
  types: CaseTypes,
  partners: DEMO_PARTNERS,
  referrals: 10,
  slots: mexicoSlots(),
  interpreter: { email: "interpreter@example.org", languages: ["hat", "fra", "spa"] },
});

/**
 * Demo case management for Tapachula: cases of every type in every stage (protection/BIP closures approved by
 * the supervisor first), referrals to the demo partners in every state, appointments over the next two weeks with
 * the Creole/French/Spanish interpreter; then the case files (assessments incl. BIA/BID, notes, incidents,
 * documents). Runs after the registry seeder and links people when there are any.
 */
export async function seedCases(): Promise<void> {
  await Actor.provide({ type: "system", reason: "seed", operationID: DEMO_OPERATION.operationID }, () =>
    seedCasesAt(MEXICO_CASES()),
  );
}

/** The casework of one site (under a system actor of its operation); returns the cases made. */
export async function seedCasesAt(site: CaseSite): Promise<Case.Info[]> {
  const once = site.once ?? always;
  const caseworker = await User.byEmail(site.caseworker);
  const supervisor = await User.byEmail(site.supervisor);
  const interpreter = site.interpreter ? await User.byEmail(site.interpreter.email) : undefined;
  const ids =
    site.people ??
    (
      (await Individual.list({ officeID: site.officeID, limit: 60 } as never).catch(() => ({
        items: [],
      }))) as { items: { individualID: string }[] }
    ).items.map((p) => p.individualID);
  const personAt = (i: number) => (ids.length ? [ids[i % ids.length]!] : []);
  let i = 0;
  const cases: Case.Info[] = [];
  for (const type of site.types)
    for (const stage of CaseStages) {
      const n = i;
      const subType =
        type === "protection" && n % 3 === 0
          ? ("sgbv" as const)
          : type === "bip"
            ? ("uasc" as const)
            : undefined;
      cases.push(
        await once(`case:${n}`, async () => {
          let c = await Case.create({
            officeID: site.officeID,
            type,
            subType,
            riskLevel: (["low", "medium", "high", "critical"] as const)[n % 4],
            assignedTo: caseworker?.userID,
            individualIDs: personAt(n),
            dueFollowUp: new Date(Date.now() + ((n % 20) - 5) * 86_400_000).toISOString().slice(0, 10),
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
                  operationID: site.operationID,
                  role: "supervisor",
                  officeIDs: [site.officeID],
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
          return c;
        }),
      );
      i++;
    }

  // Referrals to the demo partners in every state.
  const outcomes = ["pending", "accepted", "declined", "completed", "withdrawn"] as const;
  if (site.partners.length)
    for (let k = 0; k < site.referrals; k++) {
      const status = outcomes[k % outcomes.length]!;
      await once(`referral:${k}`, async () => {
        const partner = site.partners[k % site.partners.length]!;
        let r = await Referral.create({
          officeID: site.officeID,
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
          await Referral.withdraw({
            referralID: r.referralID,
            version: r.version,
            note: "Needs met elsewhere",
          });
      });
    }

  // Appointments in the site's slots, some with the interpreter (a slot taken already is skipped: seeding again
  // books nothing twice).
  const kinds =
    site.appointmentKinds ?? (["interview", "counselling", "briefing", "selection_mission"] as const);
  const langs = site.interpreter?.languages ?? [];
  for (const { d, h, start, end, room } of site.slots)
    await once(`appointment:${start}:${room}`, () => book({ d, h, start, end, room }));
  async function book({ d, h, start, end, room }: Slot) {
    await Appointment.create({
      officeID: site.officeID,
      kind: kinds[(d + h) % kinds.length]!,
      caseID: cases[(d * 3 + h) % cases.length]!.caseID,
      room,
      start,
      end,
      participants: personAt(d * 3 + h),
      staffIDs: caseworker ? [caseworker.userID] : [],
      ...(interpreter && h < 2
        ? { interpreterID: interpreter.userID, interpreterLanguage: langs[(d + h) % langs.length] }
        : {}),
    }).catch((err) => log.warn({ err: (err as Error).message }, "demo appointment skipped"));
  }

  await seedCaseFiles(cases, site);
  return cases;
}
