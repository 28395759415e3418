import { Actor, Household, Intake, Relocation, RelocationTasks, RelocationTrip, log } from "@waypoint/core";
import { DEMO_OFFICES, DEMO_OPERATION } from "./foundation.ts";

const TAP = DEMO_OFFICES[0]!.officeID;
const TEN = DEMO_OFFICES[1]!.officeID;
const CITIES = [
  { adm: "MX19039", name: "Monterrey" },
  { adm: "MX05030", name: "Saltillo" },
  { adm: "MX14039", name: "Guadalajara" },
];
const TERMINALS: Record<string, string> = {
  [TAP]: "Terminal OCC Tapachula",
  [TEN]: "Terminal ADO Tenosique",
};
const READY = { documents: true, medical: true, briefingAttended: true, consent: true };

const at = (days: number, hour: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};
const date = (days: number) => at(days, 0).slice(0, 10);

/**
 * The local integration programme: buses from the Tapachula and Tenosique terminals to Monterrey, Saltillo and
 * Guadalajara. Two past months of departures (for the monthly report), a schedule for the coming weeks filled by
 * the planner, and households at every stage. Only households with a confirmed seat get a workflow; with
 * WAYPOINT_WAIT_SCALE unset they wait for their briefing, ticket or follow-up dates in real time.
 */
export async function seedRelocation(): Promise<void> {
  await Actor.provide(
    { type: "system", reason: "seed", operationID: DEMO_OPERATION.operationID },
    async () => {
      const households = (await Household.list({ limit: 200 })).items.filter(
        (h) => (h.officeID === TAP || h.officeID === TEN) && h.size > 0,
      );
      let next = 0;
      const open = async (
        officeID: string,
        city: (typeof CITIES)[number],
        vulnerability: number,
        readiness = READY,
      ) => {
        const known = households.filter((h) => h.officeID === officeID)[next++ % 40];
        const householdID = known?.householdID ?? (await Household.create({ officeID })).householdID;
        return Relocation.create({
          householdID,
          officeID,
          householdSize: known ? undefined : 1 + (next % 5),
          vulnerability,
          destination: city,
          earliestDate: date(-70),
          readiness,
        });
      };
      const trip = (officeID: string, city: (typeof CITIES)[number], days: number, seats = 42) =>
        RelocationTrip.create({
          officeID,
          departureAt: at(days, officeID === TAP ? 13 : 15),
          originTerminal: { name: TERMINALS[officeID]! },
          destination: city,
          carrier: officeID === TAP ? "OCC" : "ADO",
          seats,
        });

      // History: departed households, as the terminal and receiving teams confirmed them.
      for (const [days, city, officeID] of [
        [-58, CITIES[0]!, TAP],
        [-45, CITIES[1]!, TEN],
        [-30, CITIES[2]!, TAP],
        [-12, CITIES[0]!, TAP],
      ] as const) {
        const t = await trip(officeID, city, days);
        for (let i = 0; i < 4; i++) {
          let r = await open(officeID, city, 30 + i * 15);
          r = await Relocation.update({
            relocationID: r.relocationID,
            version: r.version,
            changes: { tripID: t.tripID, confirmed: true },
          });
          await RelocationTasks.run({ task: "briefing", relocationID: r.relocationID });
          await RelocationTasks.run({ task: "ticket", relocationID: r.relocationID });
          r = await Relocation.get(r.relocationID);
          r = await Relocation.confirmDeparture({ relocationID: r.relocationID, version: r.version });
          if (days < -20 || i < 2)
            await Relocation.confirmArrival({ relocationID: r.relocationID, version: r.version });
        }
        await RelocationTrip.update({
          tripID: t.tripID,
          version: t.version,
          changes: { status: "departed" },
        });
      }

      // The coming weeks: a bus every few days per terminal and city.
      for (const [i, days] of [2, 5, 9, 12, 16, 19, 23, 26].entries()) {
        await trip(i % 2 ? TEN : TAP, CITIES[i % 3]!, days, 38 + (i % 3) * 4);
        await trip(i % 2 ? TAP : TEN, CITIES[(i + 1) % 3]!, days + 1);
      }
      const waiting = [];
      for (let i = 0; i < 36; i++) {
        const officeID = i % 3 === 2 ? TEN : TAP;
        const readiness = i % 6 === 5 ? { ...READY, medical: false, consent: i % 12 === 5 } : READY;
        waiting.push(await open(officeID, CITIES[i % 3]!, (i * 37) % 101, readiness));
      }
      const plan = await Relocation.plan({ from: date(0), to: date(28) });
      // Families who said yes to their seat: their workflows start (the runner picks them up at start).
      const placed = plan.assignments.slice(0, 10);
      for (const a of placed) {
        const r = await Relocation.get(a.relocationID);
        await Relocation.update({
          relocationID: r.relocationID,
          version: r.version,
          changes: { confirmed: true },
        });
      }
      const withdrawn = await Relocation.get(
        plan.assignments[placed.length]?.relocationID ?? waiting[0]!.relocationID,
      );
      await Relocation.cancel({
        relocationID: withdrawn.relocationID,
        version: withdrawn.version,
        reason: "Household found work in Tapachula",
      });
      const interest = await seedInterest();
      log.info(
        { placed: plan.summary.placed, unplaced: plan.summary.unplaced, confirmed: placed.length, ...interest },
        "seeded relocation",
      );
    },
  );
}

