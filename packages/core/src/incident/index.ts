import {
  IncidentChanges,
  IncidentCreate,
  IncidentListQuery,
  type IncidentInfo,
} from "@waypoint/schema/cases";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { caseTarget, loadCase } from "../case/store.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, bulk, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, listPartition, splitChanges, visible } from "../common/scope.ts";
import { IncidentEntity } from "./incident.entity.ts";
import { Narrative } from "../privacy/narrative.ts";
import { ConfiguredOn } from "../fields/apply.ts";

/** What happened, in the survivor's words: encrypted at field level before it reaches the table. */
const NARRATIVE = ["description"] as const;
import { Areas } from "../operation/areas.ts";

/**
 * Protection incidents (SGBV, trafficking, child abuse, violence, detention…). Always restricted, whatever the
 * kind: only staff assigned to the incident, its author, and the restricted roles (supervisors of the office)
 * see it; anyone else is told it does not exist (404, never 403, so its existence does not leak); every read,
 * in a list or alone, is audited.
 */
export namespace Incident {
  export type Info = z.infer<typeof IncidentInfo> & { deleted?: boolean };

  export const target = (i: Info): Actor.Target => ({
    operationID: i.operationID,
    officeID: i.officeID,
    assignedTo: i.assignedTo,
    createdBy: i.createdBy,
    restricted: true,
  });

  export async function load(incidentID: string): Promise<Info | undefined> {
    const i = (await IncidentEntity.get({ incidentID }).go({ consistent: true })).data as Info | null;
    return i ? Narrative.openFields(i, NARRATIVE) : undefined;
  }

  /** The incident as stored (every configured value), after the read check. */
  async function readStored(incidentID: string): Promise<Info> {
    return authorisedRead("incident", incidentID, "incident.read", await load(incidentID), target);
  }

  export async function get(incidentID: string): Promise<Info> {
    return ConfiguredOn.view("incident", await readStored(incidentID));
  }

  async function checkRefs(
    v: { caseID?: string | null; individualIDs?: string[]; assignedTo?: string | null },
    prefix = "",
  ) {
    if (v.caseID) {
      const c = await loadCase(v.caseID);
      if (!c || c.operationID !== Actor.operationID() || !Actor.can("case.read", caseTarget(c)))
        throw InvalidError.field(`${prefix}caseID`, "invalid.case", "No such case");
    }
    const people = v.individualIDs?.length
      ? await Refs.individuals(v.individualIDs, `${prefix}individualIDs`)
      : [];
    if (v.assignedTo) await Refs.staff(v.assignedTo, `${prefix}assignedTo`);
    return people;
  }

  /**
   * The survivor's sex and age group for protection monitoring, when the form left them out: those of the first
   * person linked, their age on the day of the incident.
   */
  function survivor(
    people: { sex?: string; dateOfBirth?: string; estimatedAge?: number; timeCreated?: string }[],
    day: string,
  ): { survivorSex?: Info["survivorSex"]; survivorAgeGroup?: Info["survivorAgeGroup"] } {
    const p = people[0];
    if (!p) return {};
    let age: number | undefined;
    if (p.dateOfBirth) {
      age = Number(day.slice(0, 4)) - Number(p.dateOfBirth.slice(0, 4));
      if (day.slice(5) < p.dateOfBirth.slice(5, 10)) age -= 1;
    } else if (p.estimatedAge !== undefined)
      age = p.estimatedAge + Math.max(0, Number(day.slice(0, 4)) - Number((p.timeCreated ?? day).slice(0, 4)));
    const group: Info["survivorAgeGroup"] =
      age === undefined || age < 0
        ? "unknown"
        : age <= 4
          ? "0-4"
          : age <= 11
            ? "5-11"
            : age <= 17
              ? "12-17"
              : age <= 59
                ? "18-59"
                : "60+";
    const sex = (["female", "male", "other"] as const).find((s) => s === p.sex) ?? "unknown";
    return { survivorSex: sex, survivorAgeGroup: group };
  }

  export const create = fn(IncidentCreate, async (input): Promise<Info> => {
    const operationID = Actor.operationID();
    Actor.assert("incident.create", { operationID, officeID: input.officeID });
    await Refs.office(input.officeID);
    const people = await checkRefs(input);
    await Areas.check(operationID, input);
    const now = nowIso();
    const derived = input.survivorSex === undefined ? survivor(people, input.dateOfIncident) : {};
    const configured = await ConfiguredOn.create("incident", operationID, input.fields);
    const item: Info = ConfiguredOn.put({
      ...input,
      ...derived,
      ...(input.survivorAgeGroup ? { survivorAgeGroup: input.survivorAgeGroup } : {}),
      incidentID: Identifier.create("incident"),
      operationID,
      restricted: true,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    }, configured.fields);
    await transactWriteOrConflict([
      {
        put: IncidentEntity.create(
          (await Narrative.sealFields(operationID, item, NARRATIVE)) as never,
        ).params(),
      },
      Audit.txItem({
        recordID: item.incidentID,
        recordType: "incident",
        action: "create",
        operationID,
        officeID: item.officeID,
        restricted: true,
        ...(Object.keys(configured.changes).length ? { changes: configured.changes } : {}),
      }),
    ]);
    return ConfiguredOn.view("incident", item);
  });

