import {
  Actor,
  Assessment,
  Case,
  DuplicateError,
  Hosting,
  Individual,
  Payee,
  Quota,
  Reintegration,
  Resettlement,
  User,
  log,
} from "@waypoint/core";
import { CodeOfConduct, type LegalStatus, type SubmissionStatus } from "@waypoint/schema";
import { DEMO_OPERATION, DEMO_PASSWORD, TAP } from "./foundation.ts";
import { always, type Once } from "./once.ts";

const OP = DEMO_OPERATION.operationID;
const GIVEN_F = [
  "María",
  "Ana",
  "Yesenia",
  "Dania",
  "Karla",
  "Wendy",
  "Glenda",
  "Sonia",
  "Rosa",
  "Lilian",
  "Fatou",
  "Mirlande",
  "Nadège",
  "Aisha",
  "Leidy",
];
const GIVEN_M = [
  "José",
  "Luis",
  "Kevin",
  "Wilmer",
  "Elvin",
  "Jean",
  "Samuel",
  "Omar",
  "Erick",
  "Brayan",
  "Moussa",
  "Jocelyn",
  "Darwin",
  "Yeferson",
  "Ismael",
];
const FAMILY = [
  "Hernández",
  "Martínez",
  "López",
  "Ramos",
  "Castillo",
  "Pierre",
  "Joseph",
  "Mejía",
  "Cruz",
  "Reyes",
  "Flores",
  "Aguilar",
  "Baptiste",
  "Diallo",
  "Zelaya",
  "Orellana",
  "Paz",
  "Chávez",
  "Sandoval",
  "Murillo",
];
const NATIONALITIES = ["HND", "SLV", "GTM", "HTI", "VEN", "NIC", "CUB"];
const COUNTRIES = ["USA", "CAN", "AUS", "ESP", "BRA", "ARG", "USA", "CAN"];
const CATEGORIES = ["LPN", "SVT", "WAR", "MED", "CHR", "FAM", "LAI"] as const;

const today = new Date();
const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => iso(new Date(today.getTime() - n * 864e5));
const yearsAgo = (y: number, salt: number) =>
  `${today.getUTCFullYear() - y}-${String((salt % 12) + 1).padStart(2, "0")}-${String((salt % 27) + 1).padStart(2, "0")}`;

export type Spec = {
  age: number;
  sex: "female" | "male";
  rel: "head" | "spouse" | "child" | "sibling" | "grandchild";
  needs?: string[];
};

/** Who the programme's people are: a family's name, nationality and languages, and its members' given names. */
export interface People {
  /** `k` counts the people made so far at the site (names vary with it). */
  family(k: number): {
    familyName: string;
    nationality: string;
    languages: string[];
    /** the status the people usually have there (unknown when not given) */
    legalStatus?: LegalStatus;
    given: (sex: "female" | "male", i: number) => string;
  };
}

const MEXICO_PEOPLE: People = {
  family: (k) => ({
    familyName: `${FAMILY[k % FAMILY.length]} ${FAMILY[(k * 7 + 3) % FAMILY.length]}`,
    nationality: NATIONALITIES[k % NATIONALITIES.length]!,
    languages: ["spa"],
    given: (sex, i) =>
      `${(sex === "female" ? GIVEN_F : GIVEN_M)[(i * 7) % 15]!} ${sex === "female" ? GIVEN_F[(i * 3) % 15] : GIVEN_M[(i * 5) % 15]}`,
  }),
};

/**
 * Where a programme runs: the operation and office, its staff, its people and areas, and what its desks hold.
 * Each programme is seeded only when its part is given (Mexico's site has them all).
 */