const INTEREST_NOTES = [
  "Quiere trabajar en la construcción en Monterrey",
  "Tiene familia en Guadalajara",
  "Pregunta por escuela para los niños",
  undefined,
];

/**
 * Interest in the programme, so the eligible-households page has something to find on a fresh start: most
 * households of the Tapachula and Tenosique offices without a relocation under way said yes at the desk (a few
 * said no, and some were never asked), and three people asked through the public interest form (leads of the
 * local integration programme in the enquiry queue, one of them a registered head of household).
 */
async function seedInterest(): Promise<{ interested: number; notInterested: number; leads: number }> {
  const free = (await Relocation.eligible({})).filter((c) => c.officeID === TAP || c.officeID === TEN);
  let interested = 0;
  let notInterested = 0;
  for (const [i, c] of free.entries()) {
    if (i % 5 === 4) continue; // never asked
    const yes = i % 7 !== 3;
    await Relocation.recordInterest({
      householdID: c.householdID,
      interested: yes,
      note: yes ? INTEREST_NOTES[i % INTEREST_NOTES.length] : "Prefiere quedarse cerca de la frontera",
    });
    if (yes) interested++;
    else notInterested++;
  }
  const consent = Intake.consent("es");
  const form = [
    { givenName: "Josué", familyName: "Paredes", phone: "+529621234101", householdSize: 4, location: "Tapachula" },
    { givenName: "Marisol", familyName: "Zelaya", phone: "+529341234102", householdSize: 2, location: "Tenosique" },
    { givenName: "Wilmer", familyName: "Cáceres", phone: "+529621234103", householdSize: 5, location: "Tapachula" },
  ];
  // a registered head of household asked through the form too (staff link the lead to them from the queue)
  const known = free.find((c) => c.headName && c.headName.split(" ").length >= 2);
  if (known?.headName) {
    const [givenName, ...family] = known.headName.split(" ");
    form.push({
      givenName: givenName!,
      familyName: family.join(" "),
      phone: "+529621234104",
      householdSize: known.size,
      location: "Tapachula",
    });
  }
  for (const person of form)
    await Intake.submitInterest({
      operation: DEMO_OPERATION.code,
      programme: "local_integration",
      nationality: "HND",
      language: "es",
      consent: true,
      consentVersion: consent.version,
      ...person,
    });
  return { interested, notInterested, leads: form.length };
}
