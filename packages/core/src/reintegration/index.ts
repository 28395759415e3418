import {
  MonitoringVisit,
  PlanUpsert,
  ReturnChanges,
  ReturnCreate,
  ReturnListQuery,
  ReturnTransition,
  ReturnTransitions,
  SupplierCreate,
  VulnerabilityInput,
  type PlanInfo,
  type ReturnInfo,
  type SupplierInfo,
} from "@waypoint/schema/reintegration";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { caseTarget, loadCase } from "../case/store.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { Editors } from "../common/editors.ts";
import { asRead, writeVersioned } from "../common/record.ts";
import { ConfiguredOn } from "../fields/apply.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, splitChanges, visible } from "../common/scope.ts";
import { Payee } from "../payee/index.ts";
import { Questionnaire } from "../questionnaire/index.ts";
import { allQuestions, checkAndScore } from "@waypoint/schema/questionnaire";
import { Invoices } from "./invoice.ts";
import { ReintegrationReports } from "./reports.ts";
import { PlanEntity, ReturnEntity, SupplierEntity } from "./reintegration.entity.ts";
import { AvrrTally, type PlanFacts, type ReturnFacts } from "./tally.ts";

type Return = ReturnInfo & { deleted?: boolean };
type Plan = PlanInfo & { deleted?: boolean };

/**
 * Assisted voluntary return and reintegration: the return case with its vulnerability assessment, the
 * reintegration plan (economic, social, psychosocial items), suppliers and pro-forma invoices (see invoice.ts),
 * monitoring visits after arrival, and the monthly table and inconsistency report (see reports.ts).
 */
export namespace Reintegration {
  export const invoices = Invoices;
  export const reports = ReintegrationReports;

  export const target = (r: { operationID: string; officeID: string; createdBy: string }): Actor.Target => ({
    operationID: r.operationID,
    officeID: r.officeID,
    createdBy: r.createdBy,
  });

  export async function load(returnID: string) {
    return ((await ReturnEntity.get({ returnID }).go({ consistent: true })).data ?? undefined) as
      Return | undefined;
  }
  /** The return as stored (every configured value), after the read check. */
  async function readStored(returnID: string): Promise<Return> {
    return authorisedRead("return", returnID, "programme.read", await load(returnID), target);
  }
  export async function get(returnID: string): Promise<Return> {
    return ConfiguredOn.view("return", await readStored(returnID));
  }

  export const create = fn(ReturnCreate, async (input): Promise<Return> => {
    const operationID = Actor.operationID();
    await Refs.office(input.officeID);
    // Creating is checked against the office alone: being the creator must not widen the scope.
    Actor.assert("programme.update", { operationID, officeID: input.officeID });
    await Refs.individuals(input.individualIDs, "individualIDs");
    const now = nowIso();
    const configured = await ConfiguredOn.create("return", operationID, input.fields);
    const item: Return = ConfiguredOn.put({
      ...input,
      returnID: Identifier.create("returnCase"),
      operationID,
      status: "registered",
      monitoring: [],
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    }, configured.fields);
    if (input.caseID) {
      const c = await loadCase(input.caseID);
      if (!c || c.operationID !== operationID || !Actor.can("case.read", caseTarget(c)))
        throw InvalidError.field("caseID", "invalid.case", "No such case");
    }
    await transactWriteOrConflict([
      { put: ReturnEntity.create(item as never).params() },
      Audit.txItem({
        recordID: item.returnID,
        recordType: "return",
        action: "create",
        operationID,
        officeID: item.officeID,
        ...(Object.keys(configured.changes).length ? { changes: configured.changes } : {}),
      }),
      ...(await AvrrTally.forReturn(undefined, item as ReturnFacts)),
    ]);
    return ConfiguredOn.view("return", item);
  });

  export const list = fn(ReturnListQuery, async (q) => {
    Actor.assert("programme.read");
    const scope = `rtn:${Actor.operationID()}`;
    const res = await ReturnEntity.query
      .byOperation({ operationID: Actor.operationID() })
      .where((a, { eq }) =>
        [q.status && eq(a.status, q.status), q.officeID && eq(a.officeID, q.officeID)]
          .filter(Boolean)
          .join(" AND "),
      )
      .go({ limit: q.limit, cursor: Cursor.verify(q.cursor, scope), order: "desc" });
    const items = await visible("return", "programme.read", res.data as Return[], (r) => r.returnID, target);
    return { items: await ConfiguredOn.viewAll("return", items), nextCursor: Cursor.sign(res.cursor, scope) };
  });

