import { Faker, es, es_MX, fr, base, en } from "@faker-js/faker";
import type { IndividualCreate, LegalStatus, SpecificNeedsCode } from "@waypoint/schema";

/**
 * Synthetic but plausible registration groups for the demo and for scale tests: nationalities seen on Mexico's
 * southern border, names and languages that fit them, households with believable ages, and specific needs in
 * roughly the proportions protection desks report. No real person's data.
 */
export interface Origin {
  nationality: string;
  languages: string[];
  weight: number;
  names: () => { given: (sex: "female" | "male") => string; family: () => string };
  /** Two family names (Spanish naming), or one. */
  twoSurnames: boolean;
  /** How often each legal status is seen among them (default: the asylum mix on Mexico's southern border). */
  legalStatus?: { weight: number; value: LegalStatus }[];
  /** Share of registration groups that are one adult travelling alone (default: none beyond the usual mix). */
  alone?: number;
}

export const spanish = new Faker({ locale: [es_MX, es, en, base] });
export const french = new Faker({ locale: [fr, en, base] });

const HAITIAN_GIVEN = {
  female: [
    "Marie",
    "Nadège",
    "Roseline",
    "Guerline",
    "Fabienne",
    "Mirlande",
    "Islande",
    "Wideline",
    "Dieula",
    "Sherline",
    "Rose-Marie",
    "Lovely",
  ],
  male: [
    "Jean",
    "Jean-Baptiste",
    "Pierre",
    "Wilner",
    "Jocelyn",
    "Frantz",
    "Stevenson",
    "Wilson",
    "Dieuveut",
    "Ricardo",
    "Jean-Robert",
    "Fritznel",
  ],
};
const HAITIAN_FAMILY = [
  "Joseph",
  "Pierre",
  "Jean-Louis",
  "Charles",
  "Louis",
  "Desir",
  "Saint-Fleur",
  "Fils-Aimé",
  "Dorvil",
  "Toussaint",
  "Augustin",
  "Jean-Baptiste",
  "Lafortune",
  "Exantus",
  "Michel",
  "Noël",
];
export const ARABIC_GIVEN = {
  female: [
    "Fatima",
    "Aya",
    "Lina",
    "Rania",
    "Hala",
    "Nour",
    "Maryam",
    "Rasha",
    "Amal",
    "Huda",
    "Salma",
    "Yasmin",
  ],
  male: [
    "Mohammed",
    "Ahmad",
    "Omar",
    "Khaled",
    "Yusuf",
    "Mahmoud",
    "Ali",
    "Hassan",
    "Abdullah",
    "Ibrahim",
    "Walid",
    "Samir",
  ],
};
const SYRIAN_FAMILY = [
  "Al-Hassan",
  "Khalil",
  "Haddad",
  "Mansour",
  "Darwish",
  "Al-Ahmad",
  "Shami",
  "Kurdi",
  "Al-Masri",
  "Nasser",
  "Hamdan",
  "Sabbagh",
  "Al-Halabi",
  "Qassem",
];
export const AFGHAN_GIVEN = {
  female: [
    "Zahra",
    "Fatima",
    "Maryam",
    "Nazanin",
    "Shabnam",
    "Farzana",
    "Parwana",
    "Gulalai",
    "Laila",
    "Mariam",
    "Sakina",
    "Freshta",
  ],
  male: [
    "Mohammad",
    "Ahmad",
    "Abdul Rahim",
    "Farid",
    "Gul Agha",
    "Noor",
    "Hamid",
    "Jawad",
    "Rahmatullah",
    "Shafiq",
    "Wahid",
    "Zabihullah",
  ],
};
export const AFGHAN_FAMILY = [
  "Ahmadi",
  "Hashimi",
  "Karimi",
  "Rahimi",
  "Popal",
  "Stanikzai",
  "Noori",
  "Sultani",
  "Haidari",
  "Mohammadi",
  "Sadat",
  "Azizi",
  "Hotak",
  "Safi",
];

export const pick = <T>(f: Faker, xs: readonly T[]) => f.helpers.arrayElement(xs);
/** A one-word Spanish surname (the locale also has compound ones like "Zamarreno de Sarabia"). */
export const spanishSurname = () => {
  let s = spanish.person.lastName();
  for (let i = 0; i < 5 && s.includes(" "); i++) s = spanish.person.lastName();
  return s.split(" ").pop()!;
};

