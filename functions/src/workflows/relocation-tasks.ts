import { log } from "@waypoint/core/common/log";
import { RelocationTasks } from "@waypoint/core/relocation/tasks";

/**
 * The relocation workflow's task handler: one entry for every Task state (the payload names the task). The
 * Lambda (relocation-lambda.ts) and the local runner (packages/local) both call this; the steps live in core.
 */
export async function relocationTask(payload: unknown) {
  const started = performance.now();
  const p = payload as { task?: string; relocationID?: string };
  try {
    const result = await RelocationTasks.run(payload as RelocationTasks.Input);
    log.info(
      {
        task: p.task,
        relocationID: p.relocationID,
        action: result.action,
        ms: Math.round(performance.now() - started),
      },
      "relocation task",
    );
    return result;
  } catch (err) {
    log.warn(
      { task: p.task, relocationID: p.relocationID, err: (err as Error).name },
      "relocation task failed",
    );
    throw err;
  }
}
