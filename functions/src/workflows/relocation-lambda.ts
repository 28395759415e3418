import { relocationTask } from "./relocation-tasks.ts";

/** Lambda entry for the relocation state machine's Task states (invoked through `lambda:invoke`). */
export const handler = (event: unknown) => relocationTask(event);
