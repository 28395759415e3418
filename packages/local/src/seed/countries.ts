import { Operation, User } from "@waypoint/core";
import type { Role } from "@waypoint/schema";
import { DEMO_OPERATION, DEMO_PASSWORD } from "./foundation.ts";

/**
 * One demo operation per seed country office besides Mexico (foundation.ts), each with its country, currency,
 * time zone, languages, a few administrative areas in the country's own p-codes, offices with rooms and three
 * demo users (`admin.<cc>@`, `supervisor.<cc>@`, `caseworker.<cc>@example.org`), so each programme can be tried
 * where it really runs. The Mexico demo users get no grant here.
 */
export interface DemoCountry {
  operation: {
    operationID: string;
    code: string;
    name: string;
    country: string;
    currency: string;
    timeZone: string;
    languages: ("en" | "es" | "fr" | "ar")[];
  };
  /** pcode,name,parent,level */
  areas: string[];
  offices: {
    officeID: string;
    code: string;
    name: string;
    adm1: string;
    adm2: string;
    kind: "office" | "field_office";
    rooms: string[];
  }[];
  users: { email: string; name: string; role: Role; office?: number }[];
}

/** Mexico's areas (INEGI codes as p-codes) that the demo offices and records use. */
export const MEXICO_AREAS = [
  "MX05,Coahuila de Zaragoza,,1",
  "MX05030,Saltillo,MX05,2",
  "MX07,Chiapas,,1",
  "MX07019,Comitán de Domínguez,MX07,2",
  "MX07089,Tapachula,MX07,2",
  "MX14,Jalisco,,1",
  "MX14039,Guadalajara,MX14,2",
  "MX19,Nuevo León,,1",
  "MX19039,Monterrey,MX19,2",
  "MX27,Tabasco,,1",
  "MX27017,Tenosique,MX27,2",
];

export const DEMO_COUNTRIES: DemoCountry[] = [
  {
    operation: {
      operationID: "op_01JDEMOGTM0000000000000000",
      code: "GTM",
      name: "Guatemala",
      country: "GT",
      currency: "GTQ",
      timeZone: "America/Guatemala",
      languages: ["es", "en"],
    },
    areas: [
      "GT01,Guatemala,,1",
      "GT0101,Guatemala,GT01,2",
      "GT0108,Mixco,GT01,2",
      "GT09,Quetzaltenango,,1",
      "GT0901,Quetzaltenango,GT09,2",
      "GT12,San Marcos,,1",
      "GT1215,Ayutla (Tecún Umán),GT12,2",
      "GT17,Petén,,1",
      "GT1701,Flores,GT17,2",
    ],
    offices: [
      { officeID: "off_01JDEMOGCT0000000000000000", code: "GUA", name: "Guatemala City Office", adm1: "GT01", adm2: "GT0101", kind: "office", rooms: ["Sala 1", "Sala 2"] },
      { officeID: "off_01JDEMOTCU0000000000000000", code: "TCU", name: "Tecún Umán Field Office", adm1: "GT12", adm2: "GT1215", kind: "field_office", rooms: ["Sala 1"] },
    ],
    users: [
      { email: "admin.gt@example.org", name: "Lucía Xoc", role: "admin" },
      { email: "supervisor.gt@example.org", name: "Mario Cifuentes", role: "supervisor", office: 1 },
      { email: "caseworker.gt@example.org", name: "Ana Tzul", role: "caseworker", office: 1 },
    ],
  },
  {
    operation: {
      operationID: "op_01JDEMOLBY0000000000000000",
      code: "LBY",
      name: "Libya",
      country: "LY",
      currency: "LYD",
      timeZone: "Africa/Tripoli",
      languages: ["ar", "en"],
    },
    areas: [
      "LY01,East,,1",
      "LY0104,Benghazi,LY01,2",
      "LY02,West,,1",
      "LY0211,Tripoli,LY02,2",
      "LY0213,Misrata,LY02,2",
      "LY03,South,,1",
      "LY0302,Sebha,LY03,2",
    ],
    offices: [
      { officeID: "off_01JDEMOTIP0000000000000000", code: "TIP", name: "Tripoli Office", adm1: "LY02", adm2: "LY0211", kind: "office", rooms: ["Room A", "Room B"] },
      { officeID: "off_01JDEMOBEN0000000000000000", code: "BEN", name: "Benghazi Field Office", adm1: "LY01", adm2: "LY0104", kind: "field_office", rooms: ["Room A"] },
    ],
    users: [
      { email: "admin.ly@example.org", name: "Salma Bensaud", role: "admin" },
      { email: "supervisor.ly@example.org", name: "Omar Elmagrahi", role: "supervisor", office: 0 },
      { email: "caseworker.ly@example.org", name: "Huda Alsharif", role: "caseworker", office: 0 },
    ],
  },
  {
    operation: {
      operationID: "op_01JDEMOAFG0000000000000000",
      code: "AFG",
      name: "Afghanistan",
      country: "AF",
      currency: "AFN",
      timeZone: "Asia/Kabul",
      languages: ["en"],
    },
    areas: [
      "AF01,Kabul,,1",
      "AF0101,Kabul,AF01,2",
      "AF17,Nangarhar,,1",
      "AF1701,Jalalabad,AF17,2",
      "AF1712,Torkham (Mohmand Dara),AF17,2",
      "AF32,Hirat,,1",
      "AF3201,Hirat,AF32,2",
      "AF3210,Islam Qala (Kohsan),AF32,2",
    ],
    offices: [
      { officeID: "off_01JDEMOKBL0000000000000000", code: "KBL", name: "Kabul Office", adm1: "AF01", adm2: "AF0101", kind: "office", rooms: ["Room 1", "Room 2"] },
      { officeID: "off_01JDEMOHEA0000000000000000", code: "HEA", name: "Hirat Field Office", adm1: "AF32", adm2: "AF3201", kind: "field_office", rooms: ["Room 1"] },
    ],
    users: [
      { email: "admin.af@example.org", name: "Farid Noori", role: "admin" },
      { email: "supervisor.af@example.org", name: "Mariam Sultani", role: "supervisor", office: 1 },
      { email: "caseworker.af@example.org", name: "Ahmad Rahimi", role: "caseworker", office: 1 },
      // cash for protection: finance pays what the supervisor approved, a second person approves the batch
      { email: "finance.af@example.org", name: "Nadia Hakimi", role: "finance" },
      { email: "approver.af@example.org", name: "Sayed Jalal Hashimi", role: "finance_approver" },
    ],
  },
  {
    operation: {
      operationID: "op_01JDEMOSEN0000000000000000",
      code: "SEN",
      name: "Sénégal",
      country: "SN",
      currency: "XOF",
      timeZone: "Africa/Dakar",
      languages: ["fr", "en"],
    },
    areas: [
      "SN01,Dakar,,1",
      "SN0101,Dakar,SN01,2",
      "SN0102,Guédiawaye,SN01,2",
      "SN12,Tambacounda,,1",
      "SN1204,Tambacounda,SN12,2",
      "SN14,Ziguinchor,,1",
      "SN1403,Ziguinchor,SN14,2",
    ],
    offices: [
      { officeID: "off_01JDEMODKR0000000000000000", code: "DKR", name: "Bureau de Dakar", adm1: "SN01", adm2: "SN0101", kind: "office", rooms: ["Salle 1", "Salle 2"] },
      { officeID: "off_01JDEMOTAM0000000000000000", code: "TMB", name: "Bureau de terrain de Tambacounda", adm1: "SN12", adm2: "SN1204", kind: "field_office", rooms: ["Salle 1"] },
    ],
    users: [
      { email: "admin.sn@example.org", name: "Aminata Ndiaye", role: "admin" },
      { email: "supervisor.sn@example.org", name: "Moussa Sarr", role: "supervisor", office: 0 },
      { email: "caseworker.sn@example.org", name: "Fatou Diallo", role: "caseworker", office: 0 },
    ],
  },
];