export interface ProgrammeSite {
  operationID: string;
  officeID: string;
  caseworker: string;
  supervisor: string;
  people: People;
  /**
   * The programme's work is the caseworker's: its cases are assigned to them and they place guests (Mexico's cases
   * wait unassigned and its placements are the seed's).
   */
  assign?: boolean;
  once: Once;
  /** people made so far */
  k: number;
  resettlement?: {
    bidPanel: string;
    submissions: number;
    quotas: {
      country: string;
      programme: "rst" | "pta";
      quotaIndividuals: number;
      targetCases: number;
      targetIndividuals?: number;
    }[];
    countries: string[];
    ptaCountries: string[];
    transitCountry: string;
    mission: {
      country: string;
      location: string;
      room: string;
      delegation: { name: string; role: string }[];
      note: string;
      sections: { protectionNeeds: string; flightHistory: string };
    };
  };
  hosting?: {
    /** `latin`: the name as bank files carry it, when the name is in another script */
    hosts: { name: string; shelter: boolean; latin?: string }[];
    adm1: string;
    adm2: [string, string];
    currency: string;
    /** monthly allowance per host, minor units */
    allowance: number;
    account: (i: number) => { accountNumber: string } | { msisdn: string; provider: string };
    findings: [concern: string, fine: string, compliance: string];
  };
  reintegration?: {
    suppliers: {
      name: string;
      category: "livestock" | "tools_equipment" | "merchandise" | "training" | "health";
    }[];
    supplierCountry: string;
    supplierAccount: (name: string) => string;
    countries: string[];
    currency: string;
    /** scales the Mexico amounts (HNL) to the site's currency */
    scale: number;
    items: [string, string, string, string];
    social: string;
    psychosocial: string;
    monitoring: string;
    selection: string;
    waiver: string;
  };
}

async function person(site: ProgrammeSite, s: Spec, fam: ReturnType<People["family"]>) {
  const i = site.k++;
  const input = {
    officeID: site.officeID,
    givenName: fam.given(s.sex, i),
    familyName: fam.familyName,
    sex: s.sex,
    dateOfBirth: yearsAgo(s.age, i),
    nationality: fam.nationality,
    relationshipToHead: s.rel,
    specificNeeds: (s.needs ?? []) as never,
    languages: fam.languages,
    ...(fam.legalStatus ? { legalStatus: fam.legalStatus } : {}),
  };
  try {
    return (await Individual.create(input)).record;
  } catch (err) {
    if (!(err instanceof DuplicateError)) throw err;
    return (
      await Individual.create(input, {
        overrideDuplicates: { reason: "Demo data: distinct person with a similar name" },
      })
    ).record;
  }
}

async function family(site: ProgrammeSite, specs: Spec[]) {
  const fam = site.people.family(site.k);
  const out = [];
  for (const s of specs) out.push(await person(site, s, fam));
  return out;
}

const SHAPES: Spec[][] = [
  [
    { age: 34, sex: "female", rel: "head" },
    { age: 36, sex: "male", rel: "spouse" },
    { age: 8, sex: "female", rel: "child" },
    { age: 5, sex: "male", rel: "child" },
  ],
  [
    { age: 29, sex: "female", rel: "head", needs: ["WR"] },
    { age: 10, sex: "male", rel: "child" },
  ],
  [{ age: 45, sex: "male", rel: "head" }],
  [
    { age: 52, sex: "male", rel: "head" },
    { age: 48, sex: "female", rel: "spouse" },
    { age: 19, sex: "male", rel: "child" },
  ],
  [{ age: 16, sex: "male", rel: "head", needs: ["UASC-UM"] }],
  [
    { age: 31, sex: "female", rel: "head" },
    { age: 33, sex: "male", rel: "spouse" },
    { age: 14, sex: "female", rel: "sibling" },
  ],
];

/** How far along the lifecycle each demo submission goes (several per stage, most in the pipeline). */
const PATHS: SubmissionStatus[][] = [
  [],
  ["interviewed"],
  ["interviewed", "drafted"],
  ["interviewed", "drafted", "returned"],
  ["interviewed", "drafted", "recommended"],
  ["interviewed", "drafted", "recommended", "submitted"],
  ["interviewed", "drafted", "recommended", "submitted", "deferred"],
  ["interviewed", "drafted", "recommended", "submitted", "accepted"],
  ["interviewed", "drafted", "recommended", "submitted", "rejected"],
  ["interviewed", "drafted", "recommended", "submitted", "accepted", "departure_arranged"],
  ["interviewed", "drafted", "recommended", "submitted", "accepted", "departure_arranged", "departed"],
  ["interviewed", "drafted", "recommended", "submitted", "accepted", "departure_arranged", "departed"],
];

