import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { CaseDocumentMaxBytes } from "@waypoint/schema/cases";
import { ReconciliationUploadMaxBytes } from "@waypoint/schema/payments";
import { InvalidError } from "@waypoint/core/common/errors";
import { ObjectStore } from "@waypoint/core/export/store";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

/**
 * The local equivalent of a presigned bucket link (folder store only): `PUT /api/files/{token}` with the file as
 * the body. The signed token is the authorisation, as a presigned URL's signature is, so the staff guard lets
 * this one route through (api.ts); on AWS the links point at the bucket and this route answers 404.
 */
export const fileRoutes = router();
/** The largest file any link takes (a payment status file); each link's own limit is in its token. */
const LARGEST = Math.max(CaseDocumentMaxBytes, ReconciliationUploadMaxBytes);
fileRoutes.put(
  "/:token",
  bodyLimit({
    maxSize: LARGEST + 64 * 1024,
    onError: () => {
      throw InvalidError.field("content", "invalid.tooLarge", `Files up to ${Math.floor(LARGEST / 1e6)} MB`);
    },
  }),
);
fileRoutes.openapi(
  createRoute({
    method: "put",
    path: "/{token}",
    tags: ["files"],
    summary: "Send a file to a local upload link (the link's token authorises it; no bearer token)",
    request: { params: z.object({ token: z.string() }) },
    responses: { 204: { description: "Stored" }, ...problems },
  }),
  async (c) => {
    const body = c.req.raw.body
      ? Readable.fromWeb(c.req.raw.body as import("node:stream/web").ReadableStream)
      : Readable.from([]);
    await ObjectStore.acceptUpload(c.req.valid("param").token, body);
    return c.body(null, 204) as never;
  },
);