export const ORIGINS: Origin[] = [
  {
    nationality: "HND",
    languages: ["spa"],
    weight: 22,
    twoSurnames: true,
    names: () => ({ given: (s) => spanish.person.firstName(s), family: spanishSurname }),
  },
  {
    nationality: "SLV",
    languages: ["spa"],
    weight: 10,
    twoSurnames: true,
    names: () => ({ given: (s) => spanish.person.firstName(s), family: spanishSurname }),
  },
  {
    nationality: "GTM",
    languages: ["spa"],
    weight: 10,
    twoSurnames: true,
    names: () => ({ given: (s) => spanish.person.firstName(s), family: spanishSurname }),
  },
  {
    nationality: "HTI",
    languages: ["hat", "fra"],
    weight: 20,
    twoSurnames: false,
    names: () => ({
      given: (s) =>
        french.datatype.boolean(0.7) ? pick(french, HAITIAN_GIVEN[s]) : french.person.firstName(s),
      family: () => pick(french, HAITIAN_FAMILY),
    }),
  },
  {
    nationality: "VEN",
    languages: ["spa"],
    weight: 15,
    twoSurnames: true,
    names: () => ({ given: (s) => spanish.person.firstName(s), family: spanishSurname }),
  },
  {
    nationality: "CUB",
    languages: ["spa"],
    weight: 10,
    twoSurnames: true,
    names: () => ({ given: (s) => spanish.person.firstName(s), family: spanishSurname }),
  },
  {
    nationality: "AFG",
    languages: ["prs", "pus"],
    weight: 6,
    twoSurnames: false,
    names: () => ({
      given: (s) => pick(spanish, AFGHAN_GIVEN[s]),
      family: () => pick(spanish, AFGHAN_FAMILY),
    }),
  },
  {
    nationality: "SYR",
    languages: ["ara"],
    weight: 7,
    twoSurnames: false,
    names: () => ({
      given: (s) => pick(spanish, ARABIC_GIVEN[s]),
      family: () => pick(spanish, SYRIAN_FAMILY),
    }),
  },
];

export type Member = Omit<IndividualCreate, "officeID" | "householdID"> & { head?: boolean };
export interface GeneratedHousehold {
  nationality: string;
  phone: string;
  members: Member[];
}

function dob(f: Faker, age: number, now: Date): string {
  const d = new Date(
    Date.UTC(now.getUTCFullYear() - age, 0, 1) - f.number.int({ min: 0, max: 364 }) * 86_400_000,
  );
  return d.toISOString().slice(0, 10);
}

/** A Mexican mobile number in E.164 (+52 and ten digits), the way the operation records them. */
export const mexicanMobile = (f: Faker) =>
  `+52${pick(f, ["962", "934", "81", "844", "33"])}${f.string.numeric(7)}`.slice(0, 13);

export function seedFaker(seed: number): Faker {
  spanish.seed(seed);
  french.seed(seed + 1);
  const f = new Faker({ locale: [en, base] });
  f.seed(seed + 2);
  return f;
}

/**
 * Where the groups are registered: who arrives there (origins), the local mobile numbers and the languages the
 * office works in (anyone speaking none of them usually needs an interpreter). Mexico's southern border by default.
 */
export interface Population {
  origins: Origin[];
  phone: (f: Faker) => string;
  officeLanguages: string[];
}
export const MEXICO_POPULATION: Population = {
  origins: ORIGINS,
  phone: mexicanMobile,
  officeLanguages: ["spa"],
};

