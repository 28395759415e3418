import { Faker, base, en, es, es_MX, fr } from "@faker-js/faker";
import {
  Actor,
  Batch,
  Export,
  FspProfile,
  Individual,
  Organisation,
  Payee,
  Payment,
  Reconciliation,
  User,
  log,
  mapLimit,
} from "@waypoint/core";
import { CashRequest } from "@waypoint/core/payment/request";
import type { CaseType, LegalStatus } from "@waypoint/schema";
import { fromLocal, localDate, nextDay } from "@waypoint/schema/zone";
import { seedCasesAt, type CaseSite, type Slot } from "./cases.ts";
import { DEMO_COUNTRIES, ensureUsers, type DemoCountry } from "./countries.ts";
import { DEMO_PASSWORD } from "./foundation.ts";
import { onceIn, type Once } from "./once.ts";
import { AFGHAN_FAMILY, AFGHAN_GIVEN, makeHousehold, type Origin, type Population } from "./people.ts";
import { seedProgrammesAt, type People, type ProgrammeSite } from "./programmes.ts";
import { registerGroup } from "./registry.ts";

/**
 * The demo data of the four country operations besides Mexico, so each programme can be tried where it really runs
 * (docs: ../shared/DUTIES.md): a small registry of the people served there, casework assigned to the country's
 * caseworker with appointments today and this week (in the operation's time zone), and the office's own programme:
 * Guatemala resettlement and pathways with quotas and a selection mission, Libya community hosting, Afghanistan
 * protection case management with cash for protection paid by finance, Senegal return and reintegration.
 *
 * Every piece goes through the same seed helpers as Mexico's (registry, cases, case files, programmes), with the
 * country's site. Each piece is remembered once done (`once.ts`), so a start interrupted here resumes after the last
 * finished piece; the four countries are seeded side by side.
 */

type Sex = "female" | "male";
interface Group {
  nationality: string;
  languages: string[];
  weight: number;
  female: string[];
  male: string[];
  family: string[];
  twoSurnames?: boolean;
  legalStatus?: { weight: number; value: LegalStatus }[];
  alone?: number;
}

interface CountrySite {
  country: DemoCountry;
  /** index of the caseworker's office in `country.offices` */
  home: number;
  groups: Group[];
  officeLanguages: string[];
  households: number;
  phone: (f: Faker) => string;
  /** local days off (0 = Sunday): no appointments then, except today */
  weekend: number[];
  caseTypes: CaseType[];
  partners: {
    name: string;
    kind: "ngo" | "service_provider" | "authority" | "un_agency";
    services: string[];
  }[];
  caseFiles: Pick<CaseSite, "notes" | "incidents" | "documents" | "panel" | "bip" | "adm1" | "adm2">;
  programme?: (site: ProgrammeSite) => Partial<ProgrammeSite>;
  extra?: (ctx: {
    cases: Awaited<ReturnType<typeof seedCasesAt>>;
    once: Once;
    country: DemoCountry;
  }) => Promise<void>;
}

const digits = (f: Faker, n: number) => f.string.numeric({ length: n, allowLeadingZeros: true });

const refugees: Group["legalStatus"] = [
  { weight: 60, value: "refugee" },
  { weight: 40, value: "asylum_seeker" },
];
const returnee: Group["legalStatus"] = [
  { weight: 85, value: "returnee" },
  { weight: 15, value: "idp" },
];

/** A site's people for the programme seeders: names of the family's own group. */
function peopleOf(groups: Group[]): People {
  return {
    family: (k) => {
      const g = groups[k % groups.length]!;
      const fam = (j: number) => g.family[j % g.family.length]!;
      return {
        familyName: g.twoSurnames ? `${fam(k)} ${fam(k * 7 + 3)}` : fam(k * 7 + 3),
        nationality: g.nationality,
        languages: g.languages,
        legalStatus: g.legalStatus?.[0]?.value,
        given: (sex: Sex, i: number) => g[sex][(i * 7) % g[sex].length]!,
      };
    },
  };
}

