import { createRoute, z } from "@hono/zod-openapi";
import { Actor } from "@waypoint/core/actor";
import { CashRequest } from "@waypoint/core/payment/request";
import {
  CashRequestCreate,
  CashRequestDecision,
  CashRequestPayee,
  CashRequestView,
  PaymentInfo,
} from "@waypoint/schema/payments";
import { idempotent } from "../middleware/idempotency.ts";
import { router } from "../openapi.ts";
import { json, problems } from "./registry.shared.ts";

const tags = ["Payments"];
const security = [{ bearer: [] }];
const CaseParams = z.object({ caseID: z.string() });

/** Cash for protection asked for on a case (mounted under /cases). */
const onCase = router();
// a replay is authorised like the request itself
onCase.use("/:caseID/cash-requests", idempotent(() => Actor.assert("payment.request")));
export const cashRequestRoutes = onCase
  .openapi(
    createRoute({
      method: "get",
      path: "/{caseID}/cash-requests",
      tags,
      security,
      summary: "The cash-for-protection requests of a case, newest first, with their decisions",
      request: { params: CaseParams },
      responses: { 200: json(z.object({ items: z.array(CashRequestView) }), "Requests"), ...problems },
    }),
    async (c) => c.json({ items: await CashRequest.onCase(c.req.valid("param").caseID) } as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{caseID}/cash-requests/payees",
      tags,
      security,
      summary: "Who a cash-for-protection request on this case may pay: the payees of its people, accounts masked",
      request: { params: CaseParams },
      responses: {
        200: json(z.object({ items: z.array(CashRequestPayee), currency: z.string() }), "Payees"),
        ...problems,
      },
    }),
    async (c) => c.json(await CashRequest.payees(c.req.valid("param").caseID), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{caseID}/cash-requests",
      tags,
      security,
      summary:
        "Request cash for protection for a person of the case: a draft payment a supervisor must approve (Idempotency-Key accepted)",
      request: { params: CaseParams, body: { ...json(CashRequestCreate), required: true } },
      responses: { 201: json(PaymentInfo, "The requested payment, waiting for a decision"), ...problems },
    }),
    async (c) =>
      c.json(
        (await CashRequest.request(c.req.valid("param").caseID, c.req.valid("json"))) as never,
        201,
      ),
  );

/** A supervisor's decision on a request (mounted under /, in the payments domain). */
export const cashDecisionRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/payments/{paymentID}/decision",
    tags,
    security,
    summary:
      "Approve or decline a cash-for-protection request (someone other than who asked; version-checked)",
    request: {
      params: z.object({ paymentID: z.string() }),
      body: { ...json(CashRequestDecision), required: true },
    },
    responses: { 200: json(PaymentInfo, "The decided payment"), ...problems },
  }),
  async (c) =>
    c.json(
      (await CashRequest.decide(c.req.valid("param").paymentID, c.req.valid("json"))) as never,
      200,
    ),
);