/** Runs `fn` as the site's demo user with that e-mail, in the site's operation. */
async function as<T>(site: ProgrammeSite, email: string, fn: () => Promise<T>): Promise<T> {
  const u = (await User.byEmail(email))!;
  const op = site.operationID;
  const g = u.grants.find((x) => x.operationID === op)!;
  return Actor.provide(
    { type: "user", userID: u.userID, email: u.email, operationID: op, role: g.role, officeIDs: g.officeIDs },
    fn,
  );
}

/** The programme's own records: made by the site's caseworker where the site says so, else by the seed itself. */
const mine = <T>(site: ProgrammeSite, fn: () => Promise<T>): Promise<T> =>
  site.assign ? as(site, site.caseworker, fn) : fn();

async function approvedBid(site: ProgrammeSite, caseID: string, childID: string) {
  const a = await as(site, site.caseworker, async () => {
    const x = await Assessment.create({
      caseID,
      kind: "bid",
      individualID: childID,
      summary: "Best interests: resettlement with the family",
    });
    return Assessment.submit(x.assessmentID, x.version);
  });
  const r1 = await as(site, site.supervisor, () =>
    Assessment.review({ assessmentID: a.assessmentID, decision: "approve", version: a.version }),
  );
  await as(site, site.resettlement!.bidPanel, () =>
    Assessment.review({ assessmentID: a.assessmentID, decision: "approve", version: r1.version }),
  );
}

async function resettlement(site: ProgrammeSite) {
  const rst = site.resettlement!;
  const year = today.getUTCFullYear();
  for (const q of rst.quotas) await Quota.set({ year, ...q });
  const assignedTo = site.assign ? (await User.byEmail(site.caseworker))?.userID : undefined;
  let n = 0;
  for (let i = 0; i < rst.submissions; i++) {
    const programme = i % 3 === 2 ? "pta" : i % 11 === 5 ? "pathway" : "rst";
    const ok = await site.once(`submission:${i}`, async () => {
      const ppl = await family(site, SHAPES[i % SHAPES.length]!);
      const c = await Case.create({
        officeID: site.officeID,
        type: programme === "pta" ? "pta" : "resettlement",
        riskLevel: i % 4 === 0 ? "high" : "medium",
        individualIDs: ppl.map((p) => p.individualID),
        ...(assignedTo ? { assignedTo } : {}),
      });
      let s = await as(site, site.caseworker, () =>
        Resettlement.create({
          caseID: c.caseID,
          programme,
          country:
            programme === "pta"
              ? rst.ptaCountries[Math.floor(i / 3) % rst.ptaCountries.length]!
              : rst.countries[i % rst.countries.length]!,
          quotaYear: year,
          primaryCategory: CATEGORIES[i % 7]!,
          secondaryCategory: i % 2 ? CATEGORIES[(i + 3) % 7] : undefined,
          priority: i % 9 === 0 ? "emergency" : i % 4 === 0 ? "urgent" : "normal",
          transitCountry: programme === "pta" ? rst.transitCountry : undefined,
        } as never),
      );
      const path = PATHS[i % PATHS.length]!;
      try {
        for (const to of path) {
          if (to === "recommended" || to === "returned") {
            s = await as(site, site.supervisor, () =>
              Resettlement.review({
                submissionID: s.submissionID,
                decision: to === "recommended" ? "recommend" : "return",
                comment:
                  to === "returned" ? "Add the country-of-origin information" : "Complete and consistent",
                version: s.version,
              }),
            );
            continue;
          }
          if (to === "submitted") {
            const members = ppl.map((p) => p as never);
            const { BestInterests } = await import("@waypoint/core");
            for (const child of BestInterests.childrenNeedingBid(programme, members))
              await approvedBid(site, c.caseID, child);
          }
          s = await as(site, site.caseworker, () =>
            Resettlement.transition({
              submissionID: s.submissionID,
              to,
              version: s.version,
              reason: ["rejected", "deferred"].includes(to)
                ? to === "deferred"
                  ? "Country paused processing for the quarter"
                  : "Exclusion considerations raised by the country"
                : to === "accepted"
                  ? "Accepted after selection mission"
                  : undefined,
              departureDate: to === "departure_arranged" ? daysAgo(-20 - (i % 30)) : undefined,
            }),
          );
        }
        return true;
      } catch (err) {
        log.warn(
          { submissionID: s.submissionID, err: (err as Error).message },
          "demo submission stopped early",
        );
        return false;
      }
    });
    if (ok) n++;
  }
  // a BIA waiting in the supervision queue, for a separated child
  await site.once("bia", async () => {
    const [uasc] = await family(site, [{ age: 13, sex: "female", rel: "head", needs: ["UASC-SC"] }]);
    const bip = await Case.create({
      officeID: site.officeID,
      type: "bip",
      subType: "uasc",
      individualIDs: [uasc!.individualID],
      ...(assignedTo ? { assignedTo } : {}),
    });
    await as(site, site.caseworker, async () => {
      const a = await Assessment.create({
        caseID: bip.caseID,
        kind: "bia",
        individualID: uasc!.individualID,
        summary: "Separated child living with an aunt; tracing under way",
      });
      await Assessment.submit(a.assessmentID, a.version);
    });
  });
  return n;
}