function originsOf(groups: Group[], f: Faker): Origin[] {
  return groups.map((g) => ({
    nationality: g.nationality,
    languages: g.languages,
    weight: g.weight,
    twoSurnames: Boolean(g.twoSurnames),
    legalStatus: g.legalStatus,
    alone: g.alone,
    names: () => ({
      given: (sex: Sex) => f.helpers.arrayElement(g[sex]),
      family: () => f.helpers.arrayElement(g.family),
    }),
  }));
}

const spanishFaker = new Faker({ locale: [es_MX, es, en, base] });
const spanishNames = (n: number, sex: Sex) => {
  spanishFaker.seed(4100 + n);
  return Array.from({ length: 16 }, () => spanishFaker.person.firstName(sex));
};
const spanishSurnames = (n: number) => {
  spanishFaker.seed(4200 + n);
  return [
    ...new Set(Array.from({ length: 30 }, () => spanishFaker.person.lastName().split(" ").pop()!)),
  ].slice(0, 18);
};

/** Refugees and asylum seekers from a Central American country: Spanish names of their own (`n`), two surnames. */
const centralAmerican = (n: number, nationality: string, weight: number): Group => ({
  nationality,
  languages: ["spa"],
  legalStatus: refugees,
  weight,
  twoSurnames: true,
  female: spanishNames(n, "female"),
  male: spanishNames(n, "male"),
  family: spanishSurnames(n),
});

const GUATEMALA: CountrySite = {
  country: DEMO_COUNTRIES[0]!,
  home: 1,
  households: 9,
  officeLanguages: ["spa"],
  weekend: [0, 6],
  phone: (f) => `+502${f.helpers.arrayElement(["3", "4", "5"])}${digits(f, 7)}`,
  groups: [centralAmerican(1, "HND", 50), centralAmerican(2, "SLV", 30), centralAmerican(3, "NIC", 20)],
  caseTypes: ["protection"],
  partners: [
    { name: "Pastoral de Movilidad Humana (demo)", kind: "ngo", services: ["legal", "shelter"] },
    {
      name: "Médicos del Mundo Guatemala (demo)",
      kind: "service_provider",
      services: ["psychosocial", "health"],
    },
  ],
  caseFiles: {
    adm1: "GT12",
    adm2: "GT1215",
    panel: { email: "panel.gt@example.org", name: "Carlos Ajú (panel de interés superior)" },
    notes: [
      "Consejería sobre el procedimiento de reasentamiento y sus plazos; la persona entendió los siguientes pasos.",
      "Seguimiento: la referencia a asistencia legal fue aceptada, cita la próxima semana.",
      "Llamada telefónica: sin respuesta, se dejó mensaje con la vecina según lo acordado.",
      "Visita domiciliaria: la familia sigue en el albergue, los niños asisten a la escuela.",
      "Conferencia de caso con el supervisor; se revisó el nivel de riesgo.",
    ],
    incidents: [
      {
        kind: "sgbv",
        on: "restricted",
        assigned: true,
        description:
          "La sobreviviente relató una agresión durante el tránsito; referida a atención médica y psicosocial.",
      },
      {
        kind: "extortion",
        on: 3,
        assigned: true,
        description: "La familia recibió amenazas de la pandilla que la extorsionaba en San Pedro Sula.",
      },
    ],
    documents: [
      ["consent_form", "Consentimiento para compartir datos", "consentimiento.txt"],
      ["identity", "Copia de la partida de nacimiento", "partida.txt"],
      ["legal", "Constancia de solicitud de refugio", "constancia.txt"],
    ],
    bip: {
      summary: "Procedimiento de interés superior de un niño separado",
      bia: "Niño separado de sus padres en tránsito; vive con un primo adulto en Tecún Umán.",
      bid: "Búsqueda familiar realizada; se recomienda el reasentamiento con la madre en Canadá.",
      biaReview: "Evaluación completa; pasar a la determinación",
      bidReview: "De acuerdo con la recomendación",
      panelReview: "De acuerdo; se escucharon las opiniones del niño",
    },
  },
  programme: () => ({
    resettlement: {
      bidPanel: "panel.gt@example.org",
      submissions: 10,
      quotas: [
        { country: "USA", programme: "rst", quotaIndividuals: 120, targetCases: 35, targetIndividuals: 110 },
        { country: "CAN", programme: "rst", quotaIndividuals: 90, targetCases: 25, targetIndividuals: 85 },
        { country: "ESP", programme: "rst", quotaIndividuals: 40, targetCases: 12, targetIndividuals: 38 },
        { country: "USA", programme: "pta", quotaIndividuals: 60, targetCases: 18 },
        { country: "CAN", programme: "pta", quotaIndividuals: 40, targetCases: 12 },
      ],
      countries: ["USA", "CAN", "ESP", "CAN"],
      ptaCountries: ["USA", "CAN"],
      transitCountry: "CRI",
      mission: {
        country: "CAN",
        location: "Oficina de Tecún Umán, sala de entrevistas",
        room: "Sala 1",
        delegation: [
          { name: "Émilie Bouchard", role: "Agente de IRCC" },
          { name: "Daniel Roy", role: "Médico de la delegación" },
        ],
        note: "Entrevista con el jefe de hogar; relato coherente con la denuncia presentada en Honduras.",
        sections: {
          protectionNeeds: "Amenazas de muerte de una pandilla tras negarse a ser reclutado.",
          flightHistory: "Salió de Tegucigalpa con su familia; entró a Guatemala por Agua Caliente.",
        },
      },
    },
  }),
};