  export async function createMany(rows: { ref?: string; values: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const r = await create(row.values as z.input<typeof IncidentCreate>);
        return { id: r.incidentID, ref: row.ref, status: "created", version: r.version, record: r };
      } catch (err) {
        prefixIssues(err, `rows.${i}.values.`);
        throw err;
      }
    });
  }

  /** Incidents the actor may see: a supervisor's office, or the incidents assigned to or written by the actor. */
  export const list = fn(IncidentListQuery, async (q) => {
    const part = listPartition("incident.read", q.officeID);
    const me = part.kind === "own" ? part.userID : undefined;
    const key = part.kind === "office" ? part.officeID : part.kind === "own" ? part.userID : part.operationID;
    const scope = `incident:${part.kind}:${key}:${q.kind}:${q.caseID}`;
    const cursor = Cursor.verify(q.cursor, scope);
    let query =
      part.kind === "office"
        ? IncidentEntity.query.byOffice({ officeID: part.officeID })
        : IncidentEntity.query.byOperation({ operationID: Actor.operationID() });
    if (q.updatedSince) query = query.gte({ timeUpdated: q.updatedSince }) as typeof query;
    // A case's or a person's records are few among the office's: read on until `limit` of them are found
    // (DynamoDB filters after reading a page, so one page of the office could hold none of them).
    const res = await query
      .where((a, { eq }) =>
        [
          q.kind && eq(a.kind, q.kind),
          q.caseID && eq(a.caseID, q.caseID),
          me && `(${eq(a.createdBy, me)} OR ${eq(a.assignedTo, me)})`,
        ]
          .filter(Boolean)
          .join(" AND "),
      )
      .go({ ...(q.caseID ? { count: q.limit } : { limit: q.limit }), cursor, order: "desc" });
    const items = await visible(
      "incident",
      "incident.read",
      await Promise.all((res.data as Info[]).map((i) => Narrative.openFields(i, NARRATIVE))),
      (i) => i.incidentID,
      target,
    );
    return { items: await ConfiguredOn.viewAll("incident", items), nextCursor: Cursor.sign(res.cursor, scope) };
  });

  export const PatchInput = z.object({
    incidentID: z.string(),
    version: z.number().int().min(1),
    changes: IncidentChanges,
  });
  export const patch = fn(PatchInput, async ({ incidentID, version, changes: input }): Promise<Info> => {
    const cur = await readStored(incidentID);
    Actor.assert("incident.update", target(cur));
    const { fields: configuredInput, ...changes } = input;
    const configured = await ConfiguredOn.patch("incident", cur, configuredInput);
    await checkRefs(changes, "changes.");
    const { set, remove } = splitChanges(changes);
    const next = ConfiguredOn.put({ ...cur, ...set } as Info, configured.fields);
    for (const k of remove) delete (next as Record<string, unknown>)[k];
    if ("adm1" in changes || "adm2" in changes)
      await Areas.check(
        cur.operationID,
        next,
        "changes",
        (["adm1", "adm2"] as const).filter((k) => k in changes),
      );
    const res = await writeVersioned(
      {
        entity: IncidentEntity,
        key: { incidentID },
        expectedVersion: version,
        // the list indexes are keyed on office and operation: ElectroDB rebuilds them with timeUpdated
        set: {
          ...(await Narrative.sealFields(cur.operationID, set as Record<string, unknown>, NARRATIVE)),
          ...configured.set,
          officeID: cur.officeID,
          operationID: cur.operationID,
        },
        remove: [...remove, ...configured.remove],
        audit: {
          recordID: incidentID,
          recordType: "incident",
          action: "update",
          operationID: cur.operationID,
          officeID: cur.officeID,
          restricted: true,
          changes: {
            ...(await Narrative.sealDiff(cur.operationID, Audit.diff(cur, next, Object.keys(changes)), NARRATIVE)),
            ...configured.changes,
          },
        },
        view: asRead(() => get(incidentID)),
      },
      () => load(incidentID),
    );
    return ConfiguredOn.view("incident", { ...next, ...res });
  });

  export async function bulkPatch(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const r = await patch({
          incidentID: row.id,
          version: row.version,
          changes: row.changes as z.input<typeof IncidentChanges>,
        });
        return { id: row.id, status: "saved", version: r.version, record: r };
      } catch (err) {
        prefixIssues(err, `rows.${i}.`);
        throw err;
      }
    });
  }

  function prefixIssues(err: unknown, prefix: string) {
    const issues = (err as { issues?: { path: string }[] }).issues;
    if (Array.isArray(issues)) for (const i of issues) i.path = `${prefix}${i.path}`;
  }
}
