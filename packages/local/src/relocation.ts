import { Execution, Workflows, config, log } from "@waypoint/core";
import { renderRelocationDefinition, TaskStates } from "@waypoint/core/relocation/workflow";
import { MAX_TIMER_MS, realWait, type WaitContext } from "@waypoint/core/relocation/timing";
import { relocationTask } from "@waypoint/functions/workflows/relocation-tasks";
import type { EventLog, LocalMachine, LocalWorkflowRunner, RunOptions } from "./workflows.ts";

export const RELOCATION = "relocation";

/** The relocation machine for the local runner: the rendered ASL, each Task state calling the Lambda's handler. */
export function relocationMachine(
  handler: (payload: unknown) => Promise<unknown> = relocationTask,
): LocalMachine {
  return {
    name: RELOCATION,
    definition: renderRelocationDefinition(),
    tasks: Object.fromEntries(Object.keys(TaskStates).map((s) => [s, handler])),
    resume: (runner) => resumeRelocations(runner),
  };
}

/**
 * The local waits, decided when each Wait state starts: the real duration from the last task's timestamps (or
 * the poll interval) times WAYPOINT_WAIT_SCALE, on a virtual clock that advances by the real durations so a
 * scaled run keeps the spacing of the real schedule. Capped at what a Node timer can wait; the tasks re-wait
 * when woken early at full scale.
 */
export function scaledWaits(scale = config().waitScale): RunOptions {
  let last: WaitContext | undefined;
  let virtual = Date.now();
  const waitOverrides = new Proxy({} as Record<string, number>, {
    get(_t, state) {
      if (typeof state !== "string") return undefined;
      const now = scale === 1 ? Date.now() : virtual;
      const real = realWait(state, last, now);
      if (real === undefined) return undefined;
      virtual = now + real;
      return Math.min(Math.round(real * scale), MAX_TIMER_MS);
    },
  });
  const retryOverrides: Record<string, number> =
    scale === 1
      ? {}
      : Object.fromEntries(Object.keys(TaskStates).map((s) => [s, Math.round(10_000 * scale)]));
  return { waitOverrides, retryOverrides, onTaskResult: (_s, r) => (last = r as WaitContext) };
}

function recorder(info: Execution.Info) {
  let current = info;
  return async (ev: EventLog) => {
    const time = new Date(ev.timestamp).toISOString();
    if (
      ev.type === "StateEntered" ||
      ev.type === "StateRetried" ||
      ev.type === "StateCaught" ||
      ev.type === "StateFailed"
    ) {
      const error = "Error" in ev ? String(ev.Error) : undefined;
      current = await Execution.step(current, {
        type: ev.type,
        state: ev.state.name,
        time,
        ...(error ? { error } : {}),
      });
    } else if (ev.type === "ExecutionSucceeded") await Execution.finish(current, "SUCCEEDED");
    else if (ev.type === "ExecutionFailed") await Execution.finish(current, "FAILED", String(ev.Error));
  };
}

/**
 * Runs (or re-runs from the beginning) one recorded execution; idempotent tasks make a re-run safe. `seen`: the
 * execution as this runner found it (see `Execution.begin`), so two runners that found it alike do not both run it.
 */
export async function runRecorded(
  runner: LocalWorkflowRunner,
  executionID: string,
  extra: RunOptions = {},
  seen?: Pick<Execution.Info, "runs">,
) {
  const info = await Execution.begin(executionID, seen);
  const opts = { ...scaledWaits(), ...extra, onEvent: recorder(info) };
  return runner.start(RELOCATION, executionID, info.input, opts);
}

/** Restarts every relocation execution left queued or running (after `npm start` restarts). */
export async function resumeRelocations(
  runner: LocalWorkflowRunner,
  operationID?: string,
  extra: RunOptions = {},
): Promise<number> {
  const pending = await Execution.unfinished(RELOCATION, operationID);
  for (const e of pending) {
    if (runner.isRunning(e.executionID)) continue;
    runRecorded(runner, e.executionID, extra, e).catch((err: Error) =>
      log.warn({ executionID: e.executionID, err: err.name }, "local execution stopped"),
    );
  }
  return pending.length;
}

/** The Workflows port's local adapter: record the execution, then run it in-process. */
export function localWorkflowsAdapter(runner: LocalWorkflowRunner): Workflows.Adapter {
  return {
    async start(machine, name, input, meta) {
      const e = await Execution.queue({ executionID: name, machine, input, ...meta });
      runRecorded(runner, name, {}, e).catch((err: Error) =>
        log.warn({ executionID: name, err: err.name }, "local execution stopped"),
      );
      return { executionArn: e.executionArn };
    },
  };
}
