import { allMounts } from "./domains.ts";
import { createApp } from "./shell.ts";

/**
 * The one Hono app with every route: `npm start` serves it with @hono/node-server, the tests call it, and it
 * publishes the OpenAPI documents. The Lambda entry (lambda.ts) serves the same routes domain by domain.
 */
export const app = createApp(await allMounts(), { docs: true });
