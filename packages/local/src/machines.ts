import type { LocalWorkflowRunner } from "./workflows.ts";

/**
 * The state machines the local runner knows. Each workflow module registers its rendered definition and task
 * handlers here (the relocation workflow is the first).
 */
export async function registerLocalMachines(_runner: LocalWorkflowRunner): Promise<void> {}
