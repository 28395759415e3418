import { createRoute, z } from "@hono/zod-openapi";
import { Feedback } from "@waypoint/core/feedback/index";
import { PublicFeedbackRequest } from "@waypoint/schema/feedback";
import { router } from "../openapi.ts";
import { json, problems } from "./v1-common.ts";

const Receipt = z.object({ status: z.literal("received"), message: z.string() });

/** The public feedback form: no account, rate-limited per address like the interest form. */
export const v1Feedback = router().openapi(
  createRoute({
    method: "post",
    path: "/public/feedback",
    operationId: "sendFeedback",
    security: [],
    tags: ["public"],
    summary: "Send feedback or a complaint (no account)",
    description:
      "Received by the operation's complaint handlers; complaints of sexual exploitation and abuse, fraud or staff misconduct go to its focal points only. The operation is named by its code (any case). The answer is the same whatever happens and repeats nothing that was sent, except that a code held by more than one operation (a deployment upgraded from before codes were unique) is refused with a 409 and nothing is stored. Rate-limited per IP address.",
    request: {
      body: {
        required: true,
        ...json(PublicFeedbackRequest, {
          operation: "MEX",
          category: "service_quality",
          message: "The queue at the office was very long and nobody explained why.",
        }),
      },
    },
    responses: { 202: { description: "Received", ...json(Receipt) }, ...problems },
  }),
  async (c) =>
    c.json(await Feedback.submitPublic(c.req.valid("json") as z.input<typeof PublicFeedbackRequest>), 202),
);
