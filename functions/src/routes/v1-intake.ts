import { createRoute, z } from "@hono/zod-openapi";
import { Intake } from "@waypoint/core/intake/index";
import { InterestLanguage, InterestRequest } from "@waypoint/schema/partner";
import { router } from "../openapi.ts";
import { json, problems, security } from "./v1-common.ts";

const KoboSubmission = z.record(z.string(), z.unknown()).openapi({
  description:
    "A KoboToolbox REST Service submission: flat JSON, group questions keyed by path, repeats as arrays.",
  example: {
    "meta/instanceID": "uuid:7e7b954f-83e6-406f-9335-368ae153f1aa",
    fullName: "Amina Haddad",
    sex: "Female",
    "household/size": "4",
    _submission_time: "2026-11-20T14:33:11",
  },
});
const IntakeResult = z.object({
  id: z.string(),
  outcome: z.enum(["created", "queued", "updated", "duplicate"]),
});
const Receipt = z.object({ status: z.literal("received"), message: z.string() });

export const v1Intake = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/intake/kobo/{formId}",
      operationId: "receiveKoboSubmission",
      tags: ["intake"],
      summary: "Receive a KoboToolbox submission",
      description:
        "Point a KoboToolbox REST Service here (JSON). Authenticate with `Authorization: Bearer <key>`, HTTP basic (any user name, the key as password) or the custom header `X-Waypoint-Key`. Idempotent on `meta/instanceID`; an edit made in Kobo (same `_id`, `meta/deprecatedID` naming the earlier `meta/instanceID`) updates the intake it made and records what changed (a lead already registered or closed keeps its fields and is flagged for review); every answer is kept with the intake, mapped or not; a submission the form's mapping cannot place is queued for staff review, never refused. Scope `intake:kobo`.",
      security: [{ bearer: [] }, { basic: [] }, { waypointKey: [] }],
      request: {
        params: z.object({
          formId: z
            .string()
            .min(1)
            .max(100)
            .openapi({ param: { name: "formId", in: "path" }, example: "aPYSXuXP6o9YS8zU39TkyL" }),
        }),
        body: { required: true, ...json(KoboSubmission) },
      },
      responses: {
        201: {
          description: "Ingested (a lead was created, or the submission was queued for review)",
          ...json(IntakeResult),
        },
        200: {
          description:
            "Already received (same `meta/instanceID`), or an edit of a submission already received (same `_id`, `meta/deprecatedID` naming the earlier instance): its intake was updated",
          ...json(IntakeResult),
        },
        ...problems,
      },
    }),
    async (c) => {
      const r = await Intake.ingestKobo(c.req.param("formId") ?? "", await c.req.json());
      return c.json(r, r.outcome === "duplicate" || r.outcome === "updated" ? 200 : 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/public/interest/consent",
      operationId: "getInterestConsent",
      security: [],
      tags: ["public"],
      summary: "Consent text for the expression-of-interest form",
      request: { query: z.object({ lang: InterestLanguage.default("en") }) },
      responses: {
        200: {
          description: "The text to show, and its version to send back",
          ...json(z.object({ language: InterestLanguage, version: z.string(), text: z.string() })),
        },
        ...problems,
      },
    }),
    async (c) => c.json(Intake.consent(c.req.valid("query").lang), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/public/interest",
      operationId: "expressInterest",
      security: [],
      tags: ["public"],
      summary: "Express interest in a programme (no account)",
      description:
        "Creates a lead for identification in the operation whose code (any case) the request names. The answer is the same whether or not the person is known to the operation. A code held by more than one operation (a deployment upgraded from before codes were unique) is refused with a 409 and nothing is stored. Rate-limited per IP address.",
      request: {
        body: {
          required: true,
          ...json(InterestRequest, {
            operation: "MEX",
            programme: "local_integration",
            givenName: "Jean",
            familyName: "Pierre",
            phone: "+525512345678",
            language: "hat",
            consent: true,
            consentVersion: "2026-11",
          }),
        },
      },
      responses: { 202: { description: "Received", ...json(Receipt) }, ...problems },
    }),
    async (c) =>
      c.json(await Intake.submitInterest(c.req.valid("json") as z.input<typeof InterestRequest>), 202),
  );
