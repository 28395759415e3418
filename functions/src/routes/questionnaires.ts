import { createRoute, z } from "@hono/zod-openapi";
import { Questionnaire } from "@waypoint/core/questionnaire/index";
import {
  QuestionnaireDefinition,
  QuestionnaireInfo,
  QuestionnairePublish,
  QuestionnaireSummary,
} from "@waypoint/schema/questionnaire";
import { router } from "../openapi.ts";
import { problems } from "./records.ts";

const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const Key = z.object({ questionnaireKey: z.string() });
const KeyVersion = Key.extend({
  questionnaireVersion: z.string().describe("A version number, or `current` for the newest published one"),
});
const versionOf = (s: string) => (s === "current" ? ("current" as const) : Number(s));
const number = (s: string) => (/^\d+$/.test(s) ? Number(s) : 0);
const Info = json(QuestionnaireInfo);

/** The operation's questionnaires: versions read by staff, written and published by admins. */
export const questionnaireRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/questionnaires",
      tags: ["questionnaire"],
      summary: "The operation's questionnaires with their current version, draft and version history",
      responses: { 200: { description: "The list", ...json(z.object({ items: z.array(QuestionnaireSummary) })) }, ...problems },
    }),
    async (c) => c.json({ items: await Questionnaire.list() } as never, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/questionnaires/{questionnaireKey}/versions/{questionnaireVersion}",
      tags: ["questionnaire"],
      summary: "One version of a questionnaire (`current`: the one new records are answered with)",
      request: { params: KeyVersion },
      responses: { 200: { description: "The version", ...Info }, ...problems },
    }),
    async (c) => {
      const p = c.req.valid("param") as z.infer<typeof KeyVersion>;
      return c.json((await Questionnaire.get(p.questionnaireKey, versionOf(p.questionnaireVersion))) as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/questionnaires/{questionnaireKey}/versions",
      tags: ["questionnaire"],
      summary: "A new draft version (sections, questions, skip conditions, scoring); published versions never change",
      request: {
        params: Key,
        // validated in core, so field paths name the failing question
        body: { required: true, ...json(z.record(z.string(), z.unknown()).describe("A QuestionnaireDefinition")) },
      },
      responses: { 201: { description: "The draft", ...Info }, ...problems },
    }),
    async (c) =>
      c.json(
        (await Questionnaire.createVersion({
          ...(c.req.valid("json") as object),
          questionnaireKey: (c.req.valid("param") as { questionnaireKey: string }).questionnaireKey,
        } as never)) as never,
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/questionnaires/{questionnaireKey}/versions/{questionnaireVersion}",
      tags: ["questionnaire"],
      summary: "Rewrite a draft version; a published version is refused (make a new version)",
      request: {
        params: KeyVersion,
        body: {
          required: true,
          ...json(z.object({ version: z.number().int(), definition: z.record(z.string(), z.unknown()) }).describe(
            `{version, definition: QuestionnaireDefinition} (${Object.keys(QuestionnaireDefinition.shape).join(", ")})`,
          )),
        },
      },
      responses: { 200: { description: "The draft", ...Info }, ...problems },
    }),
    async (c) => {
      const p = c.req.valid("param") as z.infer<typeof KeyVersion>;
      return c.json(
        (await Questionnaire.editDraft({
          ...(c.req.valid("json") as object),
          questionnaireKey: p.questionnaireKey,
          questionnaireVersion: number(p.questionnaireVersion),
        } as never)) as never,
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/questionnaires/{questionnaireKey}/versions/{questionnaireVersion}/publish",
      tags: ["questionnaire"],
      summary: "Publish a draft: new records are answered and scored with it; older records keep their version",
      request: { params: KeyVersion, body: { required: true, ...json(QuestionnairePublish) } },
      responses: { 200: { description: "The published version", ...Info }, ...problems },
    }),
    async (c) => {
      const p = c.req.valid("param") as z.infer<typeof KeyVersion>;
      return c.json(
        (await Questionnaire.publish({
          questionnaireKey: p.questionnaireKey,
          questionnaireVersion: number(p.questionnaireVersion),
          version: (c.req.valid("json") as { version: number }).version,
        } as never)) as never,
        200,
      );
    },
  );