/**
 * A selection mission next month for the cases of its country still in preparation, with its delegation, two
 * interviews booked, and the sections and an interview note of one of its cases written.
 */
async function selectionMission(site: ProgrammeSite) {
  const { Missions } = await import("@waypoint/core/resettlement/missions");
  const mission = site.resettlement!.mission;
  const cw = site.caseworker;
  const open = (
    await as(site, cw, () => Resettlement.list({ country: mission.country, limit: 200 }))
  ).items.filter((s) => ["identified", "interviewed", "returned"].includes(s.status));
  if (open.length === 0) return;
  const day = (n: number) => iso(new Date(today.getTime() + n * 864e5));
  const m = await as(site, cw, () =>
    Missions.create({
      country: mission.country,
      location: mission.location,
      startDate: day(21),
      endDate: day(25),
      delegation: mission.delegation,
      submissionIDs: open.map((s) => s.submissionID),
    }),
  );
  for (const [i, s] of open.slice(0, 2).entries())
    await as(site, cw, () =>
      Missions.bookInterview({
        missionID: m.missionID,
        submissionID: s.submissionID,
        room: mission.room,
        start: `${day(22)}T${15 + i * 2}:00:00.000Z`,
        end: `${day(22)}T${16 + i * 2}:30:00.000Z`,
      }),
    );
  const first = open[0]!;
  const withNote = await as(site, cw, () =>
    Resettlement.addInterviewNote({
      submissionID: first.submissionID,
      date: daysAgo(12),
      text: mission.note,
      version: first.version,
    }),
  );
  await as(site, cw, () =>
    Resettlement.patch({
      submissionID: first.submissionID,
      version: withNote.version,
      changes: { sections: mission.sections },
    }),
  );
}

