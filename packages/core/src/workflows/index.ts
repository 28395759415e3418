import type { ExecutionInfo } from "@waypoint/schema/relocation";
import { config } from "../config.ts";
import { nowIso } from "../common/db.ts";
import { ConflictError, NotFoundError, UnavailableError } from "../common/errors.ts";
import { log } from "../common/log.ts";
import { ExecutionEntity } from "./execution.entity.ts";

type HistoryEvent = ExecutionInfo["history"][number];
const HISTORY_LIMIT = 200;

/** Local execution records (the in-process runner writes them; the API reads them). */
export namespace Execution {
  export type Info = ExecutionInfo & { input?: Record<string, unknown>; operationID?: string };
  export const localArn = (machine: string, executionID: string) => `local:${machine}:${executionID}`;
  export const idFromArn = (arn: string) => arn.split(":").pop()!;

  function toInfo(r: typeof ExecutionEntity.schema extends never ? never : Record<string, unknown>): Info {
    const e = r as unknown as Omit<Info, "executionArn">;
    return { ...e, executionArn: localArn(e.machine, e.executionID), history: e.history ?? [] };
  }

  export interface QueueInput {
    executionID: string;
    machine: string;
    subjectID: string;
    operationID: string;
    input: Record<string, unknown>;
  }

  /** Records an execution that has not run yet; the runner starts queued executions when it resumes. */
  export async function queue(q: QueueInput): Promise<Info> {
    const now = nowIso();
    const item = {
      ...q,
      status: "QUEUED" as const,
      runs: 0,
      history: [],
      timeStarted: now,
      timeUpdated: now,
    };
    await ExecutionEntity.create(item).go();
    return toInfo(item);
  }

  export async function get(executionID: string): Promise<Info> {
    const res = await ExecutionEntity.get({ executionID }).go();
    if (!res.data) throw new NotFoundError("execution", executionID);
    return toInfo(res.data);
  }

  /**
   * Marks a (re)start: RUNNING, one more run, history noted. `seen` is the execution as the runner found it (queued
   * by `start`, or listed unfinished after a restart): of two runners that found it in the same state, one begins
   * it however far apart their reads and writes fall; without it, the runs read here decide (a takeover).
   */
  export async function begin(executionID: string, seen?: Pick<Info, "runs">): Promise<Info> {
    const cur = await get(executionID);
    const taken = () => new ConflictError("This workflow run was started by another runner a moment ago.");
    // another runner began it since it was found: the condition below would pass on the runs it wrote
    if (seen && cur.runs !== seen.runs) throw taken();
    const history = [
      ...cur.history,
      { type: cur.runs > 0 ? "ExecutionRestarted" : "ExecutionStarted", time: nowIso() },
    ].slice(-HISTORY_LIMIT);
    const set = {
      status: "RUNNING" as const,
      machine: cur.machine,
      timeStarted: cur.timeStarted,
      runs: cur.runs + 1,
      history,
      timeUpdated: nowIso(),
    };
    // conditional on the runs read: of two runners beginning the same execution at once, one runs it
    try {
      await ExecutionEntity.patch({ executionID })
        .set(set)
        .remove(["error", "timeStopped"])
        .where(({ runs }, { eq }) => eq(runs, cur.runs))
        .go();
    } catch (err) {
      if ((err as { cause?: { name?: string } }).cause?.name === "ConditionalCheckFailedException")
        throw taken();
      throw err;
    }
    return { ...cur, ...set, error: undefined, timeStopped: undefined };
  }

  /** Records a step: the current state and its place in the (bounded) history. */
  export async function step(info: Info, event: HistoryEvent): Promise<Info> {
    const history = [...info.history, event].slice(-HISTORY_LIMIT);
    const currentStep = event.state ?? info.currentStep;
    await ExecutionEntity.patch({ executionID: info.executionID })
      .set({ history, ...(currentStep ? { currentStep } : {}), timeUpdated: nowIso() })
      .go();
    return { ...info, history, currentStep };
  }

  export async function finish(
    info: Info,
    status: "SUCCEEDED" | "FAILED" | "ABORTED",
    error?: string,
  ): Promise<void> {
    const time = nowIso();
    const history = [
      ...info.history,
      { type: `Execution${status[0]}${status.slice(1).toLowerCase()}`, time, error },
    ].slice(-HISTORY_LIMIT);
    await ExecutionEntity.patch({ executionID: info.executionID })
      .set({
        status,
        machine: info.machine,
        timeStarted: info.timeStarted,
        history,
        timeStopped: time,
        timeUpdated: time,
        ...(error ? { error } : {}),
      })
      .go();
  }

