import { createRoute, z } from "@hono/zod-openapi";
import { ProgrammeFiles } from "@waypoint/core/hosting/files";
import {
  ProgrammeFileComplete,
  ProgrammeFileInfo,
  ProgrammeFileMaxBytes,
  ProgrammeFileUploadRequest,
} from "@waypoint/schema/hosting";
import { PresignedUpload } from "@waypoint/schema/common";
import type { router } from "../openapi.ts";
import { fileResponse } from "./file-response.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const UploadLink = z.object({
  fileID: z.string(),
  ticket: z.string(),
  upload: PresignedUpload,
});

/**
 * The files kept on a host or a return (contracts, signed code of conduct, scans of supplier quotes): a link to
 * send a file to, its completion, the list, and the download (audited; on AWS a 303 to a 60-second link). Added
 * to the record's own router, so the routes sit under `/api/hosts/{hostID}/files` and `/api/returns/{returnID}/files`.
 */
export function withFiles<R extends ReturnType<typeof router>>(
  r: R,
  ownerType: "host" | "return",
  idParam: string,
  tag: string,
): R {
  const Owner = z.object({ [idParam]: z.string() });
  const FileParams = z.object({ [idParam]: z.string(), fileID: z.string() });
  const id = (c: { req: { valid: (p: "param") => unknown } }) =>
    (c.req.valid("param") as Record<string, string>)[idParam]!;
  return r
    .openapi(
      createRoute({
        method: "post",
        path: `/{${idParam}}/files/uploads`,
        tags: [tag],
        summary: `A link to send a file to (up to ${ProgrammeFileMaxBytes / 1048576} MB, straight to storage) and the ticket to complete it with`,
        request: { params: Owner, body: { required: true, ...json(ProgrammeFileUploadRequest) } },
        responses: { 200: { description: "Upload link and ticket", ...json(UploadLink) }, ...problems },
      }),
      async (c) =>
        c.json(
          (await ProgrammeFiles.uploadLink({
            ...(c.req.valid("json") as z.infer<typeof ProgrammeFileUploadRequest>),
            ownerType,
            ownerID: id(c as never),
          })) as never,
          200,
        ),
    )
    .openapi(
      createRoute({
        method: "post",
        path: `/{${idParam}}/files`,
        tags: [tag],
        summary: "Record a file sent to its upload link (size and checksum read from storage)",
        request: { params: Owner, body: { required: true, ...json(ProgrammeFileComplete) } },
        responses: { 201: { description: "The file's metadata", ...json(ProgrammeFileInfo) }, ...problems },
      }),
      async (c) =>
        c.json(
          (await ProgrammeFiles.complete({
            ...(c.req.valid("json") as z.infer<typeof ProgrammeFileComplete>),
            ownerType,
            ownerID: id(c as never),
          })) as never,
          201,
        ),
    )
    .openapi(
      createRoute({
        method: "get",
        path: `/{${idParam}}/files`,
        tags: [tag],
        summary: "The files kept on the record",
        request: { params: Owner },
        responses: {
          200: {
            description: "Files",
            ...json(z.object({ items: z.array(ProgrammeFileInfo), nextCursor: z.null() })),
          },
          ...problems,
        },
      }),
      async (c) =>
        c.json(
          { items: (await ProgrammeFiles.list(ownerType, id(c as never))) as never, nextCursor: null },
          200,
        ),
    )
    .openapi(
      createRoute({
        method: "get",
        path: `/{${idParam}}/files/{fileID}/content`,
        tags: [tag],
        summary: "Download a file (permission-checked, audited); on AWS a 303 to a 60-second bucket link",
        request: { params: FileParams },
        responses: {
          200: { description: "The file", content: { "application/octet-stream": { schema: z.string() } } },
          303: { description: "The file, at a short-lived link (AWS deployments)" },
          ...problems,
        },
      }),
      async (c) => {
        const p = c.req.valid("param") as Record<string, string>;
        return fileResponse(c, await ProgrammeFiles.download(ownerType, p[idParam]!, p.fileID!)) as never;
      },
    ) as R;
}