async function hosting(site: ProgrammeSite) {
  const hst = site.hosting!;
  const period = iso(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1))).slice(0, 7);
  let placed = 0;
  for (const [i, { name, shelter, latin }] of hst.hosts.entries()) {
    placed += await site.once(`host:${i}`, async () => {
      let guestsPlaced = 0;
      const account = hst.account(i);
      const payee = await Payee.create({
        kind: "host",
        name,
        ...(latin ? { nameLatin: latin } : {}),
        officeID: site.officeID,
        channel: "msisdn" in account ? { type: "mobile_money", ...account } : { type: "bank", ...account },
      });
      let h = await Hosting.createHost({
        officeID: site.officeID,
        kind: shelter ? "safe_shelter" : "family",
        name,
        capacity: shelter ? 8 + i : 2 + (i % 3),
        adm1: hst.adm1,
        adm2: i % 4 === 0 ? hst.adm2[0] : hst.adm2[1],
        contractStart: `${today.getUTCFullYear()}-01-01`,
        contractEnd: `${today.getUTCFullYear()}-12-31`,
        payeeID: payee.payeeID,
        visitEveryDays: shelter ? 14 : 30,
        codeOfConductSigned: `${today.getUTCFullYear()}-01-01`,
      });
      const guests = shelter ? 3 + (i % 3) : 1 + (i % 2);
      for (let g = 0; g < guests; g++) {
        const [p] = await family(site, [
          {
            age: g % 2 ? 15 : 24,
            sex: g % 3 ? "female" : "male",
            rel: "head",
            needs: g % 2 ? ["UASC-UM"] : [],
          },
        ]);
        const pl = await mine(site, () =>
          Hosting.place({
            hostID: h.hostID,
            individualID: p!.individualID,
            start: daysAgo(20 + ((i * 13 + g * 17) % 70)),
            reason: (["vot", "uasc", "sgbv_survivor", "alternative_to_detention"] as const)[(i + g) % 4],
          }),
        );
        guestsPlaced++;
        if (g === 0 && i % 5 === 0)
          await mine(site, () =>
            Hosting.endPlacement({
              placementID: pl.placementID,
              end: daysAgo(5),
              endReason: "durable_solution",
              version: 1,
            }),
          );
      }
      const visits = await Hosting.visits.schedule({ hostID: h.hostID, from: daysAgo(45), count: 4 });
      for (const v of visits.slice(0, i % 3 === 0 ? 1 : 2))
        await as(site, site.caseworker, () =>
          Hosting.visits.complete({
            visitID: v.visitID,
            date: v.scheduledFor,
            findings: i % 4 === 0 ? hst.findings[0] : hst.findings[1],
            followUpNeeded: i % 4 === 0,
            version: 1,
          }),
        );
      if (i % 2 === 0) {
        const [c] = await Hosting.visits.schedule({
          hostID: h.hostID,
          from: daysAgo(10),
          count: 1,
          kind: "compliance",
        });
        await as(site, site.caseworker, () =>
          Hosting.visits.complete({
            visitID: c!.visitID,
            date: daysAgo(10),
            findings: hst.findings[2],
            checklist: CodeOfConduct.map((item, j) => ({
              item,
              met: !(i === 4 && j < 3) && !(i === 8 && j === 1),
            })),
            version: 1,
          }),
        );
      }
      h = await Hosting.getHost(h.hostID);
      return guestsPlaced;
    });
  }
  const allowances = await site.once(
    "allowances",
    async () =>
      (
        await Hosting.allowances({
          period,
          currency: hst.currency,
          amount: hst.allowance,
          per: "month",
          officeID: site.officeID,
          status: "draft",
        })
      ).summary,
  );
  return { placed, allowances };
}

