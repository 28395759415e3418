import type { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { log } from "@waypoint/core/common/log";
import type { Problem } from "@waypoint/schema/problem";
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

export const handler: LambdaHandler = async (event, context) => {
  const domain = domainFor(pathOf(event));
  let serve: LambdaHandler;
  try {
    serve = await load(domain);
  } catch (err) {
    // A chunk that fails to load is a broken deployment, not the caller's fault: say so in problem+json (503, so
    // clients retry) and log the domain and error class (never the request).
    log.error({ domain: domain?.name ?? "*", err: (err as Error).name }, "domain failed to load");
    const problem: Problem = {
      type: "https://waypoint.dev/problems/unavailable",
      title: "Service unavailable",
      status: 503,
      detail: "This part of the service could not start. Try again shortly.",
      code: "unavailable",
    };
    return {
      statusCode: 503,
      headers: { "content-type": "application/problem+json", "retry-after": "5" },
      body: JSON.stringify(problem),
      isBase64Encoded: false,
    } as Awaited<ReturnType<LambdaHandler>>;
  }
  return serve(event, context);
};
