import { createRoute, z } from "@hono/zod-openapi";
import { Relocation } from "@waypoint/core/relocation/index";
import { BulkResponse } from "@waypoint/schema/bulk";
import { ExportPurposeFields } from "@waypoint/schema/privacy";
import { IsoDate } from "@waypoint/schema/common";
import {
  Candidate,
  CandidateQuery,
  Destination,
  FollowUp,
  FollowUpRecord,
  InterestBody,
  Manifest,
  RelocationBulkCreate,
  RelocationInfo,
  RelocationStatus,
  TripDayRequest,
} from "@waypoint/schema/relocation";
import { router } from "../openapi.ts";
import { json } from "./registry.shared.ts";

const body = <S extends z.ZodTypeAny>(schema: S) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const Id = z.object({ id: z.string() });
const tags = ["Relocation"];

const FollowUpRow = z.object({
  relocationID: z.string(),
  version: z.number().int(),
  householdID: z.string(),
  officeID: z.string(),
  headName: z.string().optional(),
  destination: Destination,
  status: RelocationStatus,
  departedAt: z.string(),
  followUps: z.array(FollowUp.extend({ overdue: z.boolean() })),
});

/**
 * The relocation team's desk (issue 17): eligible households and relocations opened from a selection, the trip
 * manifest and relocation day at the terminal (check-in, departure, no-shows, tickets), follow-ups after arrival
 * and the people-relocated report as a file. Core checks every permission and rule.
 */
export const relocationDeskRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/relocation-desk/candidates",
      tags,
      summary: "Registry households that could be relocated, with interest, assessments and specific needs",
      request: { query: CandidateQuery },
      responses: { 200: json(z.object({ items: z.array(Candidate) }), "Households") },
    }),
    async (c) => c.json({ items: await Relocation.eligible(c.req.valid("query")) }, 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/relocation-desk/interest/{id}",
      tags,
      summary: "Record whether a household is interested in the programme",
      request: { params: Id, ...body(InterestBody.extend({ version: z.number().int().min(1).optional() })) },
      responses: { 200: json(z.object({ householdID: z.string(), interested: z.boolean() }), "Saved") },
    }),
    async (c) =>
      c.json(await Relocation.recordInterest({ ...c.req.valid("json"), householdID: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocation-desk/relocations",
      tags,
      summary: "Open relocations for a selection of households (one destination; optionally seats on a trip)",
      request: body(RelocationBulkCreate),
      responses: { 200: json(BulkResponse, "Per-household results") },
    }),
    async (c) => c.json(await Relocation.bulkCreate(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/relocation-desk/follow-ups",
      tags,
      summary: "Households that left, with their follow-ups after 1 and 3 months (overdue marked)",
      request: { query: z.object({ officeID: z.string().optional() }) },
      responses: { 200: json(z.object({ items: z.array(FollowUpRow) }), "Follow-ups") },
    }),
    async (c) => c.json({ items: await Relocation.followUps(c.req.valid("query")) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/relocation-desk/manifest/{id}",
      tags,
      summary: "The trip's manifest for the terminal screen: people by name, ages, needs, seats, checklist",
      request: { params: Id },
      responses: { 200: json(Manifest, "The manifest") },
    }),
    async (c) =>
      c.json((await Relocation.tripManifest({ tripID: c.req.valid("param").id, format: "json" })) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocation-trips/{id}/check-in",
      tags,
      summary: "Check households in at the terminal (each ready, with a confirmed seat; tickets issued if needed)",
      request: { params: Id, ...body(TripDayRequest) },
      responses: { 200: json(BulkResponse, "Per-household results") },
    }),
    async (c) => c.json(await Relocation.checkInMany({ ...c.req.valid("json"), tripID: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocation-trips/{id}/departures",
      tags,
      summary: "Confirm households on board (each ready and ticketed)",
      request: { params: Id, ...body(TripDayRequest) },
      responses: { 200: json(BulkResponse, "Per-household results") },
    }),
    async (c) => c.json(await Relocation.departMany({ ...c.req.valid("json"), tripID: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocation-trips/{id}/no-shows",
      tags,
      summary: "Households that did not come: their seats go back to the trip",
      request: { params: Id, ...body(TripDayRequest) },
      responses: { 200: json(BulkResponse, "Per-household results") },
    }),
    async (c) => c.json(await Relocation.noShowMany({ ...c.req.valid("json"), tripID: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocations/{id}/ticket-delivered",
      tags,
      summary: "The printed tickets were handed to the household",
      request: { params: Id, ...body(z.object({ version: z.number().int().min(1) })) },
      responses: { 200: json(RelocationInfo, "Saved") },
    }),
    async (c) =>
      c.json(
        await Relocation.ticketDelivered({ ...c.req.valid("json"), relocationID: c.req.valid("param").id }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/relocations/{id}/tickets",
      tags,
      summary:
        "The household's tickets as a PDF (one page per seat, QR code of the ticket number; audited; in each passenger's sharing log with its purpose)",
      request: {
        params: Id,
        query: z.object({ lang: z.enum(["en", "es", "fr", "ar"]).default("es"), ...ExportPurposeFields }),
      },
      responses: {
        200: { description: "The PDF", content: { "application/pdf": { schema: z.string() } } },
        303: { description: "The PDF, at a short-lived link (AWS deployments)" },
      },
    }),
    async (c) => {
      const out = await Relocation.tickets({ relocationID: c.req.valid("param").id, ...c.req.valid("query") });
      if (out.link) return c.redirect(out.link, 303) as never;
      return c.body(new Uint8Array(out.body), 200, {
        "content-type": "application/pdf",
        "content-disposition": `inline; filename="${out.fileName}"`,
        "cache-control": "no-store",
      }) as never;
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/relocations/{id}/follow-ups",
      tags,
      summary: "Record a follow-up's outcome (reached, needs, referred)",
      request: { params: Id, ...body(FollowUpRecord) },
      responses: { 200: json(RelocationInfo, "Saved") },
    }),
    async (c) =>
      c.json(await Relocation.followUp({ ...c.req.valid("json"), relocationID: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/reports/relocations/export",
      tags,
      summary: "People relocated per destination and month of departure as CSV or XLSX (relocation.report; audited)",
      request: {
        query: z.object({
          from: IsoDate.optional(),
          to: IsoDate.optional(),
          format: z.enum(["csv", "xlsx"]).default("csv"),
          suppressBelow: z.coerce.number().int().min(0).max(100).optional(),
        }),
      },
      responses: {
        200: {
          description: "The file",
          content: {
            "text/csv": { schema: z.string() },
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string() },
          },
        },
        303: { description: "The file, at a short-lived link (AWS deployments)" },
      },
    }),
    async (c) => {
      const out = await Relocation.exportReport(c.req.valid("query"));
      c.header("x-suppressed-cells", String(out.suppressed));
      if (out.link) return c.redirect(out.link, 303) as never;
      return c.body(new Uint8Array(out.body), 200, {
        "content-type": out.contentType,
        "content-disposition": `attachment; filename="${out.fileName}"`,
        "x-suppressed-cells": String(out.suppressed),
        "cache-control": "no-store",
      }) as never;
    },
  );