  async function write(
    cur: Return,
    version: number,
    set: Record<string, unknown>,
    action: string,
    remove: string[] = [],
    reason?: string,
    /** What the history shows, when the stored change is not readable as such (a nested assessment, a list). */
    changes?: Record<string, { before?: unknown; after?: unknown }>,
  ) {
    const next = { ...cur, ...set } as Return;
    for (const k of remove) delete (next as Record<string, unknown>)[k];
    const res = await writeVersioned(
      {
        entity: ReturnEntity,
        key: { returnID: cur.returnID },
        expectedVersion: version,
        set: { operationID: cur.operationID, timeCreated: cur.timeCreated, ...set },
        remove,
        audit: {
          recordID: cur.returnID,
          recordType: "return",
          action,
          reason,
          operationID: cur.operationID,
          officeID: cur.officeID,
          changes: changes ?? Audit.diff(cur, next, Object.keys(set)),
        },
        // the AVRR counters move with the return, in the same transaction
        with: await AvrrTally.forReturn(cur as ReturnFacts, next as ReturnFacts),
        view: asRead(() => get(cur.returnID)),
      },
      () => load(cur.returnID),
    );
    return ConfiguredOn.view("return", { ...next, ...res });
  }

  export const PatchInput = z.object({
    returnID: z.string(),
    version: z.number().int().min(1),
    changes: ReturnChanges,
  });
  export const patch = fn(PatchInput, async ({ returnID, version, changes: input }) => {
    const cur = await readStored(returnID);
    Actor.assert("programme.update", target(cur));
    const { fields: configuredInput, ...changes } = input;
    const configured = await ConfiguredOn.patch("return", cur, configuredInput);
    const dep = changes.departedOn === undefined ? cur.departedOn : (changes.departedOn ?? undefined);
    const arr = changes.arrivedOn === undefined ? cur.arrivedOn : (changes.arrivedOn ?? undefined);
    if (dep && arr && arr < dep)
      throw InvalidError.field("changes.arrivedOn", "invalid.dates", "Arrival cannot be before departure");
    const { set, remove } = splitChanges(changes);
    return write(
      cur,
      version,
      { ...set, ...configured.set },
      "update",
      [...remove, ...configured.remove],
      undefined,
      { ...Audit.diff(cur, { ...cur, ...set }, Object.keys(set)), ...configured.changes },
    );
  });

  /**
   * The vulnerability score is the sum of the factor weights of the operation's current return-vulnerability
   * questionnaire (built in: the documented weights, 50+ high, 20+ medium); the assessment keeps the version.
   */
  export const AssessInput = VulnerabilityInput.extend({ returnID: z.string() });
  export const assessVulnerability = fn(AssessInput, async ({ returnID, factors, note, version }) => {
    const cur = await get(returnID);
    Actor.assert("programme.update", target(cur));
    if (!["registered", "assessed"].includes(cur.status))
      throw new RuleError("return.assessed", "The return was already approved");
    const { score, band, questionnaireVersion } = await scoreFactors(factors);
    const level = (["low", "medium", "high"] as const).find((l) => l === band) ?? (score >= 50 ? "high" : score >= 20 ? "medium" : "low");
    const vulnerability = {
      factors,
      score,
      level,
      band,
      questionnaireVersion,
      note,
      assessedBy: Actor.id(),
      assessedAt: nowIso(),
    };
    // The history shows the level and score (translated and read as such); the factors are on the return itself.
    const flat = (r: Return) => ({
      "vulnerability.level": r.vulnerability?.level,
      "vulnerability.score": r.vulnerability?.score,
      status: r.status,
    });
    const changes = Audit.diff(flat(cur), { "vulnerability.level": level, "vulnerability.score": score, status: "assessed" }, [
      "vulnerability.level",
      "vulnerability.score",
      "status",
    ]);
    return write(cur, version, { vulnerability, status: "assessed" }, "vulnerability", [], undefined, changes);
  });