  /** Executions of a machine that were queued or running when the process stopped. */
  export async function unfinished(machine: string, operationID?: string): Promise<Info[]> {
    const out: Info[] = [];
    for (const status of ["RUNNING", "QUEUED"] as const) {
      const res = await ExecutionEntity.query.byStatus({ machine, status }).go({ pages: "all" });
      out.push(...res.data.filter((e) => !operationID || e.operationID === operationID).map(toInfo));
    }
    return out;
  }

  export async function latestFor(subjectID: string): Promise<Info | undefined> {
    const res = await ExecutionEntity.query.bySubject({ subjectID }).go({ order: "desc", limit: 1 });
    return res.data[0] ? toInfo(res.data[0]) : undefined;
  }
}

/**
 * The one port to the workflow engine. Locally the in-process runner is injected by packages/local at start; on
 * AWS executions start through Step Functions' StartExecution. Without either (seeding before the runner exists,
 * API tests), a local execution is recorded as QUEUED and the runner starts it when it resumes.
 */
export namespace Workflows {
  export interface Meta {
    subjectID: string;
    operationID: string;
  }
  export interface Adapter {
    start(
      machine: string,
      name: string,
      input: Record<string, unknown>,
      meta: Meta,
    ): Promise<{ executionArn: string }>;
  }

  let adapter: Adapter | undefined;
  export function useAdapter(a: Adapter | undefined): void {
    adapter = a;
  }

  /** Stops using `a` if it is the adapter in use (a local runner that stops; another may have replaced it since). */
  export function dropAdapter(a: Adapter): void {
    if (adapter === a) adapter = undefined;
  }

  function machineArn(machine: string): string {
    const arn = config().stateMachineArn;
    if (machine !== "relocation" || !arn)
      throw new UnavailableError(`State machine ${machine} is not deployed`);
    return arn;
  }

  export async function start(machine: string, name: string, input: Record<string, unknown>, meta: Meta) {
    if (adapter) return adapter.start(machine, name, input, meta);
    if (config().mode === "local") {
      const e = await Execution.queue({ executionID: name, machine, input, ...meta });
      return { executionArn: e.executionArn };
    }
    const sfn = await import("@aws-sdk/client-sfn");
    const client = new sfn.SFNClient({});
    try {
      const res = await client.send(
        new sfn.StartExecutionCommand({
          stateMachineArn: machineArn(machine),
          name,
          input: JSON.stringify(input),
        }),
      );
      log.info({ machine, name, subjectID: meta.subjectID }, "execution started");
      return { executionArn: res.executionArn! };
    } catch (err) {
      if ((err as Error).name === "ExecutionAlreadyExists")
        throw new ConflictError(
          `Execution ${name} exists with another input`,
          undefined,
          "conflict.execution",
        );
      throw err;
    }
  }

  /** Status, current step and recent history of an execution, from the local record or from Step Functions. */
  export async function describe(executionArn: string): Promise<ExecutionInfo> {
    if (executionArn.startsWith("local:")) return Execution.get(Execution.idFromArn(executionArn));
    const sfn = await import("@aws-sdk/client-sfn");
    const client = new sfn.SFNClient({});
    const [d, h] = await Promise.all([
      client.send(new sfn.DescribeExecutionCommand({ executionArn })),
      client.send(
        new sfn.GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          maxResults: 100,
          includeExecutionData: false,
        }),
      ),
    ]);
    const events = (h.events ?? []).reverse();
    const history = events.map((e) => ({
      type: e.type ?? "unknown",
      state: e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name,
      time: (e.timestamp ?? new Date()).toISOString(),
      error: e.executionFailedEventDetails?.error ?? e.taskFailedEventDetails?.error,
    }));
    const status =
      d.status === "TIMED_OUT"
        ? "FAILED"
        : d.status === "PENDING_REDRIVE"
          ? "FAILED"
          : (d.status ?? "RUNNING");
    return {
      executionID: d.name ?? executionArn,
      executionArn,
      machine: "relocation",
      subjectID: "",
      status: status as ExecutionInfo["status"],
      currentStep: [...history].reverse().find((e) => e.state)?.state,
      runs: 1,
      history,
      error: d.error,
      timeStarted: (d.startDate ?? new Date()).toISOString(),
      timeStopped: d.stopDate?.toISOString(),
    };
  }
}
