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

type Router = ReturnType<typeof router>;

/**
 * `GET /openapi.json` on a router: the OpenAPI 3.1 document of its routes, generated on the first request and kept
 * (routes do not change after start), instead of regenerated on every request as `doc31` does. A generation error
 * goes to the app's error handler (problem+json).
 */
export function serveDocument(r: Router, config: Parameters<Router["getOpenAPI31Document"]>[0]) {
  let document: ReturnType<Router["getOpenAPI31Document"]> | undefined;
  r.get("/openapi.json", (c) => c.json((document ??= r.getOpenAPI31Document(config))));
}
