export { startLocal, type LocalStack, type LocalOptions } from "./runtime.ts";
export { startDynamoLocal, freePort } from "./dynamo-local.ts";
export { ensureTable } from "./bootstrap.ts";
export { LocalWorkflowRunner } from "./workflows.ts";
