import { createRoute, z } from "@hono/zod-openapi";
import { CodeLists } from "@waypoint/core/codelist/index";
import { Fields } from "@waypoint/core/fields/index";
import {
  CodeList,
  CodeListCreate,
  CodeListPage,
  CodeListUpdate,
  FieldChangeResponse,
  FieldCreate,
  FieldDefinition,
  FieldHistory,
  FieldList,
  FieldListQuery,
  FieldRecordType,
  FieldRetire,
  FieldUpdate,
} from "@waypoint/schema/fields";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = <S extends z.ZodTypeAny>(schema: S) => ({ content: { "application/json": { schema } } });
const tags = ["Configured fields"];
const security = [{ bearer: [] }];
const FieldParam = z.object({
  fieldId: z
    .string()
    .max(60)
    .openapi({ param: { name: "fieldId", in: "path" }, example: "individual.proGresId" }),
});
const ListParam = z.object({
  listKey: z
    .string()
    .max(40)
    .openapi({ param: { name: "listKey", in: "path" }, example: "embassy" }),
});

/** Configured fields per record type and the operation's code lists (docs/fields.md). */
export const fieldRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/fields",
      tags,
      summary: "The operation's configured fields (of one record type)",
      security,
      request: { query: FieldListQuery },
      responses: { 200: { description: "The fields", ...json(FieldList) }, ...problems },
    }),
    async (c) => c.json(await Fields.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/fields",
      tags,
      summary: "Add a configured field to a record type (admins)",
      security,
      request: { body: { required: true, ...json(FieldCreate) } },
      responses: { 201: { description: "Created", ...json(FieldChangeResponse) }, ...problems },
    }),
    async (c) => c.json(await Fields.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/fields/json-schema",
      tags,
      summary: "JSON Schema of a record type's `fields` in your operation (each configured value typed)",
      security,
      request: { query: z.object({ recordType: FieldRecordType }) },
      responses: { 200: { description: "The schema", ...json(z.record(z.string(), z.unknown())) }, ...problems },
    }),
    async (c) => c.json(await Fields.jsonSchema(c.req.valid("query").recordType), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/fields/{fieldId}",
      tags,
      summary: "One configured field as it stands",
      security,
      request: { params: FieldParam },
      responses: { 200: { description: "The field", ...json(FieldDefinition) }, ...problems },
    }),
    async (c) => c.json(await Fields.get(c.req.valid("param").fieldId), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/fields/{fieldId}",
      tags,
      summary: "Change a configured field (a new version of its definition)",
      security,
      request: { params: FieldParam, body: { required: true, ...json(FieldUpdate) } },
      responses: { 200: { description: "Changed", ...json(FieldChangeResponse) }, ...problems },
    }),
    async (c) => c.json(await Fields.update(c.req.valid("param").fieldId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/fields/{fieldId}/retire",
      tags,
      summary: "Retire a configured field (its values stay readable; its key is never reused)",
      security,
      request: { params: FieldParam, body: { required: true, ...json(FieldRetire) } },
      responses: { 200: { description: "Retired", ...json(FieldChangeResponse) }, ...problems },
    }),
    async (c) => c.json(await Fields.retire(c.req.valid("param").fieldId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/fields/{fieldId}/restore",
      tags,
      summary: "Bring a retired field back",
      security,
      request: { params: FieldParam, body: { required: true, ...json(FieldRetire) } },
      responses: { 200: { description: "Restored", ...json(FieldChangeResponse) }, ...problems },
    }),
    async (c) => c.json(await Fields.restore(c.req.valid("param").fieldId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/fields/{fieldId}/history",
      tags,
      summary: "Every version of a configured field, newest first",
      security,
      request: { params: FieldParam },
      responses: { 200: { description: "The versions", ...json(FieldHistory) }, ...problems },
    }),
    async (c) => c.json(await Fields.history(c.req.valid("param").fieldId), 200),
  );

export const codeListRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/code-lists",
      tags,
      summary: "The operation's code lists (built-in ones included)",
      security,
      responses: { 200: { description: "The lists", ...json(CodeListPage) }, ...problems },
    }),
    async (c) => c.json(await CodeLists.list(), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/code-lists",
      tags,
      summary: "Add a code list (admins)",
      security,
      request: { body: { required: true, ...json(CodeListCreate) } },
      responses: { 201: { description: "Created", ...json(CodeList) }, ...problems },
    }),
    async (c) => c.json(await CodeLists.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/code-lists/{listKey}",
      tags,
      summary: "One code list",
      security,
      request: { params: ListParam },
      responses: { 200: { description: "The list", ...json(CodeList) }, ...problems },
    }),
    async (c) => c.json(await CodeLists.get(c.req.valid("param").listKey), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/code-lists/{listKey}",
      tags,
      summary: "Add, translate, retire or restore codes (by code), or re-label the list",
      security,
      request: { params: ListParam, body: { required: true, ...json(CodeListUpdate) } },
      responses: { 200: { description: "Changed", ...json(CodeList) }, ...problems },
    }),
    async (c) => c.json(await CodeLists.update(c.req.valid("param").listKey, c.req.valid("json")), 200),
  );
