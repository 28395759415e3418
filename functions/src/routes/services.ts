import { createRoute, z } from "@hono/zod-openapi";
import { Service } from "@waypoint/core/service/index";
import { ServiceChanges, ServiceCreate, ServiceInfo, ServiceListQuery } from "@waypoint/schema/community";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const body = (schema: z.ZodTypeAny) => ({ body: { required: true, ...json(schema) } });
const ok = (out: z.ZodTypeAny) => ({ 200: { description: "OK", ...json(out) }, ...problems });
const Id = z.object({ serviceID: z.string().max(40) });
const tags = ["community"];

/** The service directory. */
export const serviceRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Search the directory (words, category, area, language), or the services that fit a case",
      request: { query: ServiceListQuery },
      responses: ok(
        z.object({ items: z.array(ServiceInfo), nextCursor: z.null(), areas: z.array(z.string()).optional() }),
      ),
    }),
    async (c) => c.json((await Service.list(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Add a service to the directory",
      request: body(ServiceCreate),
      responses: { 201: { description: "Added", ...json(ServiceInfo) }, ...problems },
    }),
    async (c) => c.json((await Service.create(c.req.valid("json") as never)) as never, 201),
  )
  .openapi(
    createRoute({ method: "get", path: "/{serviceID}", tags, summary: "One service", request: { params: Id }, responses: ok(ServiceInfo) }),
    async (c) => c.json((await Service.get(c.req.valid("param").serviceID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{serviceID}",
      tags,
      summary: "Change a service at its version",
      request: { params: Id, ...body(z.object({ version: z.number().int().min(1), changes: ServiceChanges })) },
      responses: ok(ServiceInfo),
    }),
    async (c) =>
      c.json(
        (await Service.update({ ...(c.req.valid("json") as object), serviceID: c.req.valid("param").serviceID } as never)) as never,
        200,
      ),
  );
