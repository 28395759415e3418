import { createRoute, z } from "@hono/zod-openapi";
import { FspProfile } from "@waypoint/core/fsp/index";
import { Payee } from "@waypoint/core/payee/index";
import { BulkResponse } from "@waypoint/schema/bulk";
import {
  FspProfileCreate,
  FspProfileUpdate,
  PayeeChanges,
  PayeeCreate,
  PayeeInfo,
} from "@waypoint/schema/payments";
import { Page } from "@waypoint/schema/common";
import { router } from "../openapi.ts";
import {
  BulkCreateEnvelope,
  BulkPatchEnvelope,
  conflict,
  IdParam,
  json,
  problems,
  unionHook,
} from "./registry.shared.ts";

const tags = ["Payments"];
const security = [{ bearer: [] }];
const Id = IdParam("payee", "pye");
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().optional(),
  kind: z.enum(["individual", "host", "supplier"]).optional(),
  q: z.string().trim().min(1).max(140).optional(),
});
const FspInfo = FspProfileCreate.extend({
  fspProfileID: z.string(),
  operationID: z.string(),
  version: z.number(),
}).passthrough();

/** Payees (people, hosts, suppliers with a payment channel) and FSP profiles. Account details are masked unless the caller holds account.viewFull. */
export const payeeRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/payees",
      tags,
      security,
      summary: "List payees (account details masked except for finance roles)",
      request: { query: ListQuery },
      responses: { 200: json(Page(PayeeInfo), "A page of payees"), ...problems },
    }),
    async (c) => c.json((await Payee.list(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payees",
      tags,
      security,
      summary: "Create one payee (201), or many with {rows} (per-row results)",
      request: { body: { ...json(z.union([BulkCreateEnvelope("payee"), PayeeCreate])), required: true } },
      responses: { 201: json(PayeeInfo, "Created"), 200: json(BulkResponse, "Per-row results"), ...problems },
    }),
    async (c) => {
      const body = c.req.valid("json");
      if ("rows" in body) return c.json((await Payee.bulkCreate(body.rows)) as never, 200);
      return c.json((await Payee.create(body)) as never, 201);
    },
    unionHook as never,
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/payees",
      tags,
      security,
      summary:
        "Bulk edit payees {id, version, changes} (the payees grid); each row answers saved | conflict | invalid | forbidden | not_found",
      request: { body: { ...json(BulkPatchEnvelope("payee")), required: true } },
      responses: { 200: json(BulkResponse, "Per-row results"), ...problems },
    }),
    async (c) => c.json((await Payee.bulkPatch(c.req.valid("json").rows)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/payees/{id}",
      tags,
      security,
      summary: "One payee",
      request: { params: Id },
      responses: { 200: json(PayeeInfo, "The payee"), ...problems },
    }),
    async (c) => c.json((await Payee.get(c.req.valid("param").id)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/payees/{id}",
      tags,
      security,
      summary: "Change a payee; a new name or account flags its payments in submitted batches",
      request: {
        params: Id,
        body: {
          ...json(z.object({ version: z.number().int().min(1), changes: PayeeChanges })),
          required: true,
        },
      },
      responses: { 200: json(PayeeInfo, "Saved"), ...problems, ...conflict },
    }),
    async (c) => {
      const { version, changes } = c.req.valid("json");
      return c.json((await Payee.update(c.req.valid("param").id, version, changes)) as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/fsp-profiles",
      tags,
      security,
      summary: "FSP profiles of the operation (export format, currency, columns, debtor)",
      responses: { 200: json(z.object({ items: z.array(FspInfo) }), "Profiles"), ...problems },
    }),
    async (c) => c.json({ items: await FspProfile.list() } as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/fsp-profiles",
      tags,
      security,
      summary: "Create an FSP profile",
      request: { body: { ...json(FspProfileCreate), required: true } },
      responses: { 201: json(FspInfo, "Created"), ...problems },
    }),
    async (c) => c.json((await FspProfile.create(c.req.valid("json"))) as never, 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/fsp-profiles/{id}",
      tags,
      security,
      summary: "Change an FSP profile at the version you read (audited; later exports use the new profile)",
      request: {
        params: z.object({ id: z.string() }),
        body: { ...json(FspProfileUpdate), required: true },
      },
      responses: { 200: json(FspInfo, "Saved"), ...problems, ...conflict },
    }),
    async (c) =>
      c.json((await FspProfile.update(c.req.valid("param").id, c.req.valid("json"))) as never, 200),
  );