  /** Each factor is a yes of the questionnaire's yes/no questions; anything else is refused at `factors.<i>`. */
  async function scoreFactors(factors: readonly string[]) {
    const q = await Questionnaire.forAnswering("return_vulnerability");
    const yesNo = new Set(allQuestions(q).filter((x) => x.type === "yes_no").map((x) => x.questionID));
    const unknown = factors.flatMap((f, i) =>
      yesNo.has(f) ? [] : [{ path: `factors.${i}`, code: "invalid.factor", message: "Not a factor of the questionnaire" }],
    );
    if (unknown.length) throw new InvalidError(unknown);
    const { issues, result } = checkAndScore(q, factors.map((f) => ({ questionID: f, answer: true })));
    if (issues.length)
      throw new InvalidError(
        issues.map((i) => {
          // a factor the questionnaire refuses, or a required one left out (the list as a whole)
          const at = factors.indexOf(i.path.replace(/^answers\./, ""));
          return { ...i, path: at >= 0 ? `factors.${at}` : "factors" };
        }),
      );
    return { score: result.score, band: result.band, questionnaireVersion: q.questionnaireVersion };
  }

  export const TransitionInput = ReturnTransition.extend({ returnID: z.string() });
  export const transition = fn(TransitionInput, async ({ returnID, to, date, reason, version }) => {
    const cur = await get(returnID);
    Actor.assert(to === "approved" ? "programme.review" : "programme.update", target(cur));
    if (!ReturnTransitions[cur.status].includes(to))
      throw new RuleError("return.transition", `A return cannot move from ${cur.status} to ${to}`);
    if (to === "approved" && cur.createdBy === Actor.id())
      throw new RuleError("return.ownApproval", "The caseworker who registered the return cannot approve it");
    if (to === "cancelled" && !reason)
      throw InvalidError.field("reason", "invalid.required", "Say why the return is cancelled");
    const set: Record<string, unknown> = { status: to };
    if (to === "returned") {
      if (!date) throw InvalidError.field("date", "invalid.required", "Give the arrival date");
      if (cur.departedOn && date < cur.departedOn)
        throw InvalidError.field("date", "invalid.dates", "Arrival cannot be before departure");
      set.arrivedOn = date;
      if (!cur.departedOn) set.departedOn = date;
    }
    return write(cur, version, set, `transition.${to}`, [], reason);
  });

  export const VisitInput = MonitoringVisit.extend({
    returnID: z.string(),
    version: z.number().int().min(1),
  });
  export const addMonitoring = fn(VisitInput, async ({ returnID, version, ...visit }) => {
    const cur = await get(returnID);
    Actor.assert("programme.update", target(cur));
    if (!["returned", "monitoring"].includes(cur.status))
      throw new RuleError("return.notReturned", "Monitoring starts after arrival");
    if (cur.arrivedOn && visit.date < cur.arrivedOn)
      throw InvalidError.field("date", "invalid.dates", "A monitoring visit cannot precede arrival");
    const monitoring = [...cur.monitoring, { ...visit, by: Actor.id() }].sort((a, b) =>
      a.date.localeCompare(b.date),
    );
    // The visit is listed on the return; the history records the step (and the status it moved to), not the list.
    const changes = Audit.diff(cur, { ...cur, status: "monitoring" }, ["status"]);
    return write(cur, version, { monitoring, status: "monitoring" }, "monitoring", [], undefined, changes);
  });

  /* ---------- Plan ---------- */

  export async function getPlan(returnID: string): Promise<Plan> {
    const r = await get(returnID);
    const p = (await PlanEntity.get({ returnID }).go({ consistent: true })).data as Plan | null;
    if (!p || p.deleted) throw new NotFoundError("plan", returnID);
    return authorisedRead("plan", p.planID, "programme.read", { ...p, createdBy: r.createdBy }, target);
  }

  /** The plan of a return, or none yet (a screen asks without an error for a return that has no plan). */
  export async function findPlan(returnID: string): Promise<Plan[]> {
    await get(returnID);
    const p = (await PlanEntity.get({ returnID }).go({ consistent: true })).data;
    return p && !p.deleted ? [await getPlan(returnID)] : [];
  }

