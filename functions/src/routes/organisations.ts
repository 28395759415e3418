import { createRoute, z } from "@hono/zod-openapi";
import { Organisation } from "@waypoint/core/organisation/index";
import { OrganisationSummary } from "@waypoint/schema/partner";
import { router } from "../openapi.ts";
import { json } from "./v1-common.ts";
import { problems } from "./records.ts";

/** The partner directory staff pick from when they refer someone. */
export const organisationRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/organisations",
    tags: ["referral"],
    summary: "Partner organisations of the operation you can refer to (name, kind, services)",
    security: [{ bearer: [] }],
    responses: {
      200: {
        description: "The partners",
        ...json(z.object({ items: z.array(OrganisationSummary), nextCursor: z.null() })),
      },
      ...problems,
    },
  }),
  async (c) => c.json({ items: await Organisation.directory(), nextCursor: null }, 200),
);
