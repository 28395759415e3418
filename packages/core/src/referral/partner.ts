import {
  PartnerReferralCreate,
  PartnerReferralListQuery,
  ReferralResponse,
  type ReferralInfo,
} from "@waypoint/schema/referrals";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { Refs } from "../common/refs.ts";
import { Organisation } from "../organisation/index.ts";
import { Job } from "../job/index.ts";
import { MATCH_JOB } from "./match.ts";
import { ReferralEntity } from "./referral.entity.ts";
import { assertReferralConsent, insertReferral, loadReferral, moveReferral, OUTCOME } from "./store.ts";
import { Sharing } from "../privacy/sharing.ts";

/**
 * The partner side of referrals (the public `/v1` API builds on these). A partner sees only referrals it sent or
 * that are addressed to it, never internal IDs, and only the person fields its data-sharing agreement allows.
 */
export namespace ReferralPartner {
  export interface View {
    referralID: string;
    referralNumber: string;
    box: "received" | "sent";
    officeID: string;
    serviceCategory: ReferralInfo["serviceCategory"];
    urgency: ReferralInfo["urgency"];
    reason: string;
    consent: ReferralInfo["consent"];
    deadline?: string;
    person?: Record<string, unknown>;
    status: ReferralInfo["status"];
    declineReason?: string;
    serviceNote?: string;
    externalReference?: string;
    version: number;
    timeCreated: string;
    timeUpdated: string;
  }
  type Stored = ReferralInfo & { externalReference?: string; deleted?: boolean };

  /** The agreement's fields, read (and briefly cached) by the organisation module, which also forgets a change. */
  const sharedFields = (organisationID: string) => Organisation.sharedFields(organisationID);

  /** What the partner may see of one referral: a received referral's person is cut to the agreement's fields. */
  export async function view(r: Stored, organisationID: string): Promise<View> {
    const box = r.toOrganisationID === organisationID ? "received" : "sent";
    let person = r.person as Record<string, unknown> | undefined;
    if (person && box === "received") {
      const allowed = await sharedFields(organisationID);
      const own = person.fields as Record<string, unknown> | undefined;
      person = Object.fromEntries(Object.entries(person).filter(([k]) => k !== "fields" && allowed.includes(k)));
      // configured values the agreement names as `fields.<key>`
      const shared = own ? Object.entries(own).filter(([k]) => allowed.includes(`fields.${k}`)) : [];
      if (shared.length) person.fields = Object.fromEntries(shared);
    }
    return {
      referralID: r.referralID,
      referralNumber: r.referralNumber,
      box,
      officeID: r.officeID,
      serviceCategory: r.serviceCategory,
      urgency: r.urgency,
      reason: r.reason,
      consent: r.consent,
      deadline: r.deadline,
      person,
      status: r.status,
      declineReason: r.declineReason,
      serviceNote: r.serviceNote,
      externalReference: r.externalReference,
      version: r.version,
      timeCreated: r.timeCreated,
      timeUpdated: r.timeUpdated,
    };
  }

  /** A referral the partner may see: addressed to it (with consent on record) or sent by it. */
  const isOwn = (r: Stored | undefined, partner: Actor.Partner): r is Stored =>
    Boolean(r) &&
    !r!.deleted &&
    r!.operationID === partner.operationID &&
    ((r!.toOrganisationID === partner.organisationID && r!.consent.given) ||
      r!.fromOrganisationID === partner.organisationID);

  async function loadOwn(referralID: string, partner: Actor.Partner): Promise<Stored> {
    const r = (await loadReferral(referralID)) as Stored | undefined;
    if (!isOwn(r, partner)) throw new NotFoundError("referral", referralID);
    return r;
  }

  /** What a partner's 409 shows: what its GET shows now, or nothing once the referral is no longer its to see. */
  const conflictViewFor = (partner: Actor.Partner) => (s: Stored) =>
    isOwn(s, partner) ? view(s, partner.organisationID) : undefined;

