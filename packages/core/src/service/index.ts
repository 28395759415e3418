import {
  ServiceChanges,
  ServiceCreate,
  ServiceListQuery,
  type ServiceInfo,
} from "@waypoint/schema/community";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { splitChanges } from "../common/scope.ts";
import { Case } from "../case/index.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { Areas } from "../operation/areas.ts";
import { Operation } from "../operation/index.ts";
import { OrganisationEntity } from "../organisation/organisation.entity.ts";
import { ServiceEntity } from "./service.entity.ts";

type Stored = ServiceInfo & { deleted?: boolean };
const AUDITED = Object.keys(ServiceChanges.shape);

async function checkRefs(v: { organisationID?: string | null; areas?: string[] }, prefix = "") {
  const operationID = Actor.operationID();
  if (v.organisationID) {
    const org = (await OrganisationEntity.get({ organisationID: v.organisationID }).go()).data;
    if (!org || org.operationID !== operationID)
      throw InvalidError.field(`${prefix}organisationID`, "invalid.organisation", "No such partner organisation");
  }
  if (v.areas?.length) {
    const known = await Areas.load(operationID);
    if (known.size === 0) return;
    const bad = v.areas.findIndex((a) => !known.has(a));
    if (bad >= 0)
      throw InvalidError.field(`${prefix}areas.${bad}`, "invalid.area", "is not an administrative area of this operation");
  }
}

async function load(serviceID: string, consistent = false): Promise<Stored> {
  const s = (await ServiceEntity.get({ serviceID }).go({ consistent })).data as Stored | null;
  if (!s || s.deleted || s.operationID !== Actor.operationID()) throw new NotFoundError("service", serviceID);
  return s;
}

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();

/**
 * The service directory: services by area, provider, category, languages, eligibility and contact, searched when
 * informing people and offered on a case's referral form (the services that reach the case's area).
 */
export namespace Service {
  export type Info = ServiceInfo;

  export const create = fn(ServiceCreate, async (input): Promise<Info> => {
    const operationID = Actor.operationID();
    Actor.assert("service.manage", { operationID });
    await checkRefs(input);
    const now = nowIso();
    const item = {
      ...input,
      serviceID: Identifier.create("service"),
      operationID,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWriteOrConflict([
      { put: ServiceEntity.create(item).params() },
      Audit.txItem({
        recordID: item.serviceID,
        recordType: "service",
        action: "create",
        operationID,
        changes: Audit.diff({}, item, AUDITED),
      }),
    ]);
    return item as Info;
  });

  export async function get(serviceID: string): Promise<Info> {
    Actor.assert("service.read", { operationID: Actor.operationID() });
    return load(serviceID);
  }

  export const update = fn(
    z.object({ serviceID: z.string().max(40), version: z.number().int().min(1), changes: ServiceChanges }),
    async ({ serviceID, version, changes }): Promise<Info> => {
      const cur = await load(serviceID, true);
      Actor.assert("service.manage", { operationID: cur.operationID });
      await checkRefs(changes, "changes.");
      const { set, remove } = splitChanges(changes);
      // the directory's index is keyed by category: a new category moves the service there
      if (set.category) set.operationID = cur.operationID;
      const after = { ...cur, ...set } as Record<string, unknown>;
      for (const r of remove) delete after[r];
      const res = await writeVersioned(
        {
          entity: ServiceEntity,
          key: { serviceID },
          expectedVersion: version,
          set,
          remove,
          audit: {
            recordID: serviceID,
            recordType: "service",
            action: "update",
            operationID: cur.operationID,
            changes: Audit.diff(cur, after, AUDITED),
          },
          view: asRead(() => get(serviceID)),
        },
        async () => (await ServiceEntity.get({ serviceID }).go({ consistent: true })).data,
      );
      return { ...after, ...res } as Info;
    },
  );

  /** The areas a case is in: its household's (or its first person's), else its office's. */
  async function caseAreas(caseID: string): Promise<string[]> {
    const c = await Case.get(caseID);
    const fromHousehold = async (householdID: string | undefined) => {
      if (!householdID) return [];
      const h = (await HouseholdEntity.get({ householdID }).go()).data;
      return h && h.operationID === c.operationID ? [h.adm1, h.adm2].filter((a): a is string => !!a) : [];
    };
    let areas = await fromHousehold(c.householdID ?? undefined);
    for (const individualID of (c.individualIDs ?? []).slice(0, 5)) {
      if (areas.length) break;
      const p = (await IndividualEntity.get({ individualID }).go()).data as
        | { operationID: string; adm1?: string; adm2?: string; householdID?: string }
        | null;
      if (!p || p.operationID !== c.operationID) continue;
      areas = [p.adm1, p.adm2].filter((a): a is string => !!a);
      if (!areas.length) areas = await fromHousehold(p.householdID);
    }
    if (!areas.length) {
      const office = await Operation.office(c.officeID);
      areas = [office.adm1, office.adm2].filter((a): a is string => !!a);
    }
    return areas;
  }

  /**
   * The directory, searched: words in the name, provider, eligibility or description (accents and case
   * ignored), a category, an area (services for the whole operation always reach it; a district's service
   * reaches its own district only), a language; or the services fitting a case.
   */
  export const list = fn(ServiceListQuery, async (q) => {
    const operationID = Actor.operationID();
    Actor.assert("service.read", { operationID });
    const rows = (await ServiceEntity.query.byOperation({ operationID }).go({ pages: "all" })).data as Stored[];
    let wanted: string[] | undefined = q.area ? [q.area] : undefined;
    if (q.area) {
      const parent = (await Areas.load(operationID)).get(q.area)?.parent;
      if (parent) wanted!.push(parent);
    }
    if (q.caseID) wanted = await caseAreas(q.caseID);
    const words = q.q ? fold(q.q).split(/\s+/).filter(Boolean) : [];
    const items = rows.filter((s) => {
      if (s.deleted || s.operationID !== operationID) return false;
      if (!q.includeInactive && s.active === false) return false;
      if (q.category && s.category !== q.category) return false;
      if (q.language && s.languages.length && !s.languages.includes(q.language)) return false;
      if (wanted && s.areas.length && !s.areas.some((a) => wanted!.includes(a))) return false;
      if (words.length) {
        const text = fold([s.name, s.providerName, s.eligibility, s.description].filter(Boolean).join(" "));
        if (!words.every((w) => text.includes(w))) return false;
      }
      return true;
    });
    items.sort((a, b) => a.name.localeCompare(b.name));
    return { items: items as Info[], nextCursor: null, ...(q.caseID ? { areas: wanted ?? [] } : {}) };
  });
}
