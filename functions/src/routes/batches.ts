import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import { Actor } from "@waypoint/core/actor";
import { Batch } from "@waypoint/core/batch/index";
import { Export } from "@waypoint/core/export/index";
import { Reconciliation } from "@waypoint/core/reconciliation/index";
import {
  BatchAction,
  BatchCreate,
  BatchInfo,
  BatchListQuery,
  ExportInfo,
  ExportRequest,
  ReconciliationFromUpload,
  ReconciliationReport,
  ReconciliationUpload,
  ReconciliationUploadLink,
  ReconciliationUploadLinkRequest,
} from "@waypoint/schema/payments";
import { Page } from "@waypoint/schema/common";
import { retryFailed } from "@waypoint/core/batch/retry";
import { idempotent } from "../middleware/idempotency.ts";
import { router } from "../openapi.ts";
import { conflict, IdParam, json, problems } from "./registry.shared.ts";

const tags = ["Payment batches"];
const security = [{ bearer: [] }];
const Id = IdParam("batch", "bat");
const ExportId = IdParam("export", "exp");
const actions = ["submit", "approve", "cancel", "close", "resume"] as const;

const action = (name: (typeof actions)[number], summary: string) =>
  createRoute({
    method: "post",
    path: `/payment-batches/{id}/${name}`,
    tags,
    security,
    summary,
    request: { params: Id, body: { ...json(BatchAction), required: false } },
    responses: { 200: json(BatchInfo, "The batch after the action"), ...problems, ...conflict },
  });

const run = { submit: Batch.submit, approve: Batch.approve, cancel: Batch.cancel, close: Batch.close };

