import { createRoute, z } from "@hono/zod-openapi";
import { Relocation } from "@waypoint/core/relocation/index";
import { BulkPatchRequest, BulkResponse } from "@waypoint/schema/bulk";
import {
  ConfirmBody,
  ExecutionInfo,
  PlanRequest,
  PlanResult,
  ReasonBody,
  RelocationChanges,
  RelocationCreate,
  RelocationInfo,
  RelocationListQuery,
} from "@waypoint/schema/relocation";
import { Page } from "@waypoint/schema/common";
import { router } from "../openapi.ts";
import { relocationDeskRoutes } from "./relocation-desk.ts";
import { relocationTripRoutes } from "./relocation-trips.ts";

const json = <S extends z.ZodTypeAny>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const body = <S extends z.ZodTypeAny>(schema: S) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const Id = z.object({ id: z.string() });
const Versioned = z.object({ version: z.number().int().min(1) });
const tags = ["Relocation"];

/** Relocations, the planner and the per-household workflow (issue 7). Core checks every permission. */
export const relocationRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/relocations",
      tags,
      summary: "List relocations",
      request: { query: RelocationListQuery },
      responses: { 200: json(Page(RelocationInfo), "A page of relocations") },
    }),
    async (c) => c.json(await Relocation.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocations",
      tags,
      summary: "Open a relocation for a registered household",
      request: body(RelocationCreate),
      responses: { 201: json(RelocationInfo, "Created") },
    }),
    async (c) => c.json(await Relocation.create(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/relocations",
      tags,
      summary: "Save grid edits (per-row results; confirming a seat starts the workflow)",
      request: body(BulkPatchRequest(RelocationChanges)),
      responses: { 200: json(BulkResponse, "Per-row results") },
    }),
    async (c) => c.json(await Relocation.bulkUpdate(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/relocations/{id}",
      tags,
      summary: "One relocation",
      request: { params: Id },
      responses: { 200: json(RelocationInfo, "The relocation") },
    }),
    async (c) => c.json(await Relocation.get(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocations/{id}/confirm-departure",
      tags,
      summary: "The terminal team confirms the household boarded",
      request: { params: Id, ...body(ConfirmBody.merge(Versioned)) },
      responses: { 200: json(RelocationInfo, "Departed") },
    }),
    async (c) =>
      c.json(
        await Relocation.confirmDeparture({ ...c.req.valid("json"), relocationID: c.req.valid("param").id }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocations/{id}/confirm-arrival",
      tags,
      summary: "The receiving office confirms arrival",
      request: { params: Id, ...body(ConfirmBody.merge(Versioned)) },
      responses: { 200: json(RelocationInfo, "Arrived") },
    }),
    async (c) =>
      c.json(
        await Relocation.confirmArrival({ ...c.req.valid("json"), relocationID: c.req.valid("param").id }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocations/{id}/cancel",
      tags,
      summary: "Cancel before departure (the workflow ends at its next step)",
      request: { params: Id, ...body(ReasonBody.merge(Versioned)) },
      responses: { 200: json(RelocationInfo, "Cancelled") },
    }),
    async (c) =>
      c.json(await Relocation.cancel({ ...c.req.valid("json"), relocationID: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocations/{id}/workflow",
      tags,
      summary: "Start the household's workflow again after a failure (a running one is kept)",
      request: { params: Id },
      responses: { 200: json(RelocationInfo, "The relocation with its execution") },
    }),
    async (c) => c.json(await Relocation.startWorkflow(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/relocations/{id}/execution",
      tags,
      summary: "Status, current step and history of the household's workflow",
      request: { params: Id },
      responses: { 200: json(ExecutionInfo, "The execution") },
    }),
    async (c) => c.json(await Relocation.execution(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocation-plans",
      tags,
      summary: "Run the planner over a date range (dryRun: compute without saving)",
      request: body(PlanRequest),
      responses: { 200: json(PlanResult, "The plan and, unless dry, per-row save results") },
    }),
    async (c) => c.json(await Relocation.plan(c.req.valid("json")), 200),
  )
  .route("/", relocationTripRoutes)
  .route("/", relocationDeskRoutes);
