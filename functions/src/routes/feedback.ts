import { createRoute, z } from "@hono/zod-openapi";
import { Feedback } from "@waypoint/core/feedback/index";
import { ProtectionMonitoring } from "@waypoint/core/incident/monitoring";
import {
  DataChangeAsk,
  DataChangeDecision,
  FeedbackClose,
  FeedbackCreate,
  FeedbackInfo,
  FeedbackListQuery,
  FeedbackPatch,
  FeedbackRespond,
  FeedbackSettingsInfo,
  FeedbackSettingsSave,
  MonitoringDashboard,
} from "@waypoint/schema/feedback";
import { router } from "../openapi.ts";
import { conflict, json, problems } from "./registry.shared.ts";

const tags = ["Feedback and complaints"];
const security = [{ bearer: [] }];
const Params = z.object({ feedbackID: z.string() });
const body = <S extends z.ZodTypeAny>(s: S) => ({ body: { ...json(s), required: true } });
const Receipt = z.object({
  number: z.string(),
  sensitive: z.boolean(),
  /** False when the complaint went to the focal points and the recorder is not one of them. */
  visible: z.boolean(),
  feedbackID: z.string().optional(),
  record: FeedbackInfo.optional(),
});

/**
 * Feedback and complaints (core/feedback) and protection monitoring counts (core/incident/monitoring). A sensitive
 * complaint is a 404 to anyone but the operation's focal points.
 */
export const feedbackRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/feedback",
      tags,
      security,
      summary: "Feedback and complaints the caller may see, newest change first (filter by status, category, overdue)",
      request: { query: FeedbackListQuery.extend({ limit: z.string().optional() }) },
      responses: {
        200: json(z.object({ items: z.array(FeedbackInfo), nextCursor: z.string().nullable() }), "A page"),
        ...problems,
      },
    }),
    async (c) => c.json((await Feedback.list(c.req.valid("query") as never)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/feedback",
      tags,
      security,
      summary: "Record feedback or a complaint received by any channel",
      request: body(FeedbackCreate),
      responses: { 201: json(Receipt, "Recorded (the record itself only when the recorder may see it)"), ...problems },
    }),
    async (c) => c.json((await Feedback.create(c.req.valid("json"))) as never, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/feedback/{feedbackID}",
      tags,
      security,
      summary: "One complaint (a sensitive one: focal points only, every read audited)",
      request: { params: Params },
      responses: { 200: json(FeedbackInfo, "The complaint"), ...problems },
    }),
    async (c) => c.json((await Feedback.get(c.req.valid("param").feedbackID)) as never, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/feedback/{feedbackID}",
      tags,
      security,
      summary: "Change category, office, person, contact, summary or assignment (version-checked)",
      request: { params: Params, ...body(FeedbackPatch) },
      responses: { 200: json(FeedbackInfo, "Saved"), ...conflict, ...problems },
    }),
    async (c) =>
      c.json((await Feedback.patch(c.req.valid("param").feedbackID, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/feedback/{feedbackID}/response",
      tags,
      security,
      summary: "Record the answer given to the person",
      request: { params: Params, ...body(FeedbackRespond) },
      responses: { 200: json(FeedbackInfo, "Saved"), ...conflict, ...problems },
    }),
    async (c) =>
      c.json((await Feedback.respond(c.req.valid("param").feedbackID, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/feedback/{feedbackID}/close",
      tags,
      security,
      summary: "Close with a reason",
      request: { params: Params, ...body(FeedbackClose) },
      responses: { 200: json(FeedbackInfo, "Closed"), ...conflict, ...problems },
    }),
    async (c) =>
      c.json((await Feedback.close(c.req.valid("param").feedbackID, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/feedback/{feedbackID}/change-requests",
      tags,
      security,
      summary: "Record a correction of the person's record asked for in the complaint (applied only on approval)",
      request: { params: Params, ...body(DataChangeAsk) },
      responses: { 200: json(FeedbackInfo, "Recorded"), ...conflict, ...problems },
    }),
    async (c) =>
      c.json((await Feedback.requestChange(c.req.valid("param").feedbackID, c.req.valid("json"))) as never, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/feedback/{feedbackID}/change-requests/{requestID}/decision",
      tags,
      security,
      summary:
        "A second person approves (applies it to the person's record at the version they saw) or rejects a correction",
      request: { params: Params.extend({ requestID: z.string() }), ...body(DataChangeDecision) },
      responses: { 200: json(FeedbackInfo, "Decided"), ...conflict, ...problems },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json((await Feedback.decideChange(p.feedbackID, p.requestID, c.req.valid("json"))) as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/feedback-settings",
      tags,
      security,
      summary: "The operation's focal points for sensitive complaints and its deadlines by category",
      responses: { 200: json(FeedbackSettingsInfo, "Settings"), ...problems },
    }),
    async (c) => c.json(await Feedback.settings(), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/feedback-settings/staff",
      tags,
      security,
      summary: "The operation's staff by name: who a complaint can be given to or named focal point",
      responses: {
        200: json(
          z.object({ items: z.array(z.object({ userID: z.string(), name: z.string(), role: z.string() })) }),
          "Staff",
        ),
        ...problems,
      },
    }),
    async (c) => c.json(await Feedback.staff(), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/feedback-settings",
      tags,
      security,
      summary: "Name the focal points and set deadlines by category (admins; version-checked)",
      request: body(FeedbackSettingsSave),
      responses: { 200: json(FeedbackSettingsInfo, "Saved"), ...conflict, ...problems },
    }),
    async (c) => c.json(await Feedback.saveSettings(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/protection-monitoring",
      tags: ["Reports"],
      security,
      summary:
        "Protection monitoring: incidents by kind, area, sex and age group, month and perpetrator type (counts only; the cluster export is /reports/protection-incidents)",
      request: {
        query: z.object({ officeID: z.string().optional(), from: z.string().optional(), to: z.string().optional() }),
      },
      responses: { 200: json(MonitoringDashboard, "Counts"), ...problems },
    }),
    async (c) => c.json(await ProtectionMonitoring.dashboard(c.req.valid("query") as never), 200),
  );
