import {
  RetentionDefaults,
  RetentionKinds,
  RetentionMinimumHours,
  type RetentionKind,
  type RetentionPolicy,
  type RetentionPolicyChange,
  type RetentionRun,
  type RetentionUnit,
} from "@waypoint/schema/retention";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError } from "../common/errors.ts";
import { log } from "../common/log.ts";
import { OperationEntity } from "../operation/operation.entity.ts";
import { listRuns, runRetention, type RunHooks } from "./job.ts";
import { RetentionPolicyEntity, RetentionRunEntity } from "./retention.entity.ts";

/**
 * Retention policies (issue 21 point 2, docs/data-protection.md): per operation and kind of record, how long
 * personal data is kept; the retention job (./job.ts) applies them: on AWS a scheduled Lambda
 * (functions/src/retention.ts, infra/retention.ts), locally the local runner's timer, and an admin's "run now".
 */
export namespace Retention {
  const HOUR = 3_600_000;

  export function hoursOf(value: number, unit: RetentionUnit): number {
    return unit === "hours" ? value : unit === "days" ? value * 24 : value * 24 * 30;
  }

  /** The instant before which a record of this policy is past its time. */
  export function cutoff(value: number, unit: RetentionUnit, now = new Date()): string {
    const d = new Date(now.getTime());
    if (unit === "months") d.setUTCMonth(d.getUTCMonth() - value);
    else d.setTime(d.getTime() - (unit === "days" ? value * 24 : value) * HOUR);
    return d.toISOString();
  }

  async function stored(operationID: string) {
    const items = (await RetentionPolicyEntity.query.primary({ operationID }).go({ pages: "all", consistent: true }))
      .data;
    return new Map(items.map((p) => [p.kind, p]));
  }

  async function policiesOf(operationID: string): Promise<RetentionPolicy[]> {
    const saved = await stored(operationID);
    return RetentionKinds.map((kind) => {
      const s = saved.get(kind);
      if (!s) return { kind, ...RetentionDefaults[kind], enabled: true, custom: false, version: 0 };
      return {
        kind,
        value: s.value,
        unit: s.unit,
        enabled: s.enabled,
        custom: true,
        version: s.version,
        updatedBy: s.updatedBy,
        timeUpdated: s.timeUpdated,
      };
    });
  }

  /** The operation's policies, defaults filled in (admins of the operation). */
  export async function policies(): Promise<RetentionPolicy[]> {
    const operationID = Actor.operationID();
    Actor.assert("retention.manage", { operationID });
    return policiesOf(operationID);
  }

  /** Changes one policy (conditional on the version read; 0 for a default never saved); audited. */
  export async function setPolicy(kind: string, change: RetentionPolicyChange): Promise<RetentionPolicy> {
    const operationID = Actor.operationID();
    Actor.assert("retention.manage", { operationID });
    if (!(RetentionKinds as readonly string[]).includes(kind)) throw new NotFoundError("retentionPolicy", kind);
    const k = kind as RetentionKind;
    if (hoursOf(change.value, change.unit) < RetentionMinimumHours[k])
      throw InvalidError.field("value", "retention.too_short", "A policy keeps records at least 24 hours");
    const cur = (await stored(operationID)).get(k);
    const before = cur ?? { ...RetentionDefaults[k], enabled: true, version: 0 };
    if (before.version !== change.expectedVersion)
      throw new ConflictError("The policy was changed meanwhile", (await policiesOf(operationID)).find((p) => p.kind === k));
    const now = nowIso();
    const item = {
      operationID,
      kind: k,
      value: change.value,
      unit: change.unit,
      enabled: change.enabled,
      updatedBy: Actor.id(),
      version: before.version + 1,
      timeUpdated: now,
    };
    const put = cur
      ? RetentionPolicyEntity.put(item)
          .where((a, { eq }) => eq(a.version, before.version))
          .params()
      : RetentionPolicyEntity.create(item).params();
    const res = await transactWrite([
      { put },
      Audit.txItem({
        recordID: `${operationID}/retention/${k}`,
        recordType: "retentionPolicy",
        action: "update",
        operationID,
        changes: Audit.diff(before as never, item as never, ["value", "unit", "enabled"]),
      }),
    ]);
    if (!res.ok)
      throw new ConflictError("The policy was changed meanwhile", (await policiesOf(operationID)).find((p) => p.kind === k));
    return (await policiesOf(operationID)).find((p) => p.kind === k)!;
  }

