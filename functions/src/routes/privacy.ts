import { createRoute } from "@hono/zod-openapi";
import { Privacy } from "@waypoint/core/privacy/index";
import { ErasureReport, ErasureRequest } from "@waypoint/schema/privacy";
import { IndividualInfo, IndividualListQuery } from "@waypoint/schema/registry";
import { Page } from "@waypoint/schema/common";
import { Individual } from "@waypoint/core/individual/index";
import { router } from "../openapi.ts";
import { IdParam, json, problems } from "./registry.shared.ts";

const tags = ["Data protection"];
const security = [{ bearer: [] }];
const Id = IdParam("individual", "ind");

/** Data protection on a person's record: erasure on request. */
export const privacyRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/individuals/search",
      tags,
      security,
      summary:
        "Search individuals by name in the request body (the same query as GET /individuals), so a name never travels in a URL; cursors are opaque",
      request: { body: { ...json(IndividualListQuery), required: true } },
      responses: { 200: json(Page(IndividualInfo), "A page of individuals"), ...problems },
    }),
    async (c) => c.json(await Individual.list(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/individuals/{id}/erase",
      tags,
      security,
      summary:
        "Erase a person on request (supervisor): their records go, records that stay lose their values; audited without personal data",
      request: { params: Id, body: { ...json(ErasureRequest), required: true } },
      responses: { 200: json(ErasureReport, "What the erasure removed"), ...problems },
    }),
    async (c) => c.json(await Privacy.erase(c.req.valid("param").id, c.req.valid("json").reason), 200),
  );
