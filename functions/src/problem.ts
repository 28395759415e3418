import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import {
  ConflictError,
  ForbiddenError,
  InvalidError,
  RateLimitedError,
  WaypointError,
} from "@waypoint/core/common/errors";
import { log } from "@waypoint/core/common/log";
import type { Problem } from "@waypoint/schema/problem";

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal error",
  503: "Service unavailable",
};

export function problemResponse(c: Context, problem: Problem, headers: Record<string, string> = {}) {
  return c.body(JSON.stringify(problem), problem.status as 400, {
    "content-type": "application/problem+json",
    ...headers,
  });
}

/** The one place where failures become RFC 9457 problem+json. */
export function toProblem(err: unknown, c: Context): Response {
  const requestId = c.get("requestId" as never) as string | undefined;
  const instance = new URL(c.req.url).pathname;
  if (err instanceof ZodError)
    err = new InvalidError(
      err.issues.map((i) => ({ path: i.path.join("."), code: `invalid.${i.code}`, message: i.message })),
    );
  if (err instanceof WaypointError) {
    const p: Problem = {
      type: `https://waypoint.dev/problems/${err.type}`,
      title: TITLES[err.status] ?? err.type,
      status: err.status,
      detail: err.message,
      instance,
      requestId,
      code: (err as { code?: string }).code ?? err.type,
    };
    if (err instanceof InvalidError) p.errors = err.issues;
    if (err instanceof ConflictError && err.issues?.length) p.errors = err.issues;
    if (err instanceof ForbiddenError) p.action = err.action;
    if ("current" in err && err.current !== undefined) p.current = err.current;
    const headers: Record<string, string> = {};
    if (err instanceof RateLimitedError || "retryAfterSeconds" in err)
      headers["retry-after"] = String((err as RateLimitedError).retryAfterSeconds);
    if (err.status >= 500) log.warn({ requestId, type: err.type }, "dependency failure");
    return problemResponse(c, p, headers);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    // Hono's body-limit and JSON parse failures arrive here.
    return problemResponse(c, {
      type: "about:blank",
      title: TITLES[status] ?? "Error",
      status,
      detail: err.message || TITLES[status],
      instance,
      requestId,
    });
  }
  if (err instanceof SyntaxError) {
    return problemResponse(c, {
      type: "https://waypoint.dev/problems/malformed",
      title: TITLES[400]!,
      status: 400,
      detail: "Malformed JSON body",
      instance,
      requestId,
    });
  }
  const name = (err as Error)?.name;
  if (isUnavailable(err)) {
    return problemResponse(c, {
      type: "https://waypoint.dev/problems/unavailable",
      title: TITLES[503]!,
      status: 503,
      detail: "The database is unavailable",
      instance,
      requestId,
    });
  }
  // Unknown failure: log the error class and the stack frames only. The message line is dropped because library
  // errors (validation, marshalling) can quote the values of a record, and values are personal data.
  const frames = ((err as Error)?.stack ?? "").split("\n").slice(1).join("\n");
  log.error({ requestId, err: { name, frames } }, "unhandled error");
  return problemResponse(c, {
    type: "https://waypoint.dev/problems/internal",
    title: TITLES[500]!,
    status: 500,
    detail: "Something went wrong on our side; the request ID identifies it in the logs",
    instance,
    requestId,
  });
}

const UNAVAILABLE_NAMES = new Set([
  "TimeoutError",
  "ResourceNotFoundException",
  "ServiceUnavailable",
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
]);
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);

/** The store could not be reached or refused for load; ElectroDB and the SDK wrap the cause, so walk the chain. */
function isUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const e = err as { name?: string; code?: string; cause?: unknown; errors?: unknown[] };
  if ((e.name && UNAVAILABLE_NAMES.has(e.name)) || (e.code && UNAVAILABLE_CODES.has(e.code))) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isUnavailable(x, depth + 1))) return true;
  return isUnavailable(e.cause, depth + 1);
}
