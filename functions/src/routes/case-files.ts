import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { CaseDocument } from "@waypoint/core/document/index";
import { InvalidError } from "@waypoint/core/common/errors";
import { Note } from "@waypoint/core/note/index";
import {
  CaseDocumentInfo,
  CaseDocumentKinds,
  CaseDocumentMaxBytes,
  CaseDocumentUpload,
  CaseDocumentUploadComplete,
  CaseDocumentUploadLink,
  CaseDocumentUploadLinkRequest,
  NoteCreate,
  NoteInfo,
  NotePatch,
} from "@waypoint/schema/cases";
import { router } from "../openapi.ts";
import { fileResponse } from "./file-response.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const CaseParams = z.object({ caseID: z.string() });
const NoteParams = CaseParams.extend({ noteID: z.string() });
const DocParams = CaseParams.extend({ documentID: z.string() });
const list = (item: z.ZodTypeAny) => z.object({ items: z.array(item), nextCursor: z.null() });
const tags = ["case"];
const UploadForm = z.object({
  file: z
    .custom<File>((v) => v instanceof File, "must be a file")
    .openapi({ type: "string", format: "binary" }),
  kind: z.enum(CaseDocumentKinds),
  title: z.string(),
  individualID: z.string().optional(),
});
// base64 is 4/3 of the content; the JSON envelope and multipart headers need a little more
const uploadLimit = bodyLimit({
  maxSize: Math.ceil((CaseDocumentMaxBytes * 4) / 3) + 64 * 1024,
  onError: () => {
    throw InvalidError.field(
      "content",
      "invalid.tooLarge",
      `Files up to ${CaseDocumentMaxBytes / 1048576} MB`,
    );
  },
});

/** The case file: notes (the case journal) and documents (uploaded, downloaded through a permission check). */
export const caseFileRoutes = router();
caseFileRoutes.post("/:caseID/documents", uploadLimit);
caseFileRoutes
  .openapi(
    createRoute({
      method: "get",
      path: "/{caseID}/notes",
      tags,
      summary: "The notes of a case, oldest first",
      request: { params: CaseParams },
      responses: { 200: { description: "Notes", ...json(list(NoteInfo)) }, ...problems },
    }),
    async (c) => c.json((await Note.listForCase(c.req.valid("param").caseID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{caseID}/notes",
      tags,
      summary: "Add a note to a case",
      request: { params: CaseParams, body: { required: true, ...json(NoteCreate) } },
      responses: { 201: { description: "The note", ...json(NoteInfo) }, ...problems },
    }),
    async (c) =>
      c.json(
        (await Note.create({
          ...(c.req.valid("json") as z.infer<typeof NoteCreate>),
          caseID: c.req.valid("param").caseID,
        })) as never,
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{caseID}/notes/{noteID}",
      tags,
      summary: `Correct a note: its author within ${Note.EditWindowHours} h, or a supervisor`,
      request: { params: NoteParams, body: { required: true, ...json(NotePatch) } },
      responses: { 200: { description: "The note", ...json(NoteInfo) }, ...problems },
    }),
    async (c) =>
      c.json(
        (await Note.patch({
          ...c.req.valid("param"),
          ...(c.req.valid("json") as z.infer<typeof NotePatch>),
        })) as never,
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{caseID}/documents",
      tags,
      summary: "The documents of a case (metadata)",
      request: { params: CaseParams },
      responses: { 200: { description: "Documents", ...json(list(CaseDocumentInfo)) }, ...problems },
    }),
    async (c) => c.json((await CaseDocument.listForCase(c.req.valid("param").caseID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{caseID}/documents",
      tags,
      summary: `Upload a document (multipart 'file', or JSON with contentBase64), up to ${CaseDocumentMaxBytes / 1048576} MB`,
      request: {
        params: CaseParams,
        body: {
          required: false,
          content: {
            "multipart/form-data": { schema: UploadForm },
            "application/json": { schema: CaseDocumentUpload },
          },
        },
      },
      responses: { 201: { description: "The document's metadata", ...json(CaseDocumentInfo) }, ...problems },
    }),
    async (c) => {
      const { caseID } = c.req.valid("param");
      const form = c.req.valid("form") as Partial<z.infer<typeof UploadForm>>;
      if (form.file) {
        const { file, ...meta } = form as z.infer<typeof UploadForm>;
        const content = new Uint8Array(await file.arrayBuffer());
        const upload = {
          ...meta,
          caseID,
          content,
          fileName: file.name,
          contentType: file.type || "application/octet-stream",
        };
        return c.json((await CaseDocument.upload(upload)) as never, 201);
      }
      const { contentBase64, ...meta } = c.req.valid("json") as z.infer<typeof CaseDocumentUpload>;
      const content = CaseDocument.decodeBase64(contentBase64 ?? "");
      return c.json((await CaseDocument.upload({ ...meta, caseID, content })) as never, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{caseID}/documents/uploads",
      tags,
      summary: `A link to send a document to (any size up to ${CaseDocumentMaxBytes / 1048576} MB: straight to storage, never through the API's body limit), and the ticket to complete it with`,
      request: { params: CaseParams, body: { required: true, ...json(CaseDocumentUploadLinkRequest) } },
      responses: {
        200: { description: "Upload link and ticket", ...json(CaseDocumentUploadLink) },
        ...problems,
      },
    }),
    async (c) =>
      c.json(
        await CaseDocument.uploadLink({
          ...(c.req.valid("json") as z.infer<typeof CaseDocumentUploadLinkRequest>),
          caseID: c.req.valid("param").caseID,
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{caseID}/documents/uploads/complete",
      tags,
      summary:
        "Record a document whose file was sent to its upload link (size and checksum read from storage)",
      request: { params: CaseParams, body: { required: true, ...json(CaseDocumentUploadComplete) } },
      responses: { 201: { description: "The document's metadata", ...json(CaseDocumentInfo) }, ...problems },
    }),
    async (c) =>
      c.json(
        (await CaseDocument.completeUpload({
          ...(c.req.valid("json") as z.infer<typeof CaseDocumentUploadComplete>),
          caseID: c.req.valid("param").caseID,
        })) as never,
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{caseID}/documents/{documentID}/content",
      tags,
      summary:
        "Download a document (permission-checked; every download is audited); on AWS a 303 to a 60-second bucket link",
      request: { params: DocParams },
      responses: {
        200: { description: "The file", content: { "application/octet-stream": { schema: z.string() } } },
        303: { description: "The file, at a short-lived link (AWS deployments)" },
        ...problems,
      },
    }),
    async (c) => {
      const { caseID, documentID } = c.req.valid("param");
      return fileResponse(c, await CaseDocument.download(documentID, caseID)) as never;
    },
  );
