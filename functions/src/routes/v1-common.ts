import { z } from "@hono/zod-openapi";
import { Problem } from "@waypoint/schema/problem";

export const json = (schema: z.ZodTypeAny, example?: unknown) => ({
  content: { "application/json": { schema, ...(example === undefined ? {} : { example }) } },
});

const ProblemRef = Problem.meta({ id: "Problem" });
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemRef } },
});

/** The failures every partner route may answer with (RFC 9457 problem+json). */
export const problems = {
  400: problem("Malformed request (body is not JSON)"),
  401: problem("Missing or invalid API key"),
  403: problem("The API key lacks the scope this route needs"),
  404: problem("No such record, or not one this organisation may see"),
  409: problem("Conflict: stale version, or a request with this Idempotency-Key is still running"),
  413: problem("Request body larger than 256 KB"),
  422: problem("Invalid fields (see `errors[].path`), or an Idempotency-Key reused with another body"),
  429: problem("Rate limit exceeded; see Retry-After"),
} as const;

export const security = [{ bearer: [] }];

export const IdempotencyHeader = z.object({
  "idempotency-key": z.string().max(255).optional().openapi({
    description:
      "Makes the POST safe to retry: the same key and body return the original response; the same key with another body is a 422. Keys are kept 24 h.",
    example: "7f1d2c9e-5b0a-4a57-9a55-0c7e0f0f4a11",
  }),
});
