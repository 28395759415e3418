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
import { CodeOfConduct, type SubmissionStatus } from "@waypoint/schema";
import { DEMO_OPERATION, TAP } from "./foundation.ts";

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

let k = 0;
const today = new Date();
const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => iso(new Date(today.getTime() - n * 864e5));
const yearsAgo = (y: number, salt: number) =>
  `${today.getUTCFullYear() - y}-${String((salt % 12) + 1).padStart(2, "0")}-${String((salt % 27) + 1).padStart(2, "0")}`;

type Spec = {
  age: number;
  sex: "female" | "male";
  rel: "head" | "spouse" | "child" | "sibling" | "grandchild";
  needs?: string[];
};

async function person(s: Spec, familyName: string, nationality: string) {
  const i = k++;
  const givenName = (s.sex === "female" ? GIVEN_F : GIVEN_M)[(i * 7) % 15]!;
  const input = {
    officeID: TAP,
    givenName: `${givenName} ${s.sex === "female" ? GIVEN_F[(i * 3) % 15] : GIVEN_M[(i * 5) % 15]}`,
    familyName,
    sex: s.sex,
    dateOfBirth: yearsAgo(s.age, i),
    nationality,
    relationshipToHead: s.rel,
    specificNeeds: (s.needs ?? []) as never,
    languages: ["spa"],
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

async function family(specs: Spec[]) {
  const familyName = `${FAMILY[k % FAMILY.length]} ${FAMILY[(k * 7 + 3) % FAMILY.length]}`;
  const nationality = NATIONALITIES[k % NATIONALITIES.length]!;
  const out = [];
  for (const s of specs) out.push(await person(s, familyName, nationality));
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

async function as<T>(email: string, fn: () => Promise<T>): Promise<T> {
  const u = (await User.byEmail(email))!;
  const g = u.grants.find((x) => x.operationID === OP)!;
  return Actor.provide(
    { type: "user", userID: u.userID, email: u.email, operationID: OP, role: g.role, officeIDs: g.officeIDs },
    fn,
  );
}

async function approvedBid(caseID: string, childID: string) {
  const a = await as("caseworker@example.org", async () => {
    const x = await Assessment.create({
      caseID,
      kind: "bid",
      individualID: childID,
      summary: "Best interests: resettlement with the family",
    });
    return Assessment.submit(x.assessmentID, x.version);
  });
  const r1 = await as("supervisor@example.org", () =>
    Assessment.review({ assessmentID: a.assessmentID, decision: "approve", version: a.version }),
  );
  await as("bidpanel@example.org", () =>
    Assessment.review({ assessmentID: a.assessmentID, decision: "approve", version: r1.version }),
  );
}

async function resettlement() {
  const year = today.getUTCFullYear();
  for (const [i, country] of ["USA", "CAN", "AUS", "ESP", "BRA", "ARG"].entries())
    await Quota.set({
      year,
      country,
      programme: "rst",
      quotaIndividuals: [400, 300, 150, 120, 80, 60][i]!,
      targetCases: [110, 90, 45, 35, 25, 20][i]!,
      targetIndividuals: [380, 280, 140, 110, 75, 55][i]!,
    });
  for (const country of ["USA", "CAN", "ESP"])
    await Quota.set({ year, country, programme: "pta", quotaIndividuals: 150, targetCases: 40 });
  let n = 0;
  for (let i = 0; i < 36; i++) {
    const programme = i % 3 === 2 ? "pta" : i % 11 === 5 ? "pathway" : "rst";
    const ppl = await family(SHAPES[i % SHAPES.length]!);
    const c = await Case.create({
      officeID: TAP,
      type: programme === "pta" ? "pta" : "resettlement",
      riskLevel: i % 4 === 0 ? "high" : "medium",
      individualIDs: ppl.map((p) => p.individualID),
    });
    let s = await as("caseworker@example.org", () =>
      Resettlement.create({
        caseID: c.caseID,
        programme,
        country:
          programme === "pta"
            ? ["USA", "CAN", "ESP"][Math.floor(i / 3) % 3]!
            : COUNTRIES[i % COUNTRIES.length]!,
        quotaYear: year,
        primaryCategory: CATEGORIES[i % 7]!,
        secondaryCategory: i % 2 ? CATEGORIES[(i + 3) % 7] : undefined,
        priority: i % 9 === 0 ? "emergency" : i % 4 === 0 ? "urgent" : "normal",
        transitCountry: programme === "pta" ? "CRI" : undefined,
      } as never),
    );
    const path = PATHS[i % PATHS.length]!;
    try {
      for (const to of path) {
        if (to === "recommended" || to === "returned") {
          s = await as("supervisor@example.org", () =>
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
            await approvedBid(c.caseID, child);
        }
        s = await as("caseworker@example.org", () =>
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
      n++;
    } catch (err) {
      log.warn(
        { submissionID: s.submissionID, err: (err as Error).message },
        "demo submission stopped early",
      );
    }
  }
  // a BIA waiting in the supervision queue, for a separated child
  const [uasc] = await family([{ age: 13, sex: "female", rel: "head", needs: ["UASC-SC"] }]);
  const bip = await Case.create({
    officeID: TAP,
    type: "bip",
    subType: "uasc",
    individualIDs: [uasc!.individualID],
  });
  await as("caseworker@example.org", async () => {
    const a = await Assessment.create({
      caseID: bip.caseID,
      kind: "bia",
      individualID: uasc!.individualID,
      summary: "Separated child living with an aunt; tracing under way",
    });
    await Assessment.submit(a.assessmentID, a.version);
  });
  return n;
}

/**
 * A Canadian selection mission next month for the Canadian cases still in preparation, with its delegation, two
 * interviews booked, and the sections and an interview note of one of its cases written.
 */
async function selectionMission() {
  const { Missions } = await import("@waypoint/core/resettlement/missions");
  const open = (
    await as("caseworker@example.org", () => Resettlement.list({ country: "CAN", limit: 200 }))
  ).items.filter((s) => ["identified", "interviewed", "returned"].includes(s.status));
  if (open.length === 0) return;
  const day = (n: number) => iso(new Date(today.getTime() + n * 864e5));
  const m = await as("caseworker@example.org", () =>
    Missions.create({
      country: "CAN",
      location: "Oficina de Tapachula, sala de entrevistas",
      startDate: day(21),
      endDate: day(25),
      delegation: [
        { name: "Claire Tremblay", role: "Agente de IRCC" },
        { name: "Marc-André Gagnon", role: "Médico de la delegación" },
      ],
      submissionIDs: open.map((s) => s.submissionID),
    }),
  );
  for (const [i, s] of open.slice(0, 2).entries())
    await as("caseworker@example.org", () =>
      Missions.bookInterview({
        missionID: m.missionID,
        submissionID: s.submissionID,
        room: "Sala 2",
        start: `${day(22)}T${15 + i * 2}:00:00.000Z`,
        end: `${day(22)}T${16 + i * 2}:30:00.000Z`,
      }),
    );
  const first = open[0]!;
  const withNote = await as("caseworker@example.org", () =>
    Resettlement.addInterviewNote({
      submissionID: first.submissionID,
      date: daysAgo(12),
      text: "Entrevista con la jefa de hogar; relato coherente con la denuncia presentada.",
      version: first.version,
    }),
  );
  await as("caseworker@example.org", () =>
    Resettlement.patch({
      submissionID: first.submissionID,
      version: withNote.version,
      changes: {
        sections: {
          protectionNeeds: "Amenazas de muerte de una pandilla tras negarse a pagar extorsión.",
          flightHistory: "Salió de San Pedro Sula con sus hijos; cruzó a México por Tecún Umán.",
        },
      },
    }),
  );
}

async function hosting() {
  const names = [
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
  ];
  const period = iso(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1))).slice(0, 7);
  let placed = 0;
  for (const [i, name] of names.entries()) {
    const shelter = i >= 10;
    const payee = await Payee.create({
      kind: "host",
      name,
      officeID: TAP,
      channel: { type: "bank", accountNumber: `0721${String(100000000000 + i * 7919).slice(0, 14)}` },
    });
    let h = await Hosting.createHost({
      officeID: TAP,
      kind: shelter ? "safe_shelter" : "family",
      name,
      capacity: shelter ? 8 + i : 2 + (i % 3),
      adm1: "MX07",
      adm2: i % 4 === 0 ? "MX07089" : "MX07019",
      contractStart: `${today.getUTCFullYear()}-01-01`,
      contractEnd: `${today.getUTCFullYear()}-12-31`,
      payeeID: payee.payeeID,
      visitEveryDays: shelter ? 14 : 30,
      codeOfConductSigned: `${today.getUTCFullYear()}-01-01`,
    });
    const guests = shelter ? 3 + (i % 3) : 1 + (i % 2);
    for (let g = 0; g < guests; g++) {
      const [p] = await family([
        {
          age: g % 2 ? 15 : 24,
          sex: g % 3 ? "female" : "male",
          rel: "head",
          needs: g % 2 ? ["UASC-UM"] : [],
        },
      ]);
      const pl = await Hosting.place({
        hostID: h.hostID,
        individualID: p!.individualID,
        start: daysAgo(20 + ((i * 13 + g * 17) % 70)),
        reason: (["vot", "uasc", "sgbv_survivor", "alternative_to_detention"] as const)[(i + g) % 4],
      });
      placed++;
      if (g === 0 && i % 5 === 0)
        await Hosting.endPlacement({
          placementID: pl.placementID,
          end: daysAgo(5),
          endReason: "durable_solution",
          version: 1,
        });
    }
    const visits = await Hosting.visits.schedule({ hostID: h.hostID, from: daysAgo(45), count: 4 });
    for (const v of visits.slice(0, i % 3 === 0 ? 1 : 2))
      await as("caseworker@example.org", () =>
        Hosting.visits.complete({
          visitID: v.visitID,
          date: v.scheduledFor,
          findings:
            i % 4 === 0
              ? "Guests report crowding in the shared room; follow up on bed space"
              : "Guests well, children attending school, no concerns",
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
      await as("caseworker@example.org", () =>
        Hosting.visits.complete({
          visitID: c!.visitID,
          date: daysAgo(10),
          findings: "Code-of-conduct review with host and guests",
          checklist: CodeOfConduct.map((item, j) => ({
            item,
            met: !(i === 4 && j < 3) && !(i === 8 && j === 1),
          })),
          version: 1,
        }),
      );
    }
    h = await Hosting.getHost(h.hostID);
  }
  const allowances = await Hosting.allowances({
    period,
    currency: "MXN",
    amount: 350000,
    per: "month",
    officeID: TAP,
    status: "draft",
  });
  return { placed, allowances: allowances.summary };
}

async function reintegration() {
  const supplierPayee = async (name: string) =>
    (
      await Payee.create({
        kind: "supplier",
        name,
        channel: {
          type: "bank",
          accountNumber: `HN${String(Math.abs(name.length * 7919)).padStart(10, "0")}`,
        },
      })
    ).payeeID;
  const suppliers = [];
  for (const [name, category] of [
    ["Agroveterinaria El Progreso", "livestock"],
    ["Ferretería La Ceiba", "tools_equipment"],
    ["Distribuidora San Pedro Sula", "merchandise"],
    ["Centro de Formación INFOP Choloma", "training"],
    ["Clínica Psicológica Renacer", "health"],
  ] as const)
    suppliers.push(
      await as("caseworker@example.org", async () =>
        Reintegration.createSupplier({
          name,
          country: "HND",
          category,
          payeeID: await Actor.provide({ type: "system", reason: "seed", operationID: OP }, () =>
            supplierPayee(name),
          ),
        }),
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
  for (const [i, shape] of shapes.entries()) {
    const ppl = await family(shape);
    let r = await as("caseworker@example.org", () =>
      Reintegration.create({
        officeID: TAP,
        individualIDs: ppl.map((p) => p.individualID),
        countryOfReturn: ["HND", "GTM", "SLV", "HND", "NIC", "HND"][i]!,
        plannedReturnDate: i === 1 ? undefined : daysAgo(60 - i * 8),
      }),
    );
    for (const step of paths[i]!) {
      if (step === "assessed")
        r = await as("caseworker@example.org", () =>
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
        r = await as("supervisor@example.org", () =>
          Reintegration.transition({ returnID: r.returnID, to: "approved", version: r.version }),
        );
      else if (step === "returned")
        r = await as("caseworker@example.org", () =>
          Reintegration.transition({
            returnID: r.returnID,
            to: "returned",
            date: daysAgo(50 - i * 6),
            version: r.version,
          }),
        );
      else
        r = await as("caseworker@example.org", () =>
          Reintegration.addMonitoring({
            returnID: r.returnID,
            date: daysAgo(20 - i),
            milestone: 1,
            findings: "Business running; family reports improved wellbeing",
            sustainability: 0.55 + i * 0.05,
            version: r.version,
          }),
        );
    }
    if (i < 2) continue;
    const plan = await as("caseworker@example.org", () =>
      Reintegration.savePlan({
        returnID: r.returnID,
        items: [
          {
            kind: "economic",
            description: [
              "Two dairy goats and feed",
              "Carpentry tools",
              "Grocery shop stock",
              "Sewing machine and fabric",
            ][i % 4]!,
            budget: 1200000 + i * 100000,
            currency: "HNL",
            status: i >= 4 ? "delivered" : "in_progress",
          },
          {
            kind: "social",
            description: "School enrolment and uniforms for the children",
            status: "planned",
          },
          {
            kind: "psychosocial",
            description: "Six counselling sessions",
            budget: 240000,
            currency: "HNL",
            status: "planned",
          },
        ],
      }),
    );
    await as("supervisor@example.org", () => Reintegration.approvePlan(r.returnID, plan.version));
    const s = suppliers;
    const quotes = [0, 1, 2].map((j) => ({
      supplierID: s[(i + j) % 3]!.supplierID,
      amount: 1100000 + i * 100000 + j * 55000,
      currency: "HNL",
      date: daysAgo(40),
    }));
    let inv = await as("caseworker@example.org", () =>
      Reintegration.invoices.create({ returnID: r.returnID, itemID: plan.items[0]!.itemID, quotes }),
    );
    if (i >= 3)
      inv = await as("caseworker@example.org", () =>
        Reintegration.invoices.select({
          invoiceID: inv.invoiceID,
          supplierID: quotes[0]!.supplierID,
          reason: "Lowest quote; delivers to the community",
          version: inv.version,
        }),
      );
    if (i >= 4)
      await as("supervisor@example.org", () =>
        Reintegration.invoices.decide({
          invoiceID: inv.invoiceID,
          approve: true,
          comment: "Within budget",
          version: inv.version,
        }),
      );
    if (i === 5)
      await as("caseworker@example.org", () =>
        Reintegration.invoices.create({
          returnID: r.returnID,
          itemID: plan.items[2]!.itemID,
          quotes: [{ supplierID: s[4]!.supplierID, amount: 240000, currency: "HNL", date: daysAgo(30) }],
          waiverReason: "Only licensed psychologist in the municipality",
        }),
      );
  }
}

/**
 * Demo programmes for Tapachula: three dozen resettlement, PTA and pathway submissions across every stage and six
 * countries against this year's quotas (BIDs approved by a panel where the rules need them, a BIA in the
 * supervision queue); fourteen host families and safe shelters with placements, visits, compliance checks and last
 * month's allowances as draft payments; six AVRR returns with plans, suppliers, quotes and one paid invoice.
 */
export async function seedProgrammes(): Promise<void> {
  await Actor.provide({ type: "system", reason: "seed", operationID: OP }, async () => {
    if (!(await User.byEmail("bidpanel@example.org")))
      await User.create({
        email: "bidpanel@example.org",
        name: "Layla Mansour",
        password: "waypoint-demo",
        grants: [{ operationID: OP, role: "supervisor", officeIDs: [TAP] }],
      });
    const submissions = await resettlement();
    try {
      await selectionMission();
    } catch (err) {
      log.warn({ err: (err as Error).message }, "demo selection mission not seeded");
    }
    const host = await hosting();
    await reintegration();
    log.info({ submissions, placed: host.placed, allowances: host.allowances }, "programmes seeded");
  });
}
