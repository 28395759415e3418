import { createRoute, z } from "@hono/zod-openapi";
import { Household } from "@waypoint/core/household/index";
import { BulkResponse } from "@waypoint/schema/bulk";
import {
  HistoryQuery,
  HouseholdChanges,
  HouseholdCreate,
  HouseholdInfo,
  HouseholdListQuery,
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

const tags = ["Households"];
const security = [{ bearer: [] }];
const Id = IdParam("household", "hh");
const SinglePatch = z.object({ version: z.number().int().min(1), changes: HouseholdChanges });
const AuditPage = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  nextCursor: z.string().nullable(),
});

/** Households (registration groups). Members are listed with `GET /individuals?householdID=`. */
export const householdRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/households",
      tags,
      security,
      summary: "List households (office scope, status, updatedSince; signed cursors)",
      request: { query: HouseholdListQuery },
      responses: { 200: json(Page(HouseholdInfo), "A page of households"), ...problems },
    }),
    async (c) => c.json(await Household.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/households",
      tags,
      security,
      summary: "Create one household (201), or many with {rows} (per-row results)",
      request: {
        body: { ...json(z.union([BulkCreateEnvelope("household"), HouseholdCreate])), required: true },
      },
      responses: {
        201: json(HouseholdInfo, "Created"),
        200: json(BulkResponse, "Per-row results"),
        ...problems,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      if ("rows" in body) return c.json(await Household.bulkCreate(body.rows), 200);
      return c.json(await Household.create(body), 201);
    },
    unionHook as never,
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/households",
      tags,
      security,
      summary: "Bulk edit up to 1,000 rows {id, version, changes}; each row answers for itself",
      request: { body: { ...json(BulkPatchEnvelope("household")), required: true } },
      responses: { 200: json(BulkResponse, "Per-row results"), ...problems },
    }),
    async (c) => c.json(await Household.bulkPatch(c.req.valid("json").rows), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/households/{id}",
      tags,
      security,
      summary: "One household",
      request: { params: Id },
      responses: { 200: json(HouseholdInfo, "The household"), ...problems },
    }),
    async (c) => c.json(await Household.get(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/households/{id}",
      tags,
      security,
      summary: "Edit one household at the version you read; a stale version is a 409 with `current`",
      request: { params: Id, body: { ...json(SinglePatch), required: true } },
      responses: { 200: json(HouseholdInfo, "Saved"), ...problems, ...conflict },
    }),
    async (c) => {
      const { version, changes } = c.req.valid("json");
      return c.json(await Household.patch(c.req.valid("param").id, version, changes), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/households/{id}",
      tags,
      security,
      summary: "Soft-delete an empty household at the version you read",
      request: { params: Id, query: DeleteQuery },
      responses: { 200: json(HouseholdInfo, "Deleted (soft)"), ...problems, ...conflict },
    }),
    async (c) => {
      const { version, reason } = c.req.valid("query");
      return c.json(await Household.softDelete(c.req.valid("param").id, version, reason), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/households/{id}/history",
      tags,
      security,
      summary: "Audit trail of one household, for whoever may read it",
      request: { params: Id, query: HistoryQuery },
      responses: { 200: json(AuditPage, "Audit events, oldest first"), ...problems },
    }),
    async (c) => c.json(await Household.history(c.req.valid("param").id, c.req.valid("query")), 200),
  );
