import { createRoute, z } from "@hono/zod-openapi";
import { BulkCreateRequest, BulkPatchRequest, BulkResponse } from "@waypoint/schema/bulk";
import { Page } from "@waypoint/schema/common";
import { Problem } from "@waypoint/schema/problem";
import { router } from "../openapi.ts";

/**
 * The standard record routes a grid needs (list, get, create one or many, bulk patch), built the same way for
 * every case-management collection so their wire shapes cannot drift. Handlers call core once.
 */
export interface RecordRoutes {
  tag: string;
  /** Path parameter name, e.g. `caseID`. */
  id: string;
  item: z.ZodTypeAny;
  create: z.ZodTypeAny;
  changes: z.ZodTypeAny;
  query: z.ZodObject;
  list: (q: unknown) => Promise<unknown>;
  get: (id: string) => Promise<unknown>;
  createOne: (values: unknown) => Promise<unknown>;
  createMany: (rows: { ref?: string; values: unknown }[]) => Promise<unknown>;
  bulkPatch: (rows: { id: string; version: number; changes: unknown }[]) => Promise<unknown>;
}

export const problems = {
  403: { description: "Not allowed", content: { "application/problem+json": { schema: Problem } } },
  404: { description: "Not found", content: { "application/problem+json": { schema: Problem } } },
  409: {
    description: "Stale version or taken slot",
    content: { "application/problem+json": { schema: Problem } },
  },
  422: {
    description: "Invalid input or refused by a rule",
    content: { "application/problem+json": { schema: Problem } },
  },
};

export function recordRoutes(r: RecordRoutes) {
  const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
  // Values are validated in core (per row for bulk), so field paths point at the right row and cell.
  const CreateBody = z
    .union([BulkCreateRequest(z.unknown()), z.record(z.string(), z.unknown())])
    .describe(
      `One ${r.tag} (see ${r.tag}Create), or {rows:[{ref, values}]} to create up to 1,000 with per-row results`,
    );
  return router()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags: [r.tag],
        summary: `List ${r.tag} records visible to you (filters, cursor, updatedSince for delta sync)`,
        request: { query: r.query },
        responses: {
          200: { description: "A page", ...json(Page(r.item)) },
          403: problems[403],
          422: problems[422],
        },
      }),
      async (c) => c.json((await r.list(c.req.valid("query"))) as never, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: `/{${r.id}}`,
        tags: [r.tag],
        summary: `One ${r.tag} record`,
        request: { params: z.object({ [r.id]: z.string() }) },
        responses: {
          200: { description: "The record", ...json(r.item) },
          403: problems[403],
          404: problems[404],
        },
      }),
      async (c) =>
        c.json((await r.get((c.req.valid("param") as Record<string, string>)[r.id]!)) as never, 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        tags: [r.tag],
        summary: `Create one ${r.tag} record, or many with per-row results`,
        request: { body: { required: true, content: { "application/json": { schema: CreateBody } } } },
        responses: {
          201: { description: "Created", ...json(r.item) },
          200: { description: "Bulk: per-row results", ...json(BulkResponse) },
          403: problems[403],
          422: problems[422],
        },
      }),
      async (c) => {
        const body = c.req.valid("json") as { rows?: { ref?: string; values: unknown }[] };
        if (Array.isArray(body.rows)) return c.json((await r.createMany(body.rows)) as never, 200);
        return c.json((await r.createOne(body)) as never, 201);
      },
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/",
        tags: [r.tag],
        summary: `Save up to 1,000 edited ${r.tag} rows {id, version, changes}; each row answers for itself`,
        request: { body: { required: true, ...json(BulkPatchRequest(z.unknown())) } },
        responses: { 200: { description: "Per-row results", ...json(BulkResponse) }, 422: problems[422] },
      }),
      async (c) => {
        const { rows } = c.req.valid("json") as { rows: { id: string; version: number; changes: unknown }[] };
        return c.json((await r.bulkPatch(rows)) as never, 200);
      },
    );
}