/** One registration group: a head (20-55), often a partner, children 0-17, sometimes a grandparent or a lone minor. */
export function makeHousehold(
  f: Faker,
  now = new Date(),
  population: Population = MEXICO_POPULATION,
): GeneratedHousehold {
  const origin = f.helpers.weightedArrayElement(
    population.origins.map((o) => ({ weight: o.weight, value: o })),
  );
  const names = origin.names();
  const surname = () => (origin.twoSurnames ? `${names.family()} ${names.family()}` : names.family());
  const family = surname();
  const paternal = family.split(" ")[0]!;
  const phone = population.phone(f);
  const members: Member[] = [];
  const base = (sex: "female" | "male", age: number, estimated: boolean): Member => ({
    givenName: names.given(sex),
    familyName: family,
    sex,
    ...(estimated ? { estimatedAge: age, dobEstimated: true } : { dateOfBirth: dob(f, age, now) }),
    nationality: origin.nationality,
    languages: origin.languages,
    interpreterNeeded:
      !origin.languages.some((l) => population.officeLanguages.includes(l)) && f.datatype.boolean(0.8),
    legalStatus: f.helpers.weightedArrayElement(
      origin.legalStatus ?? [
        { weight: 55, value: "asylum_seeker" as const },
        { weight: 25, value: "refugee" as const },
        { weight: 8, value: "complementary_protection" as const },
        { weight: 10, value: "migrant" as const },
        { weight: 2, value: "stateless" as const },
      ],
    ),
    specificNeeds: [],
  });
  const unaccompanied = f.datatype.boolean(0.03);
  if (unaccompanied) {
    const child = base(f.helpers.arrayElement(["female", "male"]), f.number.int({ min: 13, max: 17 }), false);
    child.specificNeeds = [f.datatype.boolean(0.6) ? "UASC-UM" : "UASC-SC", "CR"];
    child.relationshipToHead = "head";
    child.phone = phone;
    return { nationality: origin.nationality, phone, members: [{ ...child, head: true }] };
  }
  const headSex = f.helpers.weightedArrayElement([
    { weight: 55, value: "female" as const },
    { weight: 45, value: "male" as const },
  ]);
  const headAge = f.number.int({ min: 20, max: 55 });
  const alone = origin.alone !== undefined && f.datatype.boolean(origin.alone);
  const head: Member = {
    ...base(headSex, headAge, f.datatype.boolean(0.1)),
    relationshipToHead: "head",
    phone,
    head: true,
  };
  if (f.datatype.boolean(0.75))
    head.documents = [
      {
        type: "passport",
        number: `${origin.nationality[0]}${f.string.alphanumeric({ length: 8, casing: "upper" })}`,
        country: origin.nationality,
      },
    ];
  members.push(head);
  const partnered = !alone && f.datatype.boolean(0.6);
  if (partnered) {
    const sex = headSex === "female" ? "male" : "female";
    const partner = {
      ...base(sex, Math.max(18, headAge + f.number.int({ min: -6, max: 6 })), false),
      relationshipToHead: "spouse" as const,
    };
    if (origin.twoSurnames) partner.familyName = surname();
    members.push(partner);
  }
  const children = alone
    ? 0
    : f.helpers.weightedArrayElement([
        { weight: 20, value: 0 },
        { weight: 25, value: 1 },
        { weight: 25, value: 2 },
        { weight: 17, value: 3 },
        { weight: 9, value: 4 },
        { weight: 4, value: 5 },
      ]);
  for (let i = 0; i < children; i++) {
    const age = f.number.int({ min: 0, max: Math.min(17, headAge - 16) });
    const child = {
      ...base(f.helpers.arrayElement(["female", "male"]), age, false),
      relationshipToHead: "child" as const,
    };
    if (origin.twoSurnames && partnered)
      child.familyName = `${paternal} ${members[1]!.familyName.split(" ")[0]}`;
    if (f.datatype.boolean(0.5))
      child.documents = [
        { type: "birth_certificate", number: f.string.numeric(10), country: origin.nationality },
      ];
    members.push(child);
  }
  if (!alone && f.datatype.boolean(0.1)) {
    const elder = {
      ...base(
        f.helpers.arrayElement(["female", "male"]),
        Math.min(85, headAge + f.number.int({ min: 20, max: 30 })),
        f.datatype.boolean(0.4),
      ),
      relationshipToHead: "parent" as const,
    };
    members.push(elder);
  }
  addNeeds(f, members, partnered);
  return { nationality: origin.nationality, phone, members };
}

function addNeeds(f: Faker, members: Member[], partnered: boolean) {
  const add = (m: Member, code: SpecificNeedsCode) => {
    m.specificNeeds = [...new Set([...(m.specificNeeds ?? []), code])];
  };
  const age = (m: Member) =>
    m.estimatedAge ?? new Date().getUTCFullYear() - Number(m.dateOfBirth!.slice(0, 4));
  const head = members[0]!;
  if (!partnered && members.length > 1) add(head, "SP");
  for (const m of members) {
    const a = age(m);
    if (m.sex === "female" && a >= 18 && !partnered && f.datatype.boolean(0.3)) add(m, "WR");
    if (a >= 60 && f.datatype.boolean(0.4)) add(m, f.datatype.boolean(0.5) ? "ER" : "ER-NF");
    if (a < 18 && f.datatype.boolean(0.05)) add(m, "CR");
    if (f.datatype.boolean(0.04)) add(m, f.helpers.arrayElement(["DS-PM", "DS-MM", "DS-SD"] as const));
    if (f.datatype.boolean(0.06)) add(m, f.helpers.arrayElement(["SM", "SM-CI", "SM-MN"] as const));
    if (a >= 12 && f.datatype.boolean(0.03)) add(m, "SV");
    if (a >= 18 && f.datatype.boolean(0.01)) add(m, "TR");
    if (f.datatype.boolean(0.08)) add(m, "LP-ND");
  }
  if (f.datatype.boolean(0.05)) add(head, "FU-TR");
}
