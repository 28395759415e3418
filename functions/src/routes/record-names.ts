import { createRoute } from "@hono/zod-openapi";
import { RecordNames } from "@waypoint/core/names/index";
import { RecordNamesRequest, RecordNamesResponse } from "@waypoint/schema/names";
import { router } from "../openapi.ts";
import { json, problems } from "./registry.shared.ts";

/** Names of many records at once, for columns and lists that show references by name. */
export const recordNameRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["Names"],
    security: [{ bearer: [] }],
    summary:
      "Names of up to 1,000 records of one type (individual, household, case, payee) by ID; records you may not read are left out",
    request: { body: { ...json(RecordNamesRequest), required: true } },
    responses: { 200: json(RecordNamesResponse, "Names of the readable records"), ...problems },
  }),
  async (c) => c.json(await RecordNames.lookup(c.req.valid("json")), 200),
);