  function present(r: Record<string, unknown>): RetentionRun {
    return {
      runID: String(r.runID),
      operationID: String(r.operationID),
      trigger: r.trigger as RetentionRun["trigger"],
      state: r.state as RetentionRun["state"],
      startedBy: r.startedBy as string | undefined,
      timeStarted: String(r.timeStarted),
      timeFinished: r.timeFinished as string | undefined,
      resumed: Number(r.resumed ?? 0),
      counts: (r.counts ?? {}) as RetentionRun["counts"],
      auditEventsBlanked: Number(r.auditEventsBlanked ?? 0),
      filesDeleted: Number(r.filesDeleted ?? 0),
      ms: r.ms as number | undefined,
    };
  }

  /** The operation's latest runs, newest first: counts only. */
  export async function runs(limit = 20): Promise<RetentionRun[]> {
    const operationID = Actor.operationID();
    Actor.assert("retention.manage", { operationID });
    return (await listRuns(operationID, limit)).map(present);
  }

  export async function getRun(runID: string): Promise<RetentionRun> {
    const operationID = Actor.operationID();
    Actor.assert("retention.manage", { operationID });
    const r = (await RetentionRunEntity.get({ operationID, runID }).go({ consistent: true })).data;
    if (!r) throw new NotFoundError("retentionRun", runID);
    return present(r as never);
  }

  export interface Options {
    pageSize?: number;
    concurrency?: number;
    deadline?: number;
    leaseMs?: number;
    /** Tests only: simulate a crash at a step. */
    hooks?: RunHooks;
    /** Tests and benchmarks: the instant the cut-offs are computed from. */
    now?: Date;
    /** The scheduled job in some operations only (tests share a database with other tests' operations). */
    operations?: string[];
  }

  async function runIn(operationID: string, trigger: "schedule" | "manual", opts: Options) {
    const ps = await policiesOf(operationID);
    const now = opts.now ?? new Date();
    return runRetention(
      { operationID, trigger, ...opts },
      ps.map((p) => ({ kind: p.kind, enabled: p.enabled, cutoff: cutoff(p.value, p.unit, now) })),
    );
  }

  /** An admin's "run now" in their operation; answers with the run as stored when it ends (or stops). */
  export async function runNow(opts: Options = {}): Promise<RetentionRun> {
    const operationID = Actor.operationID();
    Actor.assert("retention.manage", { operationID });
    const { runID } = await runIn(operationID, "manual", opts);
    return present((await RetentionRunEntity.get({ operationID, runID }).go({ consistent: true })).data as never);
  }

  /**
   * The scheduled job (system actor): every operation in turn, until `deadline`; a run stopped there (or by a
   * crash) is resumed by the next invocation. An operation whose run another worker holds is left to it.
   */
  export async function runScheduled(opts: Options = {}): Promise<{ operationID: string; runID?: string; state: string }[]> {
    const ops = (await OperationEntity.query.all({}).go({ pages: "all" })).data.filter(
      (o) => !opts.operations || opts.operations.includes(o.operationID),
    );
    const out: { operationID: string; runID?: string; state: string }[] = [];
    // once per deployment: secrets sealed under the AuthSecret (before the at-rest key) sealed again with it
    try {
      const { resealLegacySecretsOnce } = await import("../privacy/reseal-secrets.ts");
      await Actor.provide({ type: "system", reason: "retention" }, () => resealLegacySecretsOnce());
    } catch (err) {
      log.error({ err: (err as Error).name }, "sealing old secrets again failed");
    }
    for (const op of ops) {
      if (opts.deadline && Date.now() > opts.deadline) break;
      try {
        const r = await Actor.provide(
          { type: "system", reason: "retention", operationID: op.operationID },
          async () => {
            const run = await runIn(op.operationID, "schedule", opts);
            // once per operation: narratives stored in clear before field-level encryption existed get sealed
            const { sealStoredNarrativesOnce } = await import("../privacy/seal-stored.ts");
            await sealStoredNarrativesOnce(op.operationID);
            return run;
          },
        );
        out.push({ operationID: op.operationID, ...r });
      } catch (err) {
        if ((err as { code?: string }).code === "retention.running") out.push({ operationID: op.operationID, state: "busy" });
        else {
          log.error({ operationID: op.operationID, err: (err as Error).name }, "retention run failed");
          out.push({ operationID: op.operationID, state: "failed" });
        }
      }
    }
    return out;
  }
}