  /** A partner refers someone to the operation; the person's consent to share with us is required. */
  export const createFromPartner = fn(PartnerReferralCreate, async (input): Promise<View> => {
    const partner = Actor.assertPartnerScope("referrals:write");
    await Refs.office(input.officeID);
    if (!input.consent.given)
      throw new RuleError("referral.consent_required", "A referral needs the person's recorded consent");
    const now = nowIso();
    const referralID = Identifier.create("referral");
    // Linking the person to a registered individual (duplicate detection: several index queries) runs after
    // the referral is stored, as a job committed with it, so the partner does not wait for it (see match.ts).
    const match =
      input.person?.givenName && input.person.familyName
        ? [Job.txItem({ kind: MATCH_JOB, ref: referralID, operationID: partner.operationID })]
        : [];
    const stored = await insertReferral(
      {
        ...input,
        referralID,
        operationID: partner.operationID,
        direction: "incoming",
        fromOrganisationID: partner.organisationID,
        status: "pending",
        restricted: false,
        createdBy: Actor.id(partner),
        version: 1,
        timeCreated: now,
        timeUpdated: now,
      } as Stored,
      match,
    );
    return view(stored, partner.organisationID);
  });

  export const listForPartner = fn(PartnerReferralListQuery, async (q) => {
    const partner = Actor.assertPartnerScope("referrals:read");
    const org = partner.organisationID;
    const scope = `partner-referral:${org}:${q.box}:${q.status ?? ""}`;
    const cursor = Cursor.verify(q.cursor, scope);
    let res;
    if (q.box === "received") {
      const base = ReferralEntity.query.byPartner(
        q.status ? { toOrganisationID: org, status: q.status } : { toOrganisationID: org },
      );
      const ranged = q.status && q.updatedSince ? base.gte({ timeUpdated: q.updatedSince }) : base;
      res = await ranged
        .where((a, { eq, gte }) =>
          [
            eq(a.operationID, partner.operationID),
            !q.status && q.updatedSince && gte(a.timeUpdated, q.updatedSince),
          ]
            .filter(Boolean)
            .join(" AND "),
        )
        .go({ limit: q.limit, cursor, order: "desc" });
    } else {
      const base = ReferralEntity.query.bySender({ fromOrganisationID: org });
      const ranged = q.updatedSince ? base.gte({ timeUpdated: q.updatedSince }) : base;
      res = await ranged
        .where((a, { eq }) =>
          [eq(a.operationID, partner.operationID), q.status && eq(a.status, q.status)]
            .filter(Boolean)
            .join(" AND "),
        )
        .go({ limit: q.limit, cursor, order: "desc" });
    }
    // Consent is the gate: a referral addressed to the partner without consent on record is not shared.
    const items = (res.data as Stored[]).filter((r) => !r.deleted && (q.box === "sent" || r.consent.given));
    if (q.box !== "sent")
      await Sharing.logReads(items.map((r) => ({ individualID: r.individualID, ref: r.referralID })));
    return {
      items: await Promise.all(items.map((r) => view(r, org))),
      nextCursor: Cursor.sign(res.cursor, scope),
    };
  });

  export async function getForPartner(referralID: string): Promise<View> {
    const partner = Actor.assertPartnerScope("referrals:read");
    const r = await loadOwn(referralID, partner);
    if (r.toOrganisationID === partner.organisationID)
      await Sharing.logReads([{ individualID: r.individualID, ref: r.referralID }]);
    return view(r, partner.organisationID);
  }

  /** The receiving partner accepts, declines (with a reason) or completes (with a service note). */
  export const respondAsPartner = fn(
    ReferralResponse.extend({ referralID: z.string(), outcome: z.enum(["accept", "decline", "complete"]) }),
    async ({ referralID, outcome, version, note }): Promise<View> => {
      const partner = Actor.assertPartnerScope("referrals:respond");
      const r = await loadOwn(referralID, partner);
      if (r.toOrganisationID !== partner.organisationID)
        throw new RuleError(
          "referral.not_recipient",
          "Only the organisation a referral is addressed to may answer it",
        );
      const moved = await moveReferral(r, OUTCOME[outcome], version, note, conflictViewFor(partner));
      return view(moved, partner.organisationID);
    },
  );

  /** The partner that sent a referral may withdraw it while it is open. */
  export const withdrawAsPartner = fn(
    ReferralResponse.extend({ referralID: z.string() }),
    async ({ referralID, version, note }) => {
      const partner = Actor.assertPartnerScope("referrals:write");
      const r = await loadOwn(referralID, partner);
      if (r.fromOrganisationID !== partner.organisationID)
        throw new RuleError(
          "referral.not_sender",
          "Only the organisation that sent a referral may withdraw it",
        );
      const moved = await moveReferral(r, "withdrawn", version, note, conflictViewFor(partner));
      return view(moved, partner.organisationID);
    },
  );

  export const assertConsent = assertReferralConsent;
}