export const COUNTRY_USERS = DEMO_COUNTRIES.flatMap((c) => c.users.map((u) => ({ ...u, operation: c.operation.name })));

const csv = (rows: string[]) => ["pcode,name,parent_pcode,level", ...rows].join("\n");

/** Idempotent: a start interrupted while seeding runs it again. */
export async function seedCountries(): Promise<void> {
  await Operation.importAreas(DEMO_OPERATION.operationID, { csv: csv(MEXICO_AREAS) });
  for (const c of DEMO_COUNTRIES) await createCountry(c);
}

/** One country operation with its areas, offices and demo users; idempotent. */
export async function createCountry(c: DemoCountry): Promise<void> {
  const exists = await Operation.get(c.operation.operationID).catch(() => undefined);
  if (!exists) await Operation.create(c.operation);
  const result = await Operation.importAreas(c.operation.operationID, { csv: csv(c.areas) });
  if (!result.stored) throw new Error(`demo areas of ${c.operation.name}: ${JSON.stringify(result.errors)}`);
  for (const o of c.offices)
    if (!(await Operation.office(o.officeID).catch(() => undefined)))
      await Operation.createOffice({
        ...o,
        rooms: o.rooms.map((name) => ({ name })),
        operationID: c.operation.operationID,
      });
  await ensureUsers(c);
}

/** The demo users of a country operation (also run by later seeders, for data folders seeded before a user was added). */
export async function ensureUsers(c: DemoCountry): Promise<void> {
  await Promise.all(
    c.users.map(async (u) => {
      if (await User.byEmail(u.email)) return;
      await User.create({
        email: u.email,
        name: u.name,
        password: DEMO_PASSWORD,
        grants: [
          {
            operationID: c.operation.operationID,
            role: u.role,
            officeIDs: u.office === undefined ? [] : [c.offices[u.office]!.officeID],
          },
        ],
      });
    }),
  );
}
