import "./polyfill.ts";
import { log } from "@waypoint/core";
import type { StateMachine } from "aws-local-stepfunctions";

export type EventLog =
  ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

export interface RunOptions {
  /** Wait state name → milliseconds (WAYPOINT_WAIT_SCALE applied by the caller). */
  waitOverrides?: Record<string, number>;
  /** Task state name → milliseconds between retries. */
  retryOverrides?: Record<string, number>;
  /** Called with each Task state's result before the machine moves on (dynamic wait overrides read it). */
  onTaskResult?: (state: string, result: unknown) => void;
  /** Every interpreter event, in order (the execution record is written from these). */
  onEvent?: (event: EventLog) => Promise<void>;
}

/** A state machine the local runner can execute: its rendered ASL and the local handler for each Task state. */
export interface LocalMachine {
  name: string;
  definition: Record<string, unknown>;
  /** Task state name → handler (the same module the Lambda runs). */
  tasks: Record<string, (input: unknown) => Promise<unknown>>;
  /** Resumes executions that were running when the process stopped. */
  resume?: (runner: LocalWorkflowRunner) => Promise<number>;
}

/**
 * Runs workflows in-process with aws-local-stepfunctions. Execution state is not kept by the interpreter;
 * machines record their executions themselves (DynamoDB) so a restart can resume them.
 */
export class LocalWorkflowRunner {
  private readonly machines = new Map<string, LocalMachine>();
  private readonly running = new Map<string, { abort: () => void; result: Promise<unknown> }>();
  private stopped = false;

  constructor(readonly waitScale = Number(process.env.WAYPOINT_WAIT_SCALE ?? "1")) {}

  register(machine: LocalMachine): void {
    this.machines.set(machine.name, machine);
  }

  isRunning(executionName: string): boolean {
    return this.running.has(executionName);
  }

  /** Stops one execution as if the process had died (it stays RUNNING in its record, to be resumed). */
  abort(executionName: string): void {
    this.running.get(executionName)?.abort();
    this.running.delete(executionName);
  }

  get size(): number {
    return this.running.size;
  }

  async start(
    machineName: string,
    executionName: string,
    input: unknown,
    opts: RunOptions = {},
  ): Promise<unknown> {
    if (this.stopped) throw new Error("workflow runner is stopped");
    const machine = this.machines.get(machineName);
    if (!machine) throw new Error(`unknown state machine ${machineName}`);
    const { StateMachine } = await import("aws-local-stepfunctions");
    const sm = new StateMachine(machine.definition as never, {
      validationOptions: { checkArn: false, checkPaths: true },
    });
    const taskHandlers = Object.fromEntries(
      Object.entries(machine.tasks).map(([state, fn]) => [
        state,
        // A lambda:invoke override receives { FunctionName, Payload } and must return { Payload }.
        async (i: unknown) => {
          const payload = (i as { Payload?: unknown })?.Payload ?? i;
          const result = (await this.track(fn(payload))) ?? null;
          opts.onTaskResult?.(state, result);
          return { Payload: result } as never;
        },
      ]),
    );
    const exec = sm.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: taskHandlers,
        waitTimeOverrides: opts.waitOverrides ?? {},
        retryIntervalOverrides: opts.retryOverrides ?? {},
      },
      noThrowOnAbort: true,
    });
    this.running.set(executionName, exec);
    // Events are consumed in order; the last one (the run's end) is written before the result is returned.
    let ended: () => void = () => undefined;
    const endRecorded = new Promise<void>((r) => (ended = r));
    const events = (async () => {
      for await (const ev of exec.eventLogs) {
        try {
          await this.track(opts.onEvent?.(ev));
        } catch (err) {
          log.warn({ executionName, err: (err as Error).name }, "execution event not recorded");
        }
        if (ev.type === "ExecutionSucceeded" || ev.type === "ExecutionFailed") ended();
      }
    })();
    try {
      const result = await exec.result;
      // The writes of the events before the end can lag behind the run on a loaded machine: wait for the end's
      // own write (it was cut at 2 s, and a finished run could stay recorded as running, to be run again at the
      // next start), at most a minute in case the stream never says it ended.
      await Promise.race([events, endRecorded, new Promise((r) => setTimeout(r, 60_000).unref())]);
      return result;
    } catch (err) {
      await Promise.race([events, new Promise((r) => setTimeout(r, 2000).unref())]);
      throw err;
    } finally {
      this.running.delete(executionName);
    }
  }

  /** Starts without awaiting; failures are logged (the machine records them in its execution record). */
  launch(machineName: string, executionName: string, input: unknown, opts?: RunOptions): void {
    this.start(machineName, executionName, input, opts).catch((err: Error) =>
      log.warn({ executionName, machineName, err: err.name }, "local execution failed"),
    );
  }

  async resumeAll(): Promise<number> {
    let n = 0;
    for (const m of this.machines.values()) n += (await m.resume?.(this)) ?? 0;
    return n;
  }

  /** Task functions and event writes in flight: stop() lets them finish before the store goes away. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private track<T>(p: T | Promise<T>): Promise<T> {
    const promise = Promise.resolve(p);
    const settled = promise.catch(() => undefined);
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    return promise;
  }

  /**
   * Stops every execution as if the process had died (they stay RUNNING in their records and are resumed at
   * the next start), then waits up to `graceMs` for task functions already running to finish their writes.
   */
  async stop(graceMs = 3000): Promise<void> {
    this.stopped = true;
    for (const e of this.running.values()) e.abort();
    this.running.clear();
    if (this.inFlight.size === 0) return;
    await Promise.race([Promise.all([...this.inFlight]), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }
}
