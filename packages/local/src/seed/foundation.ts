import { Operation, Organisation, User } from "@waypoint/core";
import type { Role } from "@waypoint/schema";

/** Every demo user signs in with this password (local mode only; printed by `npm start`). */
export const DEMO_PASSWORD = "waypoint-demo";

export const DEMO_OPERATION = {
  operationID: "op_01JDEMOMEX0000000000000000",
  code: "MEX",
  name: "Mexico",
  country: "MX",
  currency: "MXN",
  timeZone: "America/Mexico_City",
  languages: ["es", "en"] as ("es" | "en")[],
};

/** Offices named like the duty stations of a real operation on Mexico's southern border and in receiving cities. */
export const DEMO_OFFICES = [
  {
    officeID: "off_01JDEMOTAP0000000000000000",
    code: "TAP",
    name: "Tapachula Field Office",
    adm1: "MX07",
    adm2: "MX07089",
    kind: "field_office" as const,
  },
  {
    officeID: "off_01JDEMOTEN0000000000000000",
    code: "TEN",
    name: "Tenosique Field Office",
    adm1: "MX27",
    adm2: "MX27017",
    kind: "field_office" as const,
  },
  {
    officeID: "off_01JDEMOMTY0000000000000000",
    code: "MTY",
    name: "Monterrey Integration Office",
    adm1: "MX19",
    adm2: "MX19039",
    kind: "office" as const,
  },
  {
    officeID: "off_01JDEMOSAL0000000000000000",
    code: "SAL",
    name: "Saltillo Integration Office",
    adm1: "MX05",
    adm2: "MX05030",
    kind: "office" as const,
  },
  {
    officeID: "off_01JDEMOGDL0000000000000000",
    code: "GDL",
    name: "Guadalajara Integration Office",
    adm1: "MX14",
    adm2: "MX14039",
    kind: "office" as const,
  },
];

export const TAP = DEMO_OFFICES[0]!.officeID;
export const MTY = DEMO_OFFICES[2]!.officeID;

/** One demo user per role: `<role>@example.org` (`approver@` for finance_approver). */
export const DEMO_USERS: {
  email: string;
  name: string;
  role: Role;
  officeIDs: string[];
  languages?: string[];
}[] = [
  { email: "admin@example.org", name: "Ana Registry-Admin", role: "admin", officeIDs: [] },
  { email: "supervisor@example.org", name: "Samuel Okafor", role: "supervisor", officeIDs: [TAP] },
  { email: "caseworker@example.org", name: "Carmen Villalobos", role: "caseworker", officeIDs: [TAP] },
  { email: "finance@example.org", name: "Farah Haddad", role: "finance", officeIDs: [] },
  { email: "approver@example.org", name: "Pierre Lamarque", role: "finance_approver", officeIDs: [] },
  { email: "viewer@example.org", name: "Valeria Ruiz", role: "viewer", officeIDs: [TAP] },
  {
    email: "interpreter@example.org",
    name: "Jean-Baptiste Pierre",
    role: "interpreter",
    officeIDs: [TAP],
    languages: ["hat", "fra", "spa"],
  },
];

export const DEMO_PARTNERS = [
  {
    organisationID: "org_01JDEMOHIAS000000000000000",
    name: "Servicio Jesuita a Refugiados (demo)",
    kind: "ngo" as const,
    services: ["legal", "psychosocial"],
  },
  {
    organisationID: "org_01JDEMOMSF0000000000000000",
    name: "Clínica Comunitaria Tapachula (demo)",
    kind: "service_provider" as const,
    services: ["health", "psychosocial"],
  },
  {
    organisationID: "org_01JDEMODIF0000000000000000",
    name: "DIF Chiapas (demo)",
    kind: "authority" as const,
    services: ["child_protection", "shelter"],
  },
];

export async function seedFoundation(): Promise<void> {
  await Operation.create(DEMO_OPERATION);
  for (const o of DEMO_OFFICES)
    await Operation.createOffice({ ...o, operationID: DEMO_OPERATION.operationID });
  for (const u of DEMO_USERS) {
    await User.create({
      email: u.email,
      name: u.name,
      password: DEMO_PASSWORD,
      languages: u.languages,
      grants: [{ operationID: DEMO_OPERATION.operationID, role: u.role, officeIDs: u.officeIDs }],
    });
  }
  for (const p of DEMO_PARTNERS) await Organisation.create({ ...p, operationID: DEMO_OPERATION.operationID });
}