const LIBYA: CountrySite = {
  country: DEMO_COUNTRIES[1]!,
  home: 0,
  households: 14,
  officeLanguages: ["ara", "eng"],
  weekend: [5, 6],
  phone: (f) => `+218${f.helpers.arrayElement(["91", "92", "94"])}${digits(f, 7)}`,
  groups: [
    {
      nationality: "SDN",
      languages: ["ara"],
      weight: 45,
      alone: 0.5,
      legalStatus: [
        { weight: 60, value: "asylum_seeker" },
        { weight: 40, value: "migrant" },
      ],
      female: ["Fatima", "Amna", "Khadija", "Hawa", "Zainab", "Mariam", "Asha", "Nafisa", "Halima", "Sumaya"],
      male: [
        "Mohamed",
        "Adam",
        "Abdelrahman",
        "Yousif",
        "Osman",
        "Ibrahim",
        "Musa",
        "Hamid",
        "Abakar",
        "Suleiman",
        "Elnour",
        "Ishag",
      ],
      family: [
        "Abdalla",
        "Osman",
        "Yagoub",
        "Haroun",
        "Abakar",
        "Ishag",
        "Bakheet",
        "Elnour",
        "Hassan",
        "Suleiman",
        "Mahmoud",
        "Adam Ali",
      ],
    },
    {
      nationality: "NER",
      languages: ["hau", "fra"],
      weight: 30,
      alone: 0.8,
      legalStatus: [{ weight: 100, value: "migrant" }],
      female: ["Amina", "Hadiza", "Zeinabou", "Rakia", "Mariama", "Fati", "Habsatou", "Aïchatou"],
      male: [
        "Issoufou",
        "Moussa",
        "Abdou",
        "Souleymane",
        "Ibrahim",
        "Hamidou",
        "Salissou",
        "Moustapha",
        "Boubacar",
        "Oumarou",
      ],
      family: [
        "Issa",
        "Mahamadou",
        "Garba",
        "Abdou",
        "Hamani",
        "Souley",
        "Yacouba",
        "Idrissa",
        "Maïga",
        "Sani",
      ],
    },
    {
      nationality: "ERI",
      languages: ["tir"],
      weight: 25,
      alone: 0.6,
      legalStatus: [
        { weight: 70, value: "asylum_seeker" },
        { weight: 30, value: "refugee" },
      ],
      female: ["Senait", "Helen", "Selam", "Mebrat", "Rahel", "Yohana", "Tsega", "Feven", "Luwam", "Saba"],
      male: [
        "Yonas",
        "Tesfay",
        "Dawit",
        "Mussie",
        "Filmon",
        "Robel",
        "Amanuel",
        "Habtom",
        "Kibrom",
        "Biniam",
      ],
      family: [
        "Tesfay",
        "Gebremedhin",
        "Haile",
        "Berhane",
        "Tekle",
        "Ghebreyesus",
        "Kidane",
        "Woldu",
        "Asmerom",
        "Mehari",
      ],
    },
  ],
  caseTypes: ["community_hosting", "protection"],
  partners: [
    { name: "الهلال الأحمر الليبي - فرع طرابلس (تجريبي)", kind: "ngo", services: ["health", "shelter"] },
    {
      name: "مركز الدعم النفسي والاجتماعي - طرابلس (تجريبي)",
      kind: "service_provider",
      services: ["psychosocial"],
    },
  ],
  caseFiles: {
    adm1: "LY02",
    adm2: "LY0211",
    notes: [
      "جلسة إرشاد حول خدمات الإيواء المجتمعي؛ فهم المهاجر الخطوات التالية.",
      "متابعة: تم قبول الإحالة إلى الرعاية الصحية، الموعد الأسبوع القادم.",
      "مكالمة هاتفية: لا رد، تُركت رسالة لدى الأسرة المضيفة كما اتُفق.",
      "زيارة منزلية: الضيف مستقر لدى الأسرة المضيفة ولا توجد مخاوف.",
      "اجتماع حالة مع المشرف؛ تمت مراجعة مستوى الخطورة.",
    ],
    incidents: [
      {
        kind: "trafficking",
        on: "restricted",
        assigned: true,
        description: "أفاد الضحية باحتجازه وإجباره على العمل في مزرعة قرب سبها؛ أُحيل إلى الإيواء الآمن.",
      },
      {
        kind: "arbitrary_detention",
        on: 3,
        assigned: true,
        description: "احتُجز المهاجر ثلاثة أسابيع دون إجراءات عند نقطة تفتيش؛ أُفرج عنه بعد تدخل الشريك.",
      },
    ],
    documents: [
      ["consent_form", "موافقة على مشاركة البيانات", "consent.txt"],
      ["identity", "صورة من جواز السفر", "passport.txt"],
    ],
  },
  programme: () => ({
    hosting: {
      hosts: [
        { name: "أسرة الورفلي", latin: "Al-Warfalli family", shelter: false },
        { name: "أسرة بن عمران", latin: "Ben Omran family", shelter: false },
        { name: "أسرة الزنتاني", latin: "Al-Zintani family", shelter: false },
        { name: "أسرة القماطي", latin: "Al-Gamati family", shelter: false },
        { name: "أسرة المصراتي", latin: "Al-Misrati family", shelter: false },
        { name: "دار الأمان للإيواء - طرابلس", latin: "Dar Al-Aman shelter Tripoli", shelter: true },
      ],
      adm1: "LY02",
      adm2: ["LY0211", "LY0213"],
      currency: "LYD",
      allowance: 600000,
      account: (i) => ({ accountNumber: `LY0020${String(1000000000 + i * 7919)}` }),
      findings: [
        "يشكو الضيوف من الازدحام في الغرفة المشتركة؛ متابعة توفير أسرّة إضافية",
        "الضيوف بخير، لا مخاوف",
        "مراجعة مدونة السلوك مع الأسرة المضيفة والضيوف",
      ],
    },
  }),
};

