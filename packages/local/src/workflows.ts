import "./polyfill.ts";
import { log } from "@waypoint/core";

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

  get size(): number {
    return this.running.size;
  }

  async start(
    machineName: string,
    executionName: string,
    input: unknown,
    waitOverrides: Record<string, number> = {},
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
          return { Payload: (await fn(payload)) ?? null } as never;
        },
      ]),
    );
    const exec = sm.run(input as never, {
      overrides: { taskResourceLocalHandlers: taskHandlers, waitTimeOverrides: waitOverrides },
      noThrowOnAbort: true,
    });
    this.running.set(executionName, exec);
    try {
      return await exec.result;
    } finally {
      this.running.delete(executionName);
    }
  }

  /** Starts without awaiting; failures are logged (the machine records them in its execution record). */
  launch(
    machineName: string,
    executionName: string,
    input: unknown,
    waitOverrides?: Record<string, number>,
  ): void {
    this.start(machineName, executionName, input, waitOverrides).catch((err: Error) =>
      log.warn({ executionName, machineName, err: err.name }, "local execution failed"),
    );
  }

  async resumeAll(): Promise<number> {
    let n = 0;
    for (const m of this.machines.values()) n += (await m.resume?.(this)) ?? 0;
    return n;
  }

  stop(): void {
    this.stopped = true;
    for (const e of this.running.values()) e.abort();
    this.running.clear();
  }
}