async function reintegration(site: ProgrammeSite) {
  const rin = site.reintegration!;
  const cw = site.caseworker;
  const sup = site.supervisor;
  const amount = (hnl: number) => Math.round(hnl * rin.scale);
  const supplierPayee = async (name: string) =>
    (
      await Payee.create({
        kind: "supplier",
        name,
        channel: { type: "bank", accountNumber: rin.supplierAccount(name) },
      })
    ).payeeID;
  const suppliers: { supplierID: string }[] = [];
  for (const [j, { name, category }] of rin.suppliers.entries())
    suppliers.push(
      await site.once(`supplier:${j}`, () =>
        as(site, cw, async () =>
          Reintegration.createSupplier({
            name,
            country: rin.supplierCountry,
            category,
            payeeID: await Actor.provide(
              { type: "system", reason: "seed", operationID: site.operationID },
              () => supplierPayee(name),
            ),
          }),
        ).then((x) => ({ supplierID: x.supplierID })),
      ),
    );
  const shapes: Spec[][] = [SHAPES[1]!, SHAPES[2]!, SHAPES[0]!, SHAPES[3]!, SHAPES[2]!, SHAPES[1]!];
  const paths = [
    [],
    ["assessed"],
    ["assessed", "approved"],
    ["assessed", "approved", "returned"],
    ["assessed", "approved", "returned", "monitoring"],
    ["assessed", "approved", "returned", "monitoring"],
  ];
  for (const [i, shape] of shapes.entries())
    await site.once(`return:${i}`, async () => {
      const ppl = await family(site, shape);
      let r = await as(site, cw, () =>
        Reintegration.create({
          officeID: site.officeID,
          individualIDs: ppl.map((p) => p.individualID),
          countryOfReturn: rin.countries[i % rin.countries.length]!,
          plannedReturnDate: i === 1 ? undefined : daysAgo(60 - i * 8),
        }),
      );
      for (const step of paths[i]!) {
        if (step === "assessed")
          r = await as(site, cw, () =>
            Reintegration.assessVulnerability({
              returnID: r.returnID,
              factors: (
                [
                  "single_parent",
                  "no_support_network",
                  "mental_health_needs",
                  "serious_medical_condition",
                ] as const
              ).slice(0, 1 + (i % 3)),
              version: r.version,
            }),
          );
        else if (step === "approved")
          r = await as(site, sup, () =>
            Reintegration.transition({ returnID: r.returnID, to: "approved", version: r.version }),
          );
        else if (step === "returned")
          r = await as(site, cw, () =>
            Reintegration.transition({
              returnID: r.returnID,
              to: "returned",
              date: daysAgo(50 - i * 6),
              version: r.version,
            }),
          );
        else
          r = await as(site, cw, () =>
            Reintegration.addMonitoring({
              returnID: r.returnID,
              date: daysAgo(20 - i),
              milestone: 1,
              findings: rin.monitoring,
              sustainability: 0.55 + i * 0.05,
              version: r.version,
            }),
          );
      }
      if (i < 2) return;
      const plan = await as(site, cw, () =>
        Reintegration.savePlan({
          returnID: r.returnID,
          items: [
            {
              kind: "economic",
              description: rin.items[i % 4]!,
              budget: amount(1200000 + i * 100000),
              currency: rin.currency,
              status: i >= 4 ? "delivered" : "in_progress",
            },
            {
              kind: "social",
              description: rin.social,
              status: "planned",
            },
            {
              kind: "psychosocial",
              description: rin.psychosocial,
              budget: amount(240000),
              currency: rin.currency,
              status: "planned",
            },
          ],
        }),
      );
      await as(site, sup, () => Reintegration.approvePlan(r.returnID, plan.version));
      const s = suppliers;
      const quotes = [0, 1, 2].map((j) => ({
        supplierID: s[(i + j) % 3]!.supplierID,
        amount: amount(1100000 + i * 100000 + j * 55000),
        currency: rin.currency,
        date: daysAgo(40),
      }));
      let inv = await as(site, cw, () =>
        Reintegration.invoices.create({ returnID: r.returnID, itemID: plan.items[0]!.itemID, quotes }),
      );
      if (i >= 3)
        inv = await as(site, cw, () =>
          Reintegration.invoices.select({
            invoiceID: inv.invoiceID,
            supplierID: quotes[0]!.supplierID,
            reason: rin.selection,
            version: inv.version,
          }),
        );
      if (i >= 4)
        await as(site, sup, () =>
          Reintegration.invoices.decide({
            invoiceID: inv.invoiceID,
            approve: true,
            comment: "Within budget",
            version: inv.version,
          }),
        );
      if (i === 5)
        await as(site, cw, () =>
          Reintegration.invoices.create({
            returnID: r.returnID,
            itemID: plan.items[2]!.itemID,
            quotes: [
              {
                supplierID: s[4]!.supplierID,
                amount: amount(240000),
                currency: rin.currency,
                date: daysAgo(30),
              },
            ],
            waiverReason: rin.waiver,
          }),
        );
    });
}