const AFGHANISTAN: CountrySite = {
  country: DEMO_COUNTRIES[2]!,
  home: 1,
  households: 8,
  officeLanguages: ["prs", "pus", "eng"],
  weekend: [5],
  phone: (f) => `+93${f.helpers.arrayElement(["70", "78", "79", "77"])}${digits(f, 7)}`,
  groups: [
    {
      nationality: "AFG",
      languages: ["prs"],
      weight: 60,
      legalStatus: returnee,
      female: AFGHAN_GIVEN.female,
      male: AFGHAN_GIVEN.male,
      family: AFGHAN_FAMILY.filter((n) => !["Stanikzai", "Popal", "Hotak", "Safi"].includes(n)),
    },
    {
      nationality: "AFG",
      languages: ["pus"],
      weight: 40,
      legalStatus: returnee,
      female: ["Gulalai", "Malalai", "Nazia", "Palwasha", "Zarghuna", "Bibi Hawa", "Shazia", "Wagma"],
      male: [
        "Rahmatullah",
        "Zabihullah",
        "Gul Agha",
        "Naqibullah",
        "Khan Mohammad",
        "Sher Ali",
        "Ezatullah",
        "Bashir",
      ],
      family: [
        "Stanikzai",
        "Popal",
        "Hotak",
        "Safi",
        "Mangal",
        "Zadran",
        "Shinwari",
        "Achakzai",
        "Yousafzai",
        "Wardak",
      ],
    },
  ],
  caseTypes: ["protection", "cash_for_protection"],
  partners: [
    {
      name: "Women and Children Protection Organisation, Hirat (demo)",
      kind: "ngo",
      services: ["psychosocial", "child_protection"],
    },
    { name: "Hirat Legal Aid Centre (demo)", kind: "service_provider", services: ["legal", "documentation"] },
  ],
  caseFiles: {
    adm1: "AF32",
    adm2: "AF3210",
    notes: [
      "Counselling on available protection services after return from Iran; the returnee understood next steps.",
      "Follow-up visit: tazkira application submitted with the legal aid partner.",
      "Remote follow-up by phone: family reached in Guzara district, rent paid with the cash assistance.",
      "Home visit: family sharing one room with relatives; eviction risk reported.",
      "Case conference with the supervisor; risk level reviewed and cash for protection agreed.",
    ],
    incidents: [
      {
        kind: "sgbv",
        on: "restricted",
        assigned: true,
        description:
          "Survivor disclosed violence by a relative after deportation from Iran; referred to women's protection centre.",
      },
      {
        kind: "arbitrary_detention",
        on: 3,
        assigned: true,
        description:
          "Returnee detained two weeks in a border facility before deportation at Islam Qala; belongings confiscated.",
      },
      {
        kind: "child_abuse",
        on: "none",
        assigned: false,
        description:
          "Community report of a returnee child working in a brick kiln; under supervisor review, not yet assigned.",
      },
    ],
    documents: [
      ["consent_form", "Consent to share data", "consent.txt"],
      ["identity", "Copy of tazkira", "tazkira.txt"],
      ["assessment_form", "Signed vulnerability screening", "screening.txt"],
    ],
  },
  extra: cashForProtection,
};

