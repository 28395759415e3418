import {
  ApprovalRequiredForClosure,
  CaseChanges,
  CaseCreate,
  CaseListQuery,
  isRestrictedCase,
  type CaseInfo,
} from "@waypoint/schema/cases";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite, type TxItem } from "../common/db.ts";
import { ConflictError, ForbiddenError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, bulk, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, listPartition, splitChanges, visible } from "../common/scope.ts";
import { Unique } from "../common/unique.ts";
import { CaseEntity, CaseMemberEntity } from "./case.entity.ts";
import { caseTarget, loadCase, nextNumber } from "./store.ts";
import { CaseWorkflow } from "./workflow.ts";
import { FieldValues } from "../fields/values.ts";

export namespace Case {
  export type Info = CaseInfo;

  export const target = caseTarget;
  /** Internal: the stored case, no permission check. Other core namespaces use it to inherit access. */
  export const load = loadCase;

  /** The case as stored (configured values included), after the read check. */
  async function readStored(caseID: string): Promise<Info> {
    return authorisedRead("case", caseID, "case.read", await load(caseID), target);
  }

  export async function get(caseID: string): Promise<Info> {
    const c = await readStored(caseID);
    await FieldValues.ready(c.operationID);
    return FieldValues.view("case", c);
  }

  async function checkRefs(
    v: {
      officeID?: string;
      assignedTo?: string | null;
      individualIDs?: string[];
      householdID?: string | null;
    },
    prefix = "",
  ) {
    if (v.officeID) await Refs.office(v.officeID, `${prefix}officeID`);
    if (v.assignedTo) await Refs.staff(v.assignedTo, `${prefix}assignedTo`);
    if (v.individualIDs?.length) await Refs.individuals(v.individualIDs, `${prefix}individualIDs`);
    if (v.householdID) await Refs.household(v.householdID, `${prefix}householdID`);
  }

  const memberItems = (op: "put" | "delete", caseID: string, operationID: string, ids: string[]): TxItem[] =>
    ids.map((individualID) =>
      op === "put"
        ? { put: CaseMemberEntity.put({ individualID, caseID, operationID }).params() }
        : { delete: CaseMemberEntity.delete({ individualID, caseID }).params() },
    );

