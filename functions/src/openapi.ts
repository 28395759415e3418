import { OpenAPIHono } from "@hono/zod-openapi";
import { InvalidError } from "@waypoint/core/common/errors";

/** A router whose request validation failures become InvalidError with field paths (→ 422 problem+json). */
export function router() {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        throw new InvalidError(
          result.error.issues.map((i) => ({
            path: i.path.join("."),
            code: `invalid.${i.code}`,
            message: i.message,
          })),
        );
      }
    },
  });
}
