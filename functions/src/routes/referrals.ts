import { createRoute, z } from "@hono/zod-openapi";
import { Referral } from "@waypoint/core/referral/index";
import {
  ReferralChanges,
  ReferralCreate,
  ReferralInfo,
  ReferralListQuery,
  ReferralResponse,
} from "@waypoint/schema/referrals";
import { problems, recordRoutes } from "./records.ts";

const Params = z.object({ referralID: z.string() });
const json = (schema: z.ZodTypeAny) => ({ content: { "application/json": { schema } } });
const action = (path: string, summary: string) =>
  createRoute({
    method: "post",
    path: `/{referralID}/${path}`,
    tags: ["referral"],
    summary,
    request: { params: Params, body: { required: true, ...json(ReferralResponse) } },
    responses: { 200: { description: "The updated referral", ...json(ReferralInfo) }, ...problems },
  });

export const referralRoutes = recordRoutes({
  tag: "referral",
  id: "referralID",
  item: ReferralInfo,
  create: ReferralCreate,
  changes: ReferralChanges,
  query: ReferralListQuery,
  list: (q) => Referral.list(q as never),
  get: (id) => Referral.get(id),
  createOne: (v) => Referral.create(v as never),
  createMany: (rows) => Referral.createMany(rows),
  bulkPatch: (rows) => Referral.bulkPatch(rows),
})
  .openapi(action("accept", "Accept a referral addressed to this operation"), async (c) =>
    c.json(
      (await Referral.respond({
        ...(c.req.valid("json") as z.infer<typeof ReferralResponse>),
        referralID: c.req.valid("param").referralID,
        outcome: "accept",
      })) as never,
      200,
    ),
  )
  .openapi(action("decline", "Decline a referral (note = reason, required)"), async (c) =>
    c.json(
      (await Referral.respond({
        ...(c.req.valid("json") as z.infer<typeof ReferralResponse>),
        referralID: c.req.valid("param").referralID,
        outcome: "decline",
      })) as never,
      200,
    ),
  )
  .openapi(
    action("complete", "Complete an accepted referral (note = service delivered, required)"),
    async (c) =>
      c.json(
        (await Referral.respond({
          ...(c.req.valid("json") as z.infer<typeof ReferralResponse>),
          referralID: c.req.valid("param").referralID,
          outcome: "complete",
        })) as never,
        200,
      ),
  )
  .openapi(action("withdraw", "The sender withdraws an open referral"), async (c) =>
    c.json(
      (await Referral.withdraw({
        ...(c.req.valid("json") as z.infer<typeof ReferralResponse>),
        referralID: c.req.valid("param").referralID,
      })) as never,
      200,
    ),
  );
