import { Actor, DuplicateError, Household, Individual, log, mapLimit } from "@waypoint/core";
import { DEMO_OFFICES, DEMO_OPERATION } from "./foundation.ts";
import { makeHousehold, seedFaker, type GeneratedHousehold } from "./people.ts";

/** Where registration groups are: most at the border field offices, the rest at the integration offices. */
const OFFICE_WEIGHTS = [35, 15, 20, 12, 18];

/**
 * About 300 individuals in about 90 registration groups across the demo offices, through core (so numbers,
 * duplicate keys and audit are real), plus a few deliberate near-duplicates for the data-quality demo, each
 * registered with an audited override the way a registry assistant would after checking.
 */
export async function seedRegistry(): Promise<void> {
  const f = seedFaker(2026);
  await Actor.provide(
    { type: "system", reason: "seed", operationID: DEMO_OPERATION.operationID },
    async () => {
      // generate in order (same demo data every start), register four groups at a time
      const groups = Array.from({ length: 90 }, () => {
        const office = f.helpers.weightedArrayElement(
          DEMO_OFFICES.map((o, i) => ({ weight: OFFICE_WEIGHTS[i]!, value: o })),
        );
        return { g: makeHousehold(f), office };
      });
      const registered = await mapLimit(groups, 4, ({ g, office }) =>
        registerGroup(g, office.officeID, office.adm1, office.adm2),
      );
      const made = registered.flat();
      await nearDuplicates(made);
      log.info({ individuals: made.length }, "seeded registry");
    },
  );
}

export async function registerGroup(g: GeneratedHousehold, officeID: string, adm1: string, adm2: string) {
  const hh = await Household.create({ officeID, adm1, adm2, phone: g.phone });
  const members: Individual.Info[] = [];
  let headID: string | undefined;
  for (const { head, ...m } of g.members) {
    const values = {
      ...m,
      officeID,
      householdID: hh.householdID,
      adm1,
      adm2,
      consent: { shareWithPartners: true, date: "2026-01-15" },
    };
    try {
      const { record } = await Individual.create(values);
      members.push(record);
      if (head) headID = record.individualID;
    } catch (err) {
      // twins or namesakes with one phone can look like one person; a registry assistant would confirm them
      if (!(err instanceof DuplicateError)) throw err;
      const { record } = await Individual.create(values, {
        overrideDuplicates: { reason: "Checked at registration: different person (family member)" },
      });
      members.push(record);
      if (head) headID = record.individualID;
    }
  }
  if (headID) await Household.patch(hh.householdID, 1, { headID });
  return members;
}

/** Registrations a data-quality review should catch: a transliteration variant, a swapped name, a reused passport. */
async function nearDuplicates(made: Individual.Info[]) {
  const adults = made.filter((r) => (r.dateOfBirth ?? "9999") < "2000-01-01");
  const arabic = made.find((r) => r.nationality === "SYR" && r.dateOfBirth) ?? adults[0]!;
  const withPassport = made.find((r) => r.documents?.some((d) => d.type === "passport"))!;
  const other = DEMO_OFFICES[2]!.officeID;
  const variants = [
    {
      ...pick(arabic),
      givenName: transliterate(arabic.givenName),
      familyName: transliterate(arabic.familyName),
      officeID: other,
    },
    {
      ...pick(adults[5]!),
      givenName: adults[5]!.familyName.split(" ")[0]!,
      familyName: adults[5]!.givenName,
      officeID: other,
    },
    {
      ...pick(withPassport),
      givenName: withPassport.sex === "female" ? "María José" : "José Luis",
      familyName: "Hernández Cruz",
      dateOfBirth: "1987-03-14",
      phone: undefined,
    },
  ];
  const reason = "Demo: registered again at another office; left for the data-quality review";
  for (const v of variants)
    await Individual.create(v, { overrideDuplicates: { reason } }).catch((err) => {
      if (!(err instanceof DuplicateError)) throw err;
    });
}

/** Another clerk's spelling of the same name. */
function transliterate(name: string): string {
  const known: Record<string, string> = {
    Mohammed: "Muhammad",
    Yusuf: "Youssef",
    Ahmad: "Ahmed",
    Khaled: "Khalid",
    Omar: "Umar",
  };
  if (known[name]) return known[name];
  if (name.startsWith("Al-")) return name.slice(3);
  return name.replace(/^(.)a/, "$1e").replace(/^(.)o/, "$1ou");
}

function pick(r: Individual.Info) {
  return {
    givenName: r.givenName,
    familyName: r.familyName,
    sex: r.sex,
    dateOfBirth: r.dateOfBirth,
    estimatedAge: r.estimatedAge,
    nationality: r.nationality,
    languages: r.languages,
    officeID: r.officeID,
    documents: r.documents,
    phone: r.phone,
  };
}