  export const PlanInput = PlanUpsert.extend({ returnID: z.string() });
  /** Writes the plan's items (new items get IDs); an approved plan is changed only by a new draft version. */
  export const savePlan = fn(PlanInput, async ({ returnID, items, version }): Promise<Plan> => {
    const r = await get(returnID);
    Actor.assert("programme.update", target(r));
    const withIDs = items.map((i) => ({ ...i, itemID: i.itemID ?? Identifier.create("planItem") }));
    const now = nowIso();
    const existing = (await PlanEntity.get({ returnID }).go({ consistent: true })).data;
    if (!existing) {
      const plan: Plan = {
        planID: Identifier.create("plan"),
        returnID,
        operationID: r.operationID,
        officeID: r.officeID,
        items: withIDs,
        status: "draft",
        createdBy: Actor.id(),
        version: 1,
        timeCreated: now,
        timeUpdated: now,
      };
      const tx = await transactWrite([
        { put: PlanEntity.create(plan as never).params() },
        Audit.txItem({
          recordID: plan.planID,
          recordType: "plan",
          action: "create",
          operationID: r.operationID,
          officeID: r.officeID,
        }),
        ...AvrrTally.forPlan(r as ReturnFacts, undefined, plan as PlanFacts),
      ]);
      if (!tx.ok) throw new RuleError("plan.exists", "This return already has a plan; reload it");
      return plan;
    }
    if (!version)
      throw InvalidError.field("version", "invalid.required", "Give the version of the plan you edited");
    const res = await writeVersioned(
      {
        entity: PlanEntity,
        key: { returnID },
        expectedVersion: version,
        set: {
          items: withIDs,
          status: "draft",
          operationID: existing.operationID,
          planID: existing.planID,
          editors: Editors.touched(existing as Plan),
        },
        remove: existing.approvedBy ? ["approvedBy"] : undefined,
        audit: {
          recordID: existing.planID,
          recordType: "plan",
          action: "update",
          operationID: r.operationID,
          officeID: r.officeID,
        },
        with: AvrrTally.forPlan(r as ReturnFacts, existing as PlanFacts, {
          ...(existing as PlanFacts),
          items: withIDs,
          status: "draft",
        }),
      },
      async () => (await PlanEntity.get({ returnID }).go()).data,
    );
    return {
      ...(existing as Plan),
      items: withIDs,
      status: "draft",
      approvedBy: undefined,
      editors: Editors.touched(existing as Plan),
      ...res,
    };
  });

  export async function approvePlan(returnID: string, version: number): Promise<Plan> {
    const r = await get(returnID);
    const p = await getPlan(returnID);
    Actor.assert("programme.review", { operationID: p.operationID, officeID: p.officeID });
    // `getPlan` answers with the return's registrar as `createdBy` (its access follows the return): the plan's
    // own author and editors are on the stored plan. Neither the registrar nor any of them approves it.
    const stored = (await PlanEntity.get({ returnID }).go({ consistent: true })).data as Plan;
    Editors.assertNotShaper(
      stored,
      "plan.ownApproval",
      "Someone who wrote or changed the plan since its last approval cannot approve it",
      [p.createdBy],
    );
    const res = await writeVersioned(
      {
        entity: PlanEntity,
        key: { returnID },
        expectedVersion: version,
        set: {
          status: "approved",
          approvedBy: Actor.id(),
          operationID: p.operationID,
          planID: p.planID,
          editors: Editors.approved(),
        },
        audit: {
          recordID: p.planID,
          recordType: "plan",
          action: "approve",
          operationID: p.operationID,
          officeID: p.officeID,
        },
        with: AvrrTally.forPlan(r as ReturnFacts, stored as PlanFacts, { ...(stored as PlanFacts), status: "approved" }),
      },
      async () => (await PlanEntity.get({ returnID }).go()).data,
    );
    return { ...p, status: "approved", approvedBy: Actor.id(), editors: Editors.approved(), ...res };
  }

  /* ---------- Suppliers ---------- */

  export const createSupplier = fn(SupplierCreate, async (input): Promise<SupplierInfo> => {
    Actor.assert("programme.update");
    const operationID = Actor.operationID();
    if (input.payeeID) {
      const p = await Payee.load(input.payeeID).catch(() => undefined);
      if (!p || p.kind !== "supplier")
        throw InvalidError.field("payeeID", "invalid.payee", "Not a supplier payee of this operation");
    }
    const now = nowIso();
    const item = {
      ...input,
      supplierID: Identifier.create("supplier"),
      operationID,
      active: true,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await transactWriteOrConflict([
      { put: SupplierEntity.create(item).params() },
      Audit.txItem({ recordID: item.supplierID, recordType: "supplier", action: "create", operationID }),
    ]);
    return item;
  });

  export async function suppliers(): Promise<SupplierInfo[]> {
    Actor.assert("programme.read");
    const res = await SupplierEntity.query
      .byOperation({ operationID: Actor.operationID() })
      .go({ pages: "all" });
    return res.data.filter((s) => !s.deleted) as SupplierInfo[];
  }
}
