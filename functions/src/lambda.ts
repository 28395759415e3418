import type { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { type Domain, domainFor } from "./domains.ts";
import { createApp } from "./shell.ts";

type LambdaHandler = ReturnType<typeof handle>;
type LambdaEvent = Parameters<LambdaHandler>[0];

/**
 * API Lambda entry (Function URL or API Gateway HTTP API v2; REST API v1 events work too).
 *
 * A cold start imports the shell (middleware, auth, errors, the DynamoDB client); a request's domain
 * (functions/src/domains.ts) is imported on the first request that needs it and kept for the life of the
 * instance. Paths no domain claims (the OpenAPI documents, unknown paths) are answered by the full app
 * (app.ts), so every path gets exactly the answer `npm start` gives.
 */
const apps = new Map<string, Promise<LambdaHandler>>();

function load(domain: Domain | undefined): Promise<LambdaHandler> {
  const key = domain?.name ?? "*";
  let h = apps.get(key);
  if (!h) {
    h = (
      domain
        ? domain.load().then((mounts) => createApp(mounts, { quickRouter: true }))
        : import("./app.ts").then((m) => m.app as Hono)
    ).then((app) => handle(app));
    // A failed import (it should not happen: the bundle is built and tested whole) is retried on the next request.
    h.catch(() => apps.delete(key));
    apps.set(key, h);
  }
  return h;
}

function pathOf(event: LambdaEvent): string {
  const e = event as { rawPath?: string; path?: string };
  return e.rawPath ?? e.path ?? "/";
}

export const handler: LambdaHandler = async (event, context) =>
  (await load(domainFor(pathOf(event))))(event, context);