const SENEGAL: CountrySite = {
  country: DEMO_COUNTRIES[3]!,
  home: 0,
  households: 10,
  officeLanguages: ["fra", "wol"],
  weekend: [0, 6],
  phone: (f) => `+221${f.helpers.arrayElement(["77", "78", "76", "70"])}${digits(f, 7)}`,
  groups: [
    {
      nationality: "SEN",
      languages: ["wol", "fra"],
      weight: 100,
      alone: 0.5,
      legalStatus: [{ weight: 100, value: "returnee" }],
      female: ["Fatou", "Aminata", "Awa", "Khady", "Mariama", "Ndeye", "Coumba", "Astou", "Sokhna", "Adama"],
      male: [
        "Mamadou",
        "Ousmane",
        "Cheikh",
        "Ibrahima",
        "Moussa",
        "Abdoulaye",
        "Modou",
        "Pape",
        "Assane",
        "Babacar",
        "Serigne",
        "Lamine",
      ],
      family: [
        "Diop",
        "Ndiaye",
        "Fall",
        "Sow",
        "Sarr",
        "Diallo",
        "Ba",
        "Gueye",
        "Faye",
        "Mbaye",
        "Cissé",
        "Seck",
        "Thiam",
        "Niang",
      ],
    },
  ],
  caseTypes: ["avr", "protection"],
  partners: [
    { name: "Caritas Dakar (démo)", kind: "ngo", services: ["psychosocial", "food"] },
    {
      name: "Centre de formation professionnelle de Pikine (démo)",
      kind: "service_provider",
      services: ["education", "livelihoods"],
    },
  ],
  caseFiles: {
    adm1: "SN01",
    adm2: "SN0101",
    notes: [
      "Séance d'écoute et de conseil après le retour de Libye ; la personne a compris les prochaines étapes.",
      "Suivi : la formation en mécanique est confirmée, début le mois prochain.",
      "Appel téléphonique : pas de réponse, message laissé au frère comme convenu.",
      "Visite à domicile : le bénéficiaire vit chez ses parents à Guédiawaye, projet en préparation.",
      "Réunion de cas avec le superviseur ; niveau de risque revu.",
    ],
    incidents: [
      {
        kind: "trafficking",
        on: "restricted",
        assigned: true,
        description:
          "Le bénéficiaire rapporte avoir été vendu à un employeur à Agadez avant son retour ; orienté vers un soutien psychosocial.",
      },
    ],
    documents: [
      ["consent_form", "Consentement au partage des données", "consentement.txt"],
      ["identity", "Copie du laissez-passer consulaire", "laissez-passer.txt"],
    ],
  },
  programme: () => ({
    reintegration: {
      suppliers: [
        { name: "Ferme avicole de Keur Massar", category: "livestock" },
        { name: "Quincaillerie Thiaroye", category: "tools_equipment" },
        { name: "Sandaga Distribution SARL", category: "merchandise" },
        { name: "Centre de formation professionnelle de Pikine", category: "training" },
        { name: "Cabinet de psychologie Teranga", category: "health" },
      ],
      supplierCountry: "SEN",
      supplierAccount: (name) => `SN${String(Math.abs(name.length * 7919)).padStart(12, "0")}`,
      countries: ["SEN"],
      currency: "XOF",
      // 1,200,000 HNL-cents (12,000 HNL) ≈ 290,000 XOF: XOF has no minor unit
      scale: 0.24,
      items: [
        "Poulailler de 200 poules et aliments",
        "Outillage de menuiserie",
        "Stock pour une boutique",
        "Machine à coudre et tissus",
      ],
      social: "Inscription scolaire et fournitures pour les enfants",
      psychosocial: "Six séances de soutien psychosocial",
      monitoring: "Activité en marche ; la famille dit aller mieux",
      selection: "Devis le moins cher ; livre au quartier",
      waiver: "Seul psychologue agréé dans la commune",
    },
  }),
};