/** Payment batches: create, four-eyes approval, export to the FSP, reconciliation; every step audited in core. */
const base = router();
base.use(
  "/payment-batches",
  idempotent(() => Actor.assert("batch.create")),
);
export const batchRoutes = base
  .openapi(
    createRoute({
      method: "get",
      path: "/payment-batches",
      tags,
      security,
      summary: "List payment batches",
      request: { query: BatchListQuery },
      responses: { 200: json(Page(BatchInfo), "A page of batches"), ...problems },
    }),
    async (c) => c.json((await Batch.list(c.req.valid("query"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payment-batches",
      tags,
      security,
      summary:
        "Create a batch for one FSP profile and currency from payment IDs or a filter of approved payments",
      request: { body: { ...json(BatchCreate), required: true } },
      responses: {
        201: json(BatchInfo, "Created (payments taken by another open batch are skipped)"),
        ...problems,
      },
    }),
    async (c) => c.json((await Batch.create(c.req.valid("json"))) as never, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/payment-batches/{id}",
      tags,
      security,
      summary: "One batch",
      request: { params: Id },
      responses: { 200: json(BatchInfo, "The batch"), ...problems },
    }),
    async (c) => c.json((await Batch.get(c.req.valid("param").id)) as never, 200),
  )
  .openapi(action("submit", "Submit: freezes count and total, sets the approvals needed"), async (c) =>
    c.json((await run.submit(c.req.valid("param").id, body(c))) as never, 200),
  )
  .openapi(action("approve", "Approve (distinct approvers; never the creator or submitter)"), async (c) =>
    c.json((await run.approve(c.req.valid("param").id, body(c))) as never, 200),
  )
  .openapi(action("cancel", "Cancel before export; releases the payments"), async (c) =>
    c.json((await run.cancel(c.req.valid("param").id, body(c))) as never, 200),
  )
  .openapi(action("close", "Close a reconciled batch"), async (c) =>
    c.json((await run.close(c.req.valid("param").id, body(c))) as never, 200),
  )
  .openapi(action("resume", "Resume an interrupted assembly (idempotent)"), async (c) =>
    c.json((await Batch.resume(c.req.valid("param").id)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payment-batches/{id}/retry-failed",
      tags,
      security,
      summary:
        "Pay the failed payments of an exported batch again, in a new batch (next attempt, new end-to-end references; resumable)",
      request: {
        params: Id,
        body: { ...json(z.object({ name: z.string().max(140).optional() })), required: false },
      },
      responses: { 201: json(BatchInfo, "The new batch, to submit and approve"), ...problems },
    }),
    async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { name?: string };
      return c.json((await retryFailed(c.req.valid("param").id, body?.name)) as never, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payment-batches/{id}/export",
      tags,
      security,
      summary:
        "Export to the FSP: csv, xlsx, pain.001.001.09, pain.001.001.03, mobile-money-csv; answers with a download link",
      request: { params: Id, body: { ...json(ExportRequest), required: true } },
      responses: { 201: json(ExportInfo, "The export (checksummed; download at downloadUrl)"), ...problems },
    }),
    async (c) => c.json((await Export.run(c.req.valid("param").id, c.req.valid("json"))) as never, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/payment-batches/{id}/exports",
      tags,
      security,
      summary: "The exports of a batch",
      request: { params: Id },
      responses: { 200: json(z.object({ items: z.array(ExportInfo) }), "Exports"), ...problems },
    }),
    async (c) => c.json({ items: await Export.listForBatch(c.req.valid("param").id) } as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payment-batches/{id}/reconciliation",
      tags,
      security,
      summary:
        "Upload an FSP status file (CSV or pain.002) as text; row-by-row report; replays change nothing",
      request: { params: Id, body: { ...json(ReconciliationUpload), required: true } },
      responses: { 200: json(ReconciliationReport, "Row-by-row report with control totals"), ...problems },
    }),
    async (c) =>
      c.json((await Reconciliation.importFile(c.req.valid("param").id, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payment-batches/{id}/reconciliation/uploads",
      tags,
      security,
      summary:
        "A link to send an FSP status file to (any size up to 20 MB: straight to storage, never through the API's body limit), and the ticket to reconcile it with",
      request: { params: Id, body: { ...json(ReconciliationUploadLinkRequest), required: true } },
      responses: { 200: json(ReconciliationUploadLink, "Upload link and ticket"), ...problems },
    }),
    async (c) =>
      c.json((await Reconciliation.uploadLink(c.req.valid("param").id, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/payment-batches/{id}/reconciliation/uploads/complete",
      tags,
      security,
      summary:
        "Reconcile the status file sent to its upload link (checksum checked when given); row-by-row report; replays change nothing",
      request: { params: Id, body: { ...json(ReconciliationFromUpload), required: true } },
      responses: { 200: json(ReconciliationReport, "Row-by-row report with control totals"), ...problems },
    }),
    async (c) =>
      c.json((await Reconciliation.importUpload(c.req.valid("param").id, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/exports/{id}/download",
      tags,
      security,
      summary:
        "Download an export file (finance roles; audited); `x-checksum-sha256` carries its SHA-256. On AWS the answer is a 303 to a link valid for 60 s (files can exceed a Lambda response)",
      request: { params: ExportId },
      responses: {
        200: { description: "The file", content: { "application/octet-stream": { schema: z.string() } } },
        303: { description: "The file, at a short-lived link (AWS deployments)" },
        ...problems,
      },
    }),
    async (c) => {
      const f = await Export.download(c.req.valid("param").id);
      if (f.link !== undefined) {
        c.header("x-checksum-sha256", f.sha256);
        c.header("cache-control", "no-store");
        return c.redirect(f.link, 303) as never;
      }
      return c.body(Readable.toWeb(f.stream) as ReadableStream, 200, {
        "content-type": f.contentType,
        "content-disposition": `attachment; filename="${f.fileName}"`,
        "x-checksum-sha256": f.sha256,
      }) as never;
    },
  );

/** Action bodies are optional: an empty body means no version check and no note. */
function body(c: { req: { valid: (t: "json") => unknown } }): z.input<typeof BatchAction> {
  return (c.req.valid("json") as z.input<typeof BatchAction> | undefined) ?? {};
}
