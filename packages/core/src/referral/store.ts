import { ReferralTransitions, type ReferralInfo, type ReferralStatus } from "@waypoint/schema/referrals";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nextNumber } from "../case/store.ts";
import { nowIso, transactWrite, type TxItem } from "../common/db.ts";
import { ConflictError, InvalidError, RuleError } from "../common/errors.ts";
import { conflictView, writeVersioned } from "../common/record.ts";
import { Unique } from "../common/unique.ts";
import { Webhook } from "../webhook/index.ts";
import { ReferralEntity } from "./referral.entity.ts";

type Info = ReferralInfo & { externalReference?: string; deleted?: boolean };

export const OUTCOME = {
  accept: "accepted",
  decline: "declined",
  complete: "completed",
} as const satisfies Record<string, ReferralStatus>;

export const referralTarget = (
  r: Pick<Info, "operationID" | "officeID" | "createdBy" | "restricted">,
): Actor.Target => ({
  operationID: r.operationID,
  officeID: r.officeID,
  createdBy: r.createdBy,
  restricted: r.restricted,
});

export async function loadReferral(referralID: string): Promise<Info | undefined> {
  return ((await ReferralEntity.get({ referralID }).go({ consistent: true })).data ?? undefined) as
    Info | undefined;
}

/**
 * Consent gate: nothing about a person leaves the organisation without their recorded consent. Applies to
 * every referral to a partner, at creation and whenever consent is edited.
 */
export function assertReferralConsent(r: { direction: Info["direction"]; consent: Info["consent"] }) {
  if (r.direction === "outgoing" && !r.consent.given)
    throw new RuleError(
      "referral.consent_required",
      "A referral to a partner needs the person's recorded consent",
    );
}

/** Writes a new referral with its readable number, constraint item and audit event in one transaction. */
export async function insertReferral(
  item: Omit<Info, "referralNumber">,
  extra: TxItem[] = [],
  /** What the create's audit event records beyond the record itself (configured values, with their labels). */
  changes?: Record<string, { before?: unknown; after?: unknown }>,
): Promise<Info> {
  const full = { ...item, referralNumber: await nextNumber("R", item.officeID) } as Info;
  const tx = await transactWrite([
    { put: ReferralEntity.create(full).params() },
    Unique.claim("number", `${full.operationID}#${full.referralNumber}`, full.referralID),
    Audit.txItem({
      recordID: full.referralID,
      recordType: "referral",
      action: "create",
      operationID: full.operationID,
      officeID: full.officeID,
      restricted: full.restricted,
      ...(changes && Object.keys(changes).length ? { changes } : {}),
    }),
    // partner webhook events commit with the change (durable outbox)
    ...(await Webhook.referralEvents(full, "referral.created")),
    ...extra,
  ]);
  if (!tx.ok)
    throw new ConflictError("The referral number is taken; try again", undefined, "conflict.number");
  return full;
}

/**
 * What the caller may see of a referral: a partner passes its own view (the sharing agreement's fields, no
 * internal IDs); without one, `conflictView`'s staff read applies (partners get nothing).
 */
export type ReferralView = (stored: Info) => unknown;

/** Saves a change conditional on version; `status` is always written so the partner inbox index stays sorted. */
export function saveReferral(
  cur: Info,
  version: number,
  action: string,
  set: Record<string, unknown>,
  remove: string[] = [],
  reason?: string,
  extra: TxItem[] = [],
  view?: ReferralView,
  /** Audit changes computed by the caller (configured values, with their labels), beside the diff of `set`. */
  more?: Record<string, { before?: unknown; after?: unknown }>,
) {
  const { fields: _configured, ...plain } = set;
  return writeVersioned(
    {
      entity: ReferralEntity,
      key: { referralID: cur.referralID },
      expectedVersion: version,
      set: { status: cur.status, ...set },
      remove,
      with: extra,
      audit: {
        recordID: cur.referralID,
        recordType: "referral",
        action,
        operationID: cur.operationID,
        officeID: cur.officeID,
        restricted: cur.restricted,
        reason,
        changes: { ...Audit.diff(cur, { ...cur, ...plain }, Object.keys(plain)), ...more },
      },
      view,
    },
    () => loadReferral(cur.referralID),
  );
}

/**
 * Moves a referral along pending → accepted | declined → completed (or withdrawn). A decline needs its
 * reason and a completion its service note, so the sender learns what happened.
 */
export async function moveReferral(
  cur: Info,
  to: ReferralStatus,
  version: number,
  note?: string,
  view?: ReferralView,
) {
  // A stale client sees what changed (409 with the current record, as it may see it) before being told the move
  // is not allowed.
  if (cur.version !== version)
    throw new ConflictError(
      `referral ${cur.referralID} was changed by someone else`,
      await conflictView("referral", cur, view),
    );
  if (!ReferralTransitions[cur.status].includes(to))
    throw new RuleError("referral.transition_not_allowed", `A ${cur.status} referral cannot become ${to}`);
  const set: Record<string, unknown> = { status: to, respondedBy: Actor.id(), timeResponded: nowIso() };
  if (to === "declined") {
    if (!note) throw InvalidError.field("note", "invalid.required", "Say why the referral is declined");
    set.declineReason = note;
  }
  if (to === "completed") {
    if (!note) throw InvalidError.field("note", "invalid.required", "Describe the service delivered");
    set.serviceNote = note;
  }
  const events = await Webhook.referralEvents({ ...cur, ...set, timeUpdated: nowIso() }, `referral.${to}`);
  const res = await saveReferral(cur, version, `status.${to}`, set, [], note, events, view);
  return { ...cur, ...set, ...res } as Info;
}