export const COUNTRY_SITES = [GUATEMALA, LIBYA, AFGHANISTAN, SENEGAL];

/** Booking slots today and on the next six working days, three a morning in the operation's time zone. */
function slotsOf(site: CountrySite): Slot[] {
  const zone = site.country.operation.timeZone;
  const rooms = site.country.offices[site.home]!.rooms;
  const today = localDate(Date.now(), zone);
  const out: Slot[] = [];
  for (let d = 0; d < 9 && out.length < 21; d++) {
    const date = nextDay(today, d);
    if (d > 0 && site.weekend.includes(new Date(`${date}T12:00:00Z`).getUTCDay())) continue;
    for (const [h, [from, to]] of [
      ["09:00", "09:45"],
      ["10:30", "11:15"],
      ["14:00", "14:45"],
    ].entries())
      out.push({
        d,
        h,
        start: fromLocal(date, from!, zone),
        end: fromLocal(date, to!, zone),
        room: rooms[h % rooms.length]!,
      });
  }
  return out;
}

const cc = (c: DemoCountry) => c.operation.country.toLowerCase();

async function seedCountry(site: CountrySite): Promise<void> {
  const c = site.country;
  const op = c.operation.operationID;
  const once = onceIn(`country:${c.operation.code}`);
  const t = performance.now();
  await ensureUsers(c);
  const caseworker = `caseworker.${cc(c)}@example.org`;
  const supervisor = `supervisor.${cc(c)}@example.org`;
  const home = c.offices[site.home]!;
  const away = c.offices[1 - site.home]!;
  const area = (o: typeof home) => ({ adm1: o.adm1, adm2: o.adm2 });

  // The registry: households of the people served there, most at the caseworker's office.
  const f = new Faker({ locale: [fr, en, base] });
  f.seed(7000 + c.operation.code.charCodeAt(0) * 31 + c.operation.code.charCodeAt(1));
  const population: Population = {
    origins: originsOf(site.groups, f),
    phone: site.phone,
    officeLanguages: site.officeLanguages,
  };
  const groups = Array.from({ length: site.households }, (_, i) => ({
    g: makeHousehold(f, new Date(), population),
    office: i % 4 === 3 ? away : home,
  }));
  const registered = await mapLimit(groups, 2, ({ g, office }, i) =>
    once(`household:${i}`, async () =>
      (await registerGroup(g, office.officeID, office.adm1, office.adm2)).map((r) => ({
        individualID: r.individualID,
        officeID: r.officeID,
        adult: r.dateOfBirth
          ? r.dateOfBirth < `${new Date().getUTCFullYear() - 18}`
          : (r.estimatedAge ?? 0) >= 18,
      })),
    ),
  );
  const lap = (step: string) =>
    log.debug(
      { operation: c.operation.code, step, ms: Math.round(performance.now() - t) },
      "country seed step",
    );
  lap("registry");
  // cases are about adults (a child's case in the registry is the BIP's)
  const people = registered
    .flat()
    .filter((p) => p.officeID === home.officeID && p.adult)
    .map((p) => p.individualID);

  // Partners the caseworker refers to.
  const partners: CaseSite["partners"] = [];
  for (const [j, p] of site.partners.entries())
    partners.push(
      await once(`partner:${j}`, async () => {
        const o = await Organisation.create({ ...p, operationID: op } as never);
        return { organisationID: o.organisationID, services: p.services };
      }),
    );
  if (site.caseFiles.panel && !(await User.byEmail(site.caseFiles.panel.email)))
    await User.create({
      email: site.caseFiles.panel.email,
      name: site.caseFiles.panel.name,
      password: DEMO_PASSWORD,
      grants: [{ operationID: op, role: "supervisor", officeIDs: [home.officeID] }],
    });

  // Casework assigned to the caseworker, its appointments and case files.
  const cases = await seedCasesAt({
    operationID: op,
    officeID: home.officeID,
    caseworker,
    supervisor,
    ...area(home),
    ...site.caseFiles,
    types: site.caseTypes,
    partners,
    referrals: 5,
    slots: slotsOf(site),
    appointmentKinds: ["interview", "counselling", "briefing"],
    people,
    once,
  });

  lap("cases");
  // The office's own programme.
  if (site.programme) {
    const base: ProgrammeSite = {
      operationID: op,
      officeID: home.officeID,
      caseworker,
      supervisor,
      people: peopleOf(site.groups),
      assign: true,
      once,
      k: 0,
    };
    await seedProgrammesAt({ ...base, ...site.programme(base) });
  }
  if (site.extra) await site.extra({ cases, once, country: c });
  log.info(
    {
      operation: c.operation.code,
      individuals: registered.flat().length,
      cases: cases.length,
      ms: Math.round(performance.now() - t),
    },
    "seeded country operation",
  );
}

