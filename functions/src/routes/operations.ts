import { createRoute, z } from "@hono/zod-openapi";
import { Actor } from "@waypoint/core/actor";
import { Operation } from "@waypoint/core/operation/index";
import { User } from "@waypoint/core/user/index";
import {
  AreaImport,
  AreaImportResult,
  AreaInfo,
  OfficeChanges,
  OfficeCreate,
  OfficeInfo,
  OperationChanges,
  OperationCreate,
  OperationInfo,
} from "@waypoint/schema/operations";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const body = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true as const },
});
const tags = ["operation"];
const IdParam = z.object({ operationID: z.string().min(1).max(40) });
const OfficeParam = z.object({ officeID: z.string().min(1).max(40) });
const Versioned = <T extends z.ZodTypeAny>(changes: T) => z.object({ version: z.number().int().min(1), changes });

/**
 * Country operations (create, list, edit), their administrative areas (gazetteer import with a dry run) and their
 * offices with rooms. Mounted under /api beside the session routes (same domain: `/api/operations`, `/api/offices`).
 */
export const operationRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/operations",
      tags,
      summary: "Operations the signed-in user works in (the operation switcher), with country and time zone",
      responses: { 200: { description: "Operations", ...json(z.object({ items: z.array(OperationInfo) })) }, ...problems },
    }),
    async (c) => {
      const actor = Actor.user();
      const user = await User.get(actor.userID);
      const ops = await Operation.list();
      const items = ops
        .filter((o) => user.grants.some((g) => g.operationID === o.operationID))
        .map(({ settings: _settings, ...o }) => o);
      return c.json({ items } as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/operations",
      tags,
      summary: "Open a country operation (its creator becomes its admin)",
      request: body(OperationCreate),
      responses: { 201: { description: "The operation", ...json(OperationInfo) }, ...problems },
    }),
    async (c) => c.json((await Operation.create(c.req.valid("json"))) as never, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/operations/{operationID}",
      tags,
      summary: "One operation",
      request: { params: IdParam },
      responses: { 200: { description: "The operation", ...json(OperationInfo) }, ...problems },
    }),
    async (c) => {
      const { operationID } = c.req.valid("param");
      await Operation.assertManage(operationID).catch((err: unknown) => {
        if (Actor.user().operationID !== operationID) throw err;
      });
      const { settings: _settings, ...op } = await Operation.get(operationID);
      return c.json(op as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/operations/{operationID}",
      tags,
      summary: "Change an operation's name, currency, time zone or languages (at its version)",
      request: { params: IdParam, ...body(Versioned(OperationChanges)) },
      responses: { 200: { description: "The operation", ...json(OperationInfo) }, ...problems },
    }),
    async (c) => {
      const { version, changes } = c.req.valid("json");
      const { settings: _settings, ...op } = await Operation.update(c.req.valid("param").operationID, version, changes);
      return c.json(op as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/operations/{operationID}/areas",
      tags,
      summary: "The operation's administrative areas (all, or of one level)",
      request: { params: IdParam, query: z.object({ level: z.coerce.number().int().min(1).max(4).optional() }) },
      responses: { 200: { description: "Areas", ...json(z.object({ items: z.array(AreaInfo) })) }, ...problems },
    }),
    async (c) =>
      c.json(
        { items: await Operation.areas(c.req.valid("param").operationID, c.req.valid("query").level) } as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/operations/{operationID}/areas/import",
      tags,
      summary:
        "Import administrative areas from a gazetteer CSV (p-code, name, parent p-code, level; or COD-AB columns). A dry run, or any bad row, stores nothing and lists the rows' errors",
      request: { params: IdParam, ...body(AreaImport) },
      responses: { 200: { description: "What the file holds, and its rows' errors", ...json(AreaImportResult) }, ...problems },
    }),
    async (c) =>
      c.json((await Operation.importAreas(c.req.valid("param").operationID, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/operations/{operationID}/offices",
      tags,
      summary: "The operation's offices, with their areas and rooms",
      request: { params: IdParam },
      responses: { 200: { description: "Offices", ...json(z.object({ items: z.array(OfficeInfo) })) }, ...problems },
    }),
    async (c) => c.json({ items: await Operation.offices(c.req.valid("param").operationID) } as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/operations/{operationID}/offices",
      tags,
      summary: "Open an office of the operation (areas checked against the operation's list)",
      request: { params: IdParam, ...body(OfficeCreate) },
      responses: { 201: { description: "The office", ...json(OfficeInfo) }, ...problems },
    }),
    async (c) =>
      c.json(
        (await Operation.createOffice({ ...c.req.valid("json"), operationID: c.req.valid("param").operationID })) as never,
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/offices/{officeID}",
      tags,
      summary: "Change an office's name, areas, kind or rooms (at its version)",
      request: { params: OfficeParam, ...body(Versioned(OfficeChanges)) },
      responses: { 200: { description: "The office", ...json(OfficeInfo) }, ...problems },
    }),
    async (c) => {
      const { version, changes } = c.req.valid("json");
      return c.json((await Operation.updateOffice(c.req.valid("param").officeID, version, changes)) as never, 200);
    },
  );
