import { Workflows } from "@waypoint/core";
import { localWorkflowsAdapter, relocationMachine } from "./relocation.ts";
import type { LocalWorkflowRunner } from "./workflows.ts";

/**
 * The state machines the local runner knows. Each workflow module registers its rendered definition and task
 * handlers here (the relocation workflow is the first).
 */
export async function registerLocalMachines(runner: LocalWorkflowRunner): Promise<() => void> {
  runner.register(relocationMachine());
  const adapter = localWorkflowsAdapter(runner);
  Workflows.useAdapter(adapter);
  // for the runner's stop: core no longer hands new executions to it (another stack may have replaced it since)
  return () => Workflows.dropAdapter(adapter);
}
