import { createRoute, z } from "@hono/zod-openapi";
import { InvalidError } from "@waypoint/core/common/errors";
import { Individual } from "@waypoint/core/individual/index";
import { BulkResponse } from "@waypoint/schema/bulk";
import {
  DuplicateCandidate,
  DuplicateCheckRequest,
  DuplicateCheckResponse,
  HistoryQuery,
  IndividualChanges,
  IndividualCreate,
  IndividualInfo,
  IndividualListQuery,
  OverrideDuplicates,
} from "@waypoint/schema/registry";
import { Page } from "@waypoint/schema/common";
import { router } from "../openapi.ts";
import {
  BulkCreateEnvelope,
  BulkPatchEnvelope,
  conflict,
  DeleteQuery,
  IdParam,
  json,
  problems,
  unionHook,
} from "./registry.shared.ts";

const tags = ["Individuals"];
const security = [{ bearer: [] }];
const Id = IdParam("individual", "ind");
const SingleCreate = IndividualCreate.safeExtend({ overrideDuplicates: OverrideDuplicates.optional() });
const Created = IndividualInfo.extend({
  candidates: z.array(DuplicateCandidate).describe("possible duplicates (not blocking)"),
});
const SinglePatch = z.object({ version: z.number().int().min(1), changes: IndividualChanges });
const AuditPage = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  nextCursor: z.string().nullable(),
});

export const individualRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/individuals",
      tags,
      security,
      summary:
        "List individuals (office scope, status, updatedSince, name prefix q, householdID; sorted; signed cursors)",
      request: { query: IndividualListQuery },
      responses: { 200: json(Page(IndividualInfo), "A page of individuals"), ...problems },
    }),
    async (c) => c.json(await Individual.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/individuals",
      tags,
      security,
      summary: "Register one individual (201), or many with {rows} (per-row results)",
      request: {
        query: z.object({
          dryRun: z
            .enum(["true", "false"])
            .optional()
            .openapi({ description: "With {rows}: check every row as a registration would, store nothing (an import's dry run)" }),
        }),
        body: { ...json(z.union([BulkCreateEnvelope("individual"), SingleCreate])), required: true },
      },
      responses: {
        201: json(Created, "Registered"),
        200: json(BulkResponse, "Per-row results: created | invalid | duplicate | forbidden"),
        ...problems,
        ...conflict,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const dryRun = c.req.valid("query").dryRun === "true";
      if ("rows" in body) return c.json(await Individual.bulkCreate(body.rows, { dryRun }), 200);
      if (dryRun) throw InvalidError.field("dryRun", "invalid.dry_run", "a dry run checks {rows}");
      const { overrideDuplicates, ...values } = body;
      const { record, candidates } = await Individual.create(values, { overrideDuplicates });
      return c.json({ ...record, candidates }, 201);
    },
    unionHook as never,
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/individuals",
      tags,
      security,
      summary:
        "Bulk edit up to 1,000 rows {id, version, changes}; each row answers saved | conflict | invalid | forbidden | not_found",
      request: { body: { ...json(BulkPatchEnvelope("individual")), required: true } },
      responses: { 200: json(BulkResponse, "Per-row results"), ...problems },
    }),
    async (c) => c.json(await Individual.bulkPatch(c.req.valid("json").rows), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/individuals/duplicates",
      tags,
      security,
      summary: "Duplicate candidates for a person, without registering anything",
      request: { body: { ...json(DuplicateCheckRequest), required: true } },
      responses: { 200: json(DuplicateCheckResponse, "Candidates, strongest first"), ...problems },
    }),
    async (c) => {
      const { excludeID, ...person } = c.req.valid("json");
      return c.json({ candidates: await Individual.duplicates({ ...person, individualID: excludeID }) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/individuals/{id}",
      tags,
      security,
      summary: "One individual",
      request: { params: Id },
      responses: { 200: json(IndividualInfo, "The individual"), ...problems },
    }),
    async (c) => c.json(await Individual.get(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/individuals/{id}",
      tags,
      security,
      summary: "Edit one individual at the version you read; a stale version is a 409 with `current`",
      request: { params: Id, body: { ...json(SinglePatch), required: true } },
      responses: { 200: json(IndividualInfo, "Saved"), ...problems, ...conflict },
    }),
    async (c) => {
      const { version, changes } = c.req.valid("json");
      return c.json(await Individual.patch(c.req.valid("param").id, version, changes), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/individuals/{id}",
      tags,
      security,
      summary: "Soft-delete one individual at the version you read",
      request: { params: Id, query: DeleteQuery },
      responses: { 200: json(IndividualInfo, "Deleted (soft)"), ...problems, ...conflict },
    }),
    async (c) => {
      const { version, reason } = c.req.valid("query");
      return c.json(await Individual.softDelete(c.req.valid("param").id, version, reason), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/individuals/{id}/history",
      tags,
      security,
      summary: "Audit trail of one individual (who changed what, before/after), for whoever may read it",
      request: { params: Id, query: HistoryQuery },
      responses: { 200: json(AuditPage, "Audit events, oldest first"), ...problems },
    }),
    async (c) => c.json(await Individual.history(c.req.valid("param").id, c.req.valid("query")), 200),
  );
