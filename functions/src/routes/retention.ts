import { createRoute, z } from "@hono/zod-openapi";
import { Retention } from "@waypoint/core/retention/index";
import { RetentionKind, RetentionPolicy, RetentionPolicyChange, RetentionRun } from "@waypoint/schema/retention";
import { router } from "../openapi.ts";
import { json, problems } from "./registry.shared.ts";

const tags = ["Data protection"];
const security = [{ bearer: [] }];
/** A "run now" works this long inside the request; what is left is resumed by the scheduled job. */
const RUN_NOW_MS = 20_000;

/** Retention policies of the operation and the runs of the retention job (admins: `retention.manage`). */
export const retentionRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/retention-policies",
      tags,
      security,
      summary: "The operation's retention policies by kind of record (defaults filled in)",
      responses: { 200: json(z.object({ items: z.array(RetentionPolicy) }), "Policies"), ...problems },
    }),
    async (c) => c.json({ items: await Retention.policies() }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/retention-policies/runs",
      tags,
      security,
      summary: "The latest runs of the retention job, newest first: counts per kind of record, never personal data",
      responses: { 200: json(z.object({ items: z.array(RetentionRun) }), "Runs"), ...problems },
    }),
    async (c) => c.json({ items: await Retention.runs() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/retention-policies/runs",
      tags,
      security,
      summary:
        "Run the retention job now in the operation (or resume its unfinished run); what is not done within the request is resumed by the scheduled job",
      responses: { 200: json(RetentionRun, "The run as stored"), ...problems },
    }),
    async (c) => c.json(await Retention.runNow({ deadline: Date.now() + RUN_NOW_MS }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/retention-policies/runs/{id}",
      tags,
      security,
      summary: "One run of the retention job",
      request: { params: z.object({ id: z.string().regex(/^rtr_[0-9A-HJKMNP-TV-Z]{26}$/) }) },
      responses: { 200: json(RetentionRun, "The run"), ...problems },
    }),
    async (c) => c.json(await Retention.getRun(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/retention-policies/{kind}",
      tags,
      security,
      summary: "Change one retention policy (how long, on or off); conditional on the version read; audited",
      request: {
        params: z.object({ kind: RetentionKind }),
        body: { ...json(RetentionPolicyChange), required: true },
      },
      responses: { 200: json(RetentionPolicy, "The policy as stored"), ...problems },
    }),
    async (c) => c.json(await Retention.setPolicy(c.req.valid("param").kind, c.req.valid("json")), 200),
  );
