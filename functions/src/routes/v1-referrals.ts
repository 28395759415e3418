import { createRoute, z } from "@hono/zod-openapi";
import { Actor } from "@waypoint/core/actor";
import { Operation } from "@waypoint/core/operation/index";
import { Referral } from "@waypoint/core/referral/index";
import { ConflictError, RuleError } from "@waypoint/core/common/errors";
import {
  PartnerAccept,
  PartnerComplete,
  PartnerDecline,
  PartnerReferral,
  PartnerReferralQuery,
  PartnerReferralRequest,
} from "@waypoint/schema/partner";
import { Page } from "@waypoint/schema/common";
import { router } from "../openapi.ts";
import { IdempotencyHeader, json, problems, security } from "./v1-common.ts";

type View = Referral.PartnerView;

/** The wire shape partners integrate against (camelCase, no internal IDs beyond the referral's own). */
export function toWire(v: View): z.infer<typeof PartnerReferral> {
  return {
    id: v.referralID,
    referralNumber: v.referralNumber,
    direction: v.box,
    status: v.status,
    serviceCategory: v.serviceCategory,
    urgency: v.urgency,
    narrative: v.reason,
    person: v.person,
    externalReference: v.externalReference,
    declineReason: v.declineReason,
    serviceNote: v.serviceNote,
    deadline: v.deadline,
    timeCreated: v.timeCreated,
    timeUpdated: v.timeUpdated,
    version: v.version,
  };
}

const offices = new Map<string, { officeID: string; at: number }>();
/** Referrals from partners land in the operation's first office until staff route them. */
async function intakeOffice(operationID: string): Promise<string> {
  const hit = offices.get(operationID);
  if (hit && Date.now() - hit.at < 60_000) return hit.officeID;
  const list = await Operation.offices(operationID);
  const first = [...list].sort((a, b) => a.timeCreated.localeCompare(b.timeCreated))[0];
  if (!first)
    throw new RuleError("operation.no_office", "The operation has no office to receive referrals yet");
  offices.set(operationID, { officeID: first.officeID, at: Date.now() });
  return first.officeID;
}

const example: z.input<typeof PartnerReferralRequest> = {
  person: {
    givenName: "Amina",
    familyName: "Haddad",
    sex: "female",
    estimatedAge: 34,
    nationality: "SYR",
    phone: "+525512345678",
    languages: ["ara"],
    specificNeeds: [],
  },
  consent: { dataSharing: true, date: "2026-11-20" },
  serviceCategory: "legal",
  urgency: "urgent",
  narrative: "Needs legal counselling on her asylum claim before the hearing.",
  externalReference: "NGO-2026-0042",
};

const Id = z.object({
  id: z
    .string()
    .max(40)
    .openapi({ param: { name: "id", in: "path" }, example: "ref_01JD0000000000000000000000" }),
});

const respond = (path: "accept" | "decline" | "complete", body: z.ZodTypeAny, summary: string) =>
  createRoute({
    method: "post",
    path: `/referrals/{id}/${path}`,
    operationId: `${path}Referral`,
    tags: ["referrals"],
    summary,
    description: "Only for referrals addressed to your organisation. Scope `referrals:respond`.",
    security,
    request: { params: Id, headers: IdempotencyHeader, body: { required: path !== "accept", ...json(body) } },
    responses: {
      200: { description: "The referral after the change", ...json(PartnerReferral) },
      ...problems,
    },
  });

const withVersion = <S extends z.ZodObject>(s: S) =>
  s.extend({ version: z.number().int().min(1).optional() });

async function answer(
  id: string,
  outcome: "accept" | "decline" | "complete",
  note: string | undefined,
  version?: number,
) {
  const v = version ?? (await Referral.load(id))?.version ?? 1;
  const answered = await Referral.respondAsPartner({ referralID: id, outcome, version: v, note }).catch(
    (err: unknown) => {
      // core gives the partner's view of the current referral; the 409 shows it as a GET would
      if (err instanceof ConflictError && err.current)
        throw new ConflictError(err.message, toWire(err.current as View), err.code);
      throw err;
    },
  );
  return toWire(answered);
}

export const v1Referrals = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/referrals",
      operationId: "createReferral",
      tags: ["referrals"],
      summary: "Refer a person to the operation",
      description:
        "Requires the person's consent to share their data (`consent.dataSharing: true`). Scope `referrals:write`. Safe to retry with `Idempotency-Key`.",
      security,
      request: {
        headers: IdempotencyHeader,
        body: { required: true, ...json(PartnerReferralRequest, example) },
      },
      responses: { 201: { description: "The referral, pending", ...json(PartnerReferral) }, ...problems },
    }),
    async (c) => {
      const b = c.req.valid("json") as z.output<typeof PartnerReferralRequest>;
      const partner = Actor.assertPartnerScope("referrals:write");
      const view = await Referral.createFromPartner({
        officeID: await intakeOffice(partner.operationID),
        serviceCategory: b.serviceCategory,
        urgency: b.urgency ?? "normal",
        reason: b.narrative,
        consent: { given: b.consent.dataSharing, date: b.consent.date, scope: "dataSharing" },
        person: b.person,
        externalReference: b.externalReference,
      });
      return c.json(toWire(view), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/referrals",
      operationId: "listReferrals",
      tags: ["referrals"],
      summary: "List your referrals",
      description:
        "Referrals your organisation sent (`box=sent`, the default) or that are addressed to it (`box=received`). Most recently changed first; pass `updatedSince` to sync changes. Scope `referrals:read`.",
      security,
      request: { query: PartnerReferralQuery },
      responses: { 200: { description: "A page of referrals", ...json(Page(PartnerReferral)) }, ...problems },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await Referral.listForPartner({ ...q, box: q.box ?? "sent" });
      return c.json({ items: page.items.map(toWire), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/referrals/{id}",
      operationId: "getReferral",
      tags: ["referrals"],
      summary: "One of your referrals",
      description:
        "404 for any referral your organisation did not send and did not receive. Scope `referrals:read`.",
      security,
      request: { params: Id },
      responses: { 200: { description: "The referral", ...json(PartnerReferral) }, ...problems },
    }),
    async (c) => c.json(toWire(await Referral.getForPartner(c.req.valid("param").id)), 200),
  )
  .openapi(respond("accept", withVersion(PartnerAccept), "Accept a referral addressed to you"), async (c) => {
    const b = (c.req.valid("json") ?? {}) as { note?: string; version?: number };
    return c.json(await answer(c.req.valid("param").id, "accept", b.note, b.version), 200);
  })
  .openapi(
    respond("decline", withVersion(PartnerDecline), "Decline a referral addressed to you (with a reason)"),
    async (c) => {
      const b = c.req.valid("json") as { reason: string; version?: number };
      return c.json(await answer(c.req.valid("param").id, "decline", b.reason, b.version), 200);
    },
  )
  .openapi(
    respond("complete", withVersion(PartnerComplete), "Complete a referral with a service note"),
    async (c) => {
      const b = c.req.valid("json") as { serviceNote: string; version?: number };
      return c.json(await answer(c.req.valid("param").id, "complete", b.serviceNote, b.version), 200);
    },
  );