/** Tapachula: resettlement, hosting and AVRR side by side. */
const MEXICO_PROGRAMMES = (): ProgrammeSite => ({
  operationID: OP,
  officeID: TAP,
  caseworker: "caseworker@example.org",
  supervisor: "supervisor@example.org",
  people: MEXICO_PEOPLE,
  once: always,
  k: 0,
  resettlement: {
    bidPanel: "bidpanel@example.org",
    submissions: 36,
    quotas: [
      ...["USA", "CAN", "AUS", "ESP", "BRA", "ARG"].map((country, i) => ({
        country,
        programme: "rst" as const,
        quotaIndividuals: [400, 300, 150, 120, 80, 60][i]!,
        targetCases: [110, 90, 45, 35, 25, 20][i]!,
        targetIndividuals: [380, 280, 140, 110, 75, 55][i]!,
      })),
      ...["USA", "CAN", "ESP"].map((country) => ({
        country,
        programme: "pta" as const,
        quotaIndividuals: 150,
        targetCases: 40,
      })),
    ],
    countries: COUNTRIES,
    ptaCountries: ["USA", "CAN", "ESP"],
    transitCountry: "CRI",
    mission: {
      country: "CAN",
      location: "Oficina de Tapachula, sala de entrevistas",
      room: "Sala 2",
      delegation: [
        { name: "Claire Tremblay", role: "Agente de IRCC" },
        { name: "Marc-André Gagnon", role: "Médico de la delegación" },
      ],
      note: "Entrevista con la jefa de hogar; relato coherente con la denuncia presentada.",
      sections: {
        protectionNeeds: "Amenazas de muerte de una pandilla tras negarse a pagar extorsión.",
        flightHistory: "Salió de San Pedro Sula con sus hijos; cruzó a México por Tecún Umán.",
      },
    },
  },
  hosting: {
    hosts: [
      "Familia Gómez Ruiz",
      "Familia Méndez",
      "Familia Toledo",
      "Familia Coutiño",
      "Familia Velázquez",
      "Familia Pérez Lara",
      "Familia Cancino",
      "Familia Escobar",
      "Familia Bermúdez",
      "Familia Solís",
      "Albergue Belén",
      "Casa Refugio Esperanza",
      "Albergue Jesús El Buen Pastor",
      "Casa de Acogida Santa Ana",
    ].map((name, i) => ({ name, shelter: i >= 10 })),
    adm1: "MX07",
    adm2: ["MX07089", "MX07019"],
    currency: "MXN",
    allowance: 350000,
    account: (i) => ({ accountNumber: `0721${String(100000000000 + i * 7919).slice(0, 14)}` }),
    findings: [
      "Guests report crowding in the shared room; follow up on bed space",
      "Guests well, children attending school, no concerns",
      "Code-of-conduct review with host and guests",
    ],
  },
  reintegration: {
    suppliers: [
      { name: "Agroveterinaria El Progreso", category: "livestock" },
      { name: "Ferretería La Ceiba", category: "tools_equipment" },
      { name: "Distribuidora San Pedro Sula", category: "merchandise" },
      { name: "Centro de Formación INFOP Choloma", category: "training" },
      { name: "Clínica Psicológica Renacer", category: "health" },
    ],
    supplierCountry: "HND",
    supplierAccount: (name) => `HN${String(Math.abs(name.length * 7919)).padStart(10, "0")}`,
    countries: ["HND", "GTM", "SLV", "HND", "NIC", "HND"],
    currency: "HNL",
    scale: 1,
    items: ["Two dairy goats and feed", "Carpentry tools", "Grocery shop stock", "Sewing machine and fabric"],
    social: "School enrolment and uniforms for the children",
    psychosocial: "Six counselling sessions",
    monitoring: "Business running; family reports improved wellbeing",
    selection: "Lowest quote; delivers to the community",
    waiver: "Only licensed psychologist in the municipality",
  },
});

/** The programmes a site has (resettlement with its selection mission, hosting, AVRR), under the system actor. */
export async function seedProgrammesAt(site: ProgrammeSite) {
  const out: Record<string, unknown> = {};
  if (site.resettlement) {
    const panel = site.resettlement.bidPanel;
    if (!(await User.byEmail(panel)))
      await User.create({
        email: panel,
        name: site.operationID === OP ? "Layla Mansour" : "Carlos Ajú",
        password: DEMO_PASSWORD,
        grants: [{ operationID: site.operationID, role: "supervisor", officeIDs: [site.officeID] }],
      });
    out.submissions = await resettlement(site);
    try {
      await site.once("mission", () => selectionMission(site));
    } catch (err) {
      log.warn({ err: (err as Error).message }, "demo selection mission not seeded");
    }
  }
  if (site.hosting) {
    const host = await hosting(site);
    out.placed = host.placed;
    out.allowances = host.allowances;
  }
  if (site.reintegration) await reintegration(site);
  return out;
}

/**
 * Demo programmes for Tapachula: three dozen resettlement, PTA and pathway submissions across every stage and six
 * countries against this year's quotas (BIDs approved by a panel where the rules need them, a BIA in the
 * supervision queue); fourteen host families and safe shelters with placements, visits, compliance checks and last
 * month's allowances as draft payments; six AVRR returns with plans, suppliers, quotes and one paid invoice.
 */
export async function seedProgrammes(): Promise<void> {
  await Actor.provide({ type: "system", reason: "seed", operationID: OP }, async () => {
    const out = await seedProgrammesAt(MEXICO_PROGRAMMES());
    log.info(out, "programmes seeded");
  });
}
