import { createRoute, z } from "@hono/zod-openapi";
import { generatePayments } from "@waypoint/core/payment/generate";
import { pastePayments } from "@waypoint/core/payment/paste";
import { Payment } from "@waypoint/core/payment/index";
import { BulkResponse } from "@waypoint/schema/bulk";
import {
  GenerateRequest,
  PastePaymentsRequest,
  PastePaymentsResponse,
  PaymentInfo,
  PaymentListQuery,
} from "@waypoint/schema/payments";
import { Page } from "@waypoint/schema/common";
import { Actor } from "@waypoint/core/actor";
import { idempotent } from "../middleware/idempotency.ts";
import { router } from "../openapi.ts";
import {
  BulkCreateEnvelope,
  BulkPatchEnvelope,
  conflict,
  IdParam,
  json,
  problems,
} from "./registry.shared.ts";

const tags = ["Payments"];
const security = [{ bearer: [] }];
const Id = IdParam("payment", "pay");

/**
 * Payments: list for the grid, bulk create, bulk edit (like the registry), entitlement generation, retry.
 * Creating POSTs accept `Idempotency-Key`, so a retried request never creates the payments twice.
 */
const base = router();
// a replay is authorised like the request itself: without payment rights, 403 before any stored answer
const creatorsOnly = idempotent(() => Actor.assert("payment.create"));
base.use("/payments", creatorsOnly);
base.use("/payments/generate", creatorsOnly);
base.use("/payments/paste", creatorsOnly);
export const paymentRoutes = base
  .openapi(
    createRoute({
      method: "get",
      path: "/payments",
      tags,
      security,
      summary: "List payments (status, currency, batchID, payeeID, purpose; signed cursors)",
      request: { query: PaymentListQuery },
      responses: { 200: json(Page(PaymentInfo), "A page of payments"), ...problems },
    }),
    async (c) => c.json((await Payment.list(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payments",
      tags,
      security,
      summary:
        "Create up to 1,000 payments {rows: [{ref, values}]}; amounts in integer minor units; per-row results",
      request: { body: { ...json(BulkCreateEnvelope("payment")), required: true } },
      responses: { 200: json(BulkResponse, "Per-row results: created | invalid | forbidden"), ...problems },
    }),
    async (c) => c.json((await Payment.createMany(c.req.valid("json").rows)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/payments",
      tags,
      security,
      summary:
        "Bulk edit draft/approved payments {id, version, changes}; each row answers saved | conflict | invalid | forbidden | not_found",
      request: { body: { ...json(BulkPatchEnvelope("payment")), required: true } },
      responses: { 200: json(BulkResponse, "Per-row results"), ...problems },
    }),
    async (c) => c.json((await Payment.bulkPatch(c.req.valid("json").rows)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payments/generate",
      tags,
      security,
      summary:
        "Generate payments from an entitlement rule (units × unit amount, cap per payee and period, once per source and period)",
      request: { body: { ...json(GenerateRequest), required: true } },
      responses: { 200: json(BulkResponse, "Per-row results: created | duplicate | invalid"), ...problems },
    }),
    async (c) => c.json((await generatePayments(c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payments/paste",
      tags,
      security,
      summary:
        "Payments pasted from a spreadsheet: payee by name or registration number, purpose in words, amount in major units; dryRun (default) resolves and checks, storing nothing",
      request: { body: { ...json(PastePaymentsRequest), required: true } },
      responses: { 200: json(PastePaymentsResponse, "Every row: ready | created | invalid"), ...problems },
    }),
    async (c) => c.json(await pastePayments(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/payments/{id}",
      tags,
      security,
      summary: "One payment",
      request: { params: Id },
      responses: { 200: json(PaymentInfo, "The payment"), ...problems },
    }),
    async (c) => c.json((await Payment.get(c.req.valid("param").id)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payments/{id}/retry",
      tags,
      security,
      summary: "Put a failed payment back to approved with the next attempt (new end-to-end id)",
      request: {
        params: Id,
        body: { ...json(z.object({ version: z.number().int().min(1) })), required: true },
      },
      responses: { 200: json(PaymentInfo, "Retried"), ...problems, ...conflict },
    }),
    async (c) =>
      c.json((await Payment.retry(c.req.valid("param").id, c.req.valid("json").version)) as never, 200),
  );