/**
 * Afghanistan's cash for protection: the caseworker asks for cash on four open cases (to the person's mobile
 * wallet), the supervisor approves two and declines one (one waits in the queue); finance batches the approved
 * ones, the approver approves the batch, it is exported and the wallet provider's status file reconciled.
 */
async function cashForProtection({ cases, once, country }: Parameters<NonNullable<CountrySite["extra"]>>[0]) {
  const op = country.operation.operationID;
  const actor = async (email: string): Promise<Actor.User> => {
    const u = (await User.byEmail(email))!;
    const g = u.grants.find((x) => x.operationID === op)!;
    return { type: "user", userID: u.userID, email, operationID: op, role: g.role, officeIDs: g.officeIDs };
  };
  const [cw, sup, finance, approver] = await Promise.all(
    ["caseworker", "supervisor", "finance", "approver"].map((r) => actor(`${r}.af@example.org`)),
  );
  const as = <R>(a: Actor.User, fn: () => Promise<R>) => Actor.provide(a, fn);
  const open = cases
    .filter((c) => c.stage !== "closed" && c.stage !== "open" && c.individualIDs.length && !c.restricted)
    .sort((a, b) => Number(b.type === "cash_for_protection") - Number(a.type === "cash_for_protection"))
    .slice(0, 4);
  const fsp = await once("fsp", () =>
    as(finance!, async () => {
      const p = await FspProfile.create({
        name: "HesabPay mobile wallet (demo)",
        kind: "mobile_money",
        currency: "AFN",
        defaultFormat: "mobile-money-csv",
        mobileMoney: {
          provider: "hesabpay",
          delimiter: ",",
          columns: [
            { header: "msisdn", field: "msisdn" },
            { header: "amount", field: "amount" },
            { header: "name", field: "payeeName" },
            { header: "reference", field: "endToEndId" },
          ],
        },
      });
      return p.fspProfileID;
    }),
  );
  const reasons = [
    "Rent arrears after deportation; landlord threatens eviction of the family this month.",
    "Transport and medical costs for the survivor's follow-up at the Hirat regional hospital.",
    "Family without income after return; cash to avoid child labour while livelihood referral is pending.",
    "Winterisation: heating fuel and blankets for a female-headed household with an elderly parent.",
  ];
  const decisions = ["approved", "approved", "declined", undefined] as const;
  const approved: string[] = [];
  for (const [i, c] of open.entries()) {
    const paymentID = await once(`cash:${i}`, async () => {
      const individualID = c.individualIDs[0]!;
      const person = await Individual.get(individualID);
      const payee = await as(finance!, () =>
        Payee.create({
          kind: "individual",
          name: `${person.givenName} ${person.familyName}`,
          individualID,
          officeID: c.officeID,
          channel: {
            type: "mobile_money",
            msisdn: `+9379${String(3000000 + i * 7919).slice(0, 7)}`,
            provider: "hesabpay",
          },
        }),
      );
      let pay = await as(cw!, () =>
        CashRequest.request(c.caseID, {
          payeeID: payee.payeeID,
          amount: [450000, 350000, 900000, 600000][i]!,
          reason: reasons[i]!,
        }),
      );
      const decision = decisions[i];
      if (decision)
        pay = await as(sup!, () =>
          CashRequest.decide(pay.paymentID, {
            version: pay.version,
            decision,
            ...(decision === "declined"
              ? {
                  reason:
                    "Covered by the winter distribution next week; ask again if it does not reach them.",
                }
              : {}),
          }),
        );
      return decision === "approved" ? pay.paymentID : undefined;
    });
    if (paymentID) approved.push(paymentID);
  }
  if (approved.length === 0) return;
  await once("cash-batch", async () => {
    const b = await as(finance!, () =>
      Batch.create({
        fspProfileID: fsp,
        currency: "AFN",
        paymentIDs: approved,
        name: "Cash for protection, Hirat (wallets)",
      }),
    );
    await as(finance!, () => Batch.submit(b.batchID));
    await as(approver!, () => Batch.approve(b.batchID));
    await as(finance!, () => Export.run(b.batchID, { format: "mobile-money-csv" }));
    const members = await as(finance!, async () => (await Payment.list({ batchID: b.batchID })).items);
    const content = ["reference,status,reason", ...members.map((p) => `${p.endToEndId},success,`)].join("\n");
    await as(finance!, () => Reconciliation.importFile(b.batchID, { format: "csv", content }));
  });
}

/** One country operation's demo data (by operation code, e.g. `LBY`), under a system actor of that operation. */
export async function seedCountrySite(code: string): Promise<void> {
  const site = COUNTRY_SITES.find((s) => s.country.operation.code === code)!;
  await Actor.provide(
    { type: "system", reason: "seed", operationID: site.country.operation.operationID },
    () => seedCountry(site),
  );
}

/** The four country operations' demo data, side by side (each remembers what it has done). */
export async function seedCountryData(): Promise<void> {
  await Promise.all(COUNTRY_SITES.map((site) => seedCountrySite(site.country.operation.code)));
}