  export const create = fn(CaseCreate, async (input): Promise<Info> => {
    const operationID = Actor.operationID();
    const caseID = Identifier.create("case");
    const now = nowIso();
    const base = {
      ...input,
      caseID,
      operationID,
      stage: "open" as const,
      restricted: isRestrictedCase(input),
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    // Creating is checked against the office alone: being the creator must not widen the scope.
    Actor.assert("case.create", { operationID: base.operationID, officeID: base.officeID });
    await checkRefs(input);
    const configured = await FieldValues.prepare("case", operationID, input.fields, { create: true });
    delete (base as { fields?: unknown }).fields;
    if (configured.fields && Object.keys(configured.fields).length) (base as { fields?: unknown }).fields = configured.fields;
    const item = { ...base, caseNumber: await nextNumber("C", input.officeID) } as Info;
    const outcome = await transactWrite([
      { put: CaseEntity.create(item).params() },
      Unique.claim("number", `${operationID}#${item.caseNumber}`, caseID),
      Audit.txItem({
        recordID: caseID,
        recordType: "case",
        action: "create",
        operationID,
        officeID: input.officeID,
        restricted: item.restricted,
        ...(Object.keys(configured.changes).length ? { changes: configured.changes } : {}),
      }),
      ...memberItems("put", caseID, operationID, input.individualIDs),
    ]);
    if (!outcome.ok)
      throw new ConflictError("The case number is taken; try again", undefined, "conflict.number");
    return FieldValues.view("case", item);
  });

  export const BulkCreate = z.object({
    rows: z.array(z.object({ ref: z.string().optional(), values: z.unknown() })),
  });
  export async function createMany(rows: { ref?: string; values: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const c = await create(row.values as CaseCreate);
        return { id: c.caseID, ref: row.ref, status: "created", version: c.version, record: c };
      } catch (err) {
        prefixIssues(err, `rows.${i}.values.`);
        throw err;
      }
    });
  }

  export const list = fn(CaseListQuery, async (q) => {
    const part = listPartition("case.read", q.officeID);
    if (q.individualID) {
      const mine = (await listForIndividual(q.individualID)).filter(
        (c) =>
          (!q.officeID || c.officeID === q.officeID) &&
          (!q.stage || c.stage === q.stage) &&
          (!q.type || c.type === q.type) &&
          (!q.householdID || c.householdID === q.householdID),
      );
      return { items: mine, nextCursor: null };
    }
    await FieldValues.ready(Actor.operationID());
    const scope = `case:${part.kind}:${"officeID" in part ? part.officeID : "userID" in part ? part.userID : part.operationID}`;
    const cursor = Cursor.verify(q.cursor, scope);
    const range = q.updatedSince ? { gte: { timeUpdated: q.updatedSince } } : undefined;
    const query =
      part.kind === "office"
        ? CaseEntity.query.byOffice({ officeID: part.officeID })
        : part.kind === "own"
          ? CaseEntity.query.byAssignee({ assignedTo: part.userID })
          : CaseEntity.query.byOperation({ operationID: part.operationID });
    const ranged = range ? query.gte(range.gte) : query;
    const res = await ranged
      .where((a, { eq }) =>
        [
          q.stage && eq(a.stage, q.stage),
          q.type && eq(a.type, q.type),
          q.riskLevel && eq(a.riskLevel, q.riskLevel),
          q.assignedTo && eq(a.assignedTo, q.assignedTo),
          q.householdID && eq(a.householdID, q.householdID),
        ]
          .filter(Boolean)
          .join(" AND "),
      )
      .go({ limit: q.limit, cursor, order: "desc" });
    const items = await visible("case", "case.read", res.data as Info[], (c) => c.caseID, target);
    return { items: items.map((c) => FieldValues.view("case", c)), nextCursor: Cursor.sign(res.cursor, scope) };
  });

  /** Case IDs an individual belongs to (the caller reads each through `get`). */
  export async function idsForIndividual(individualID: string): Promise<string[]> {
    const res = await CaseMemberEntity.query.byIndividual({ individualID }).go({ pages: "all" });
    return res.data.filter((m) => m.operationID === Actor.operationID()).map((m) => m.caseID);
  }

  export async function listForIndividual(individualID: string): Promise<Info[]> {
    const ids = await idsForIndividual(individualID);
    const cases = (await Promise.all(ids.map(load))).filter((c): c is Info => Boolean(c));
    await FieldValues.ready(Actor.operationID());
    return (await visible("case", "case.read", cases, (c) => c.caseID, target)).map((c) => FieldValues.view("case", c));
  }

  export const PatchInput = z.object({
    caseID: z.string(),
    version: z.number().int().min(1),
    changes: CaseChanges,
  });

  /**
   * A change that alters which rule applies needs the right that rule protects. Lifting a restriction or taking
   * a case out of the types whose closure needs approval is a supervisor's decision (`case.approve`); making a
   * case restricted or subject to approval protects more and is open to whoever edits the case (a disclosure is
   * recorded at once). While a closure approval is pending, or once closed, what the case is stays as it was
   * judged. Who the case is assigned to decides who holds "own" rights on it: that is `case.assign`, except that
   * its caseworker may hand it over.
   */
  function assertRuleChanges(cur: Info, next: Info, changes: CaseChanges) {
    const retyped =
      (changes.type !== undefined && changes.type !== cur.type) ||
      (changes.subType !== undefined && (changes.subType ?? undefined) !== cur.subType);
    if (retyped && (cur.stage === "closed" || cur.closureApproval?.decision === "pending"))
      throw new RuleError(
        "case.type_locked",
        cur.stage === "closed"
          ? "A closed case keeps its type; reopen it first"
          : "The type cannot change while a closure approval is pending",
      );
    const lifted = cur.restricted && !next.restricted;
    const unapproved =
      ApprovalRequiredForClosure.includes(cur.type) && !ApprovalRequiredForClosure.includes(next.type);
    if ((lifted || unapproved) && !Actor.can("case.approve", target(cur)))
      throw new ForbiddenError(
        "case.approve",
        lifted
          ? "Only a supervisor may lift a case's restriction"
          : `Only a supervisor may take a ${cur.type} case out of closure approval`,
      );
    const reassigned =
      changes.assignedTo !== undefined && (changes.assignedTo ?? undefined) !== cur.assignedTo;
    const handover =
      cur.assignedTo !== undefined && cur.assignedTo === Actor.id() && changes.assignedTo !== Actor.id();
    if (reassigned && !handover && !Actor.can("case.assign", target(cur)))
      throw new ForbiddenError("case.assign", "Only a supervisor assigns this case");
  }

  export const patch = fn(PatchInput, async ({ caseID, version, changes: input }): Promise<Info> => {
    const cur = await readStored(caseID);
    Actor.assert("case.update", target(cur));
    const { fields: configuredInput, ...changes } = input;
    const configured = await FieldValues.prepare("case", cur.operationID, configuredInput, {
      current: cur as never,
      prefix: "changes",
    });
    const next = { ...cur, ...changes } as Info;
    for (const [k, v] of Object.entries(changes)) if (v === null) delete (next as Record<string, unknown>)[k];
    next.restricted = isRestrictedCase(next);
    assertRuleChanges(cur, next, changes);
    if (changes.officeID && changes.officeID !== cur.officeID) Actor.assert("case.update", target(next));
    await checkRefs(changes, "changes.");
    const { set, remove } = splitChanges(changes);
    set.restricted = next.restricted;
    if (configured.fields) {
      (next as { fields?: unknown }).fields = configured.fields;
      if (Object.keys(configured.fields).length) set.fields = configured.fields;
      else if (cur.fields !== undefined) remove.push("fields");
    }
    const before = cur.individualIDs ?? [];
    const after = next.individualIDs ?? [];
    const res = await writeVersioned(
      {
        entity: CaseEntity,
        key: { caseID },
        expectedVersion: version,
        set,
        remove,
        audit: {
          recordID: caseID,
          recordType: "case",
          action: "update",
          operationID: cur.operationID,
          officeID: next.officeID,
          restricted: next.restricted || cur.restricted,
          changes: { ...Audit.diff(cur, next, Object.keys(changes)), ...configured.changes },
        },
        with: [
          ...memberItems(
            "put",
            caseID,
            cur.operationID,
            after.filter((i) => !before.includes(i)),
          ),
          ...memberItems(
            "delete",
            caseID,
            cur.operationID,
            before.filter((i) => !after.includes(i)),
          ),
        ],
        view: asRead(() => get(caseID)),
      },
      () => load(caseID),
    );
    return FieldValues.view("case", { ...next, ...res });
  });

  export async function bulkPatch(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const c = await patch({ caseID: row.id, version: row.version, changes: row.changes as CaseChanges });
        return { id: row.id, status: "saved", version: c.version, record: c };
      } catch (err) {
        prefixIssues(err, `rows.${i}.`);
        throw err;
      }
    });
  }

  /** A core field path (`changes.riskLevel`) becomes the grid row's path (`rows.3.changes.riskLevel`). */
  export function prefixIssues(err: unknown, prefix: string) {
    const issues = (err as { issues?: { path: string }[] }).issues;
    if (Array.isArray(issues)) for (const i of issues) i.path = `${prefix}${i.path}`;
  }

  export const transition = CaseWorkflow.transition;
  export const requestClosure = CaseWorkflow.requestClosure;
  export const decideClosure = CaseWorkflow.decideClosure;
}
