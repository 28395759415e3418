import type { Context, MiddlewareHandler, ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import { InvalidError } from "@waypoint/core/common/errors";

/**
 * Validates one part of the request against a zod schema from packages/schema. Failures become InvalidError
 * (422 problem+json with field paths); a body that is not JSON becomes a 400.
 */
export function zValidator<T extends keyof ValidationTargets, S extends z.ZodTypeAny>(target: T, schema: S) {
  return validator(target, (value: unknown, _c: Context) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new InvalidError(
        parsed.error.issues.map((i) => ({
          path: [target === "json" ? "" : target, ...i.path.map(String)].filter(Boolean).join("."),
          code: `invalid.${i.code}`,
          message: i.message,
        })),
      );
    }
    return parsed.data as z.output<S>;
  }) as MiddlewareHandler<never, string, { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }>;
}
