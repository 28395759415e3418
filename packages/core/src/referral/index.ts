import {
  PartnerReferralCreate,
  PartnerReferralListQuery,
  ReferralChanges,
  ReferralCreate,
  ReferralListQuery,
  ReferralResponse,
  ReferralTransitions,
  type ReferralInfo,
  type ReferralStatus,
} from "@waypoint/schema/referrals";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import type { CaseInfo } from "@waypoint/schema/cases";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { caseTarget, followCase, liveCases, loadCase, nextNumber } from "../case/store.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { bulk, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, listPartition, splitChanges, visible } from "../common/scope.ts";
import { Unique } from "../common/unique.ts";
import { Organisation } from "../organisation/index.ts";
import type { Action } from "../permissions.ts";
import { ReferralEntity } from "./referral.entity.ts";
import { ReferralPartner } from "./partner.ts";
import {
  assertReferralConsent,
  loadReferral,
  moveReferral,
  referralTarget,
  saveReferral,
  insertReferral,
  OUTCOME,
} from "./store.ts";
import { Consent } from "../privacy/consent.ts";
import { FieldValues } from "../fields/values.ts";
import { ConfiguredOn } from "../fields/apply.ts";

/** The configured values of an individual that a partner agreement may name (active, not sensitive, not role-restricted). */
async function shareableConfigured(operationID: string, values: Record<string, unknown> | undefined) {
  if (!values) return undefined;
  await FieldValues.ready(operationID);
  const ok = new Set(
    FieldValues.definitions("individual", operationID)
      .filter((d) => d.status === "active" && !d.sensitive && !d.visibleTo)
      .map((d) => d.key),
  );
  const kept = Object.entries(values).filter(([k]) => ok.has(k));
  return kept.length ? Object.fromEntries(kept) : undefined;
}

export namespace Referral {
  export type Info = ReferralInfo & { externalReference?: string };
  export type Outcome = "accept" | "decline" | "complete";
  export const target = referralTarget;
  export const load = loadReferral;
  export const assertConsent = assertReferralConsent;

  /** The two sides of a referral: who sent it, and who answers it. */
  export interface Sides {
    sender: Actor.Target;
    receiver: Actor.Target;
  }

  /**
   * The sending office (and the author) edits and withdraws; an internal referral is answered by its receiving
   * office (`toOfficeID`, or the sending office itself when none is named); referrals to and from partners are
   * answered on the partner's behalf by the office that holds them. Restriction follows the case as it is now.
   */
  export function sides(r: Info, c: CaseInfo | undefined): Sides {
    const sender = followCase(referralTarget(r), c);
    if (r.direction !== "internal") return { sender, receiver: sender };
    const receiver = followCase(
      { operationID: r.operationID, officeID: r.toOfficeID ?? r.officeID, restricted: r.restricted },
      c,
    );
    return { sender, receiver };
  }

  /** The side through which the actor may do `action`: the sender's if it allows it, else the receiver's. */
  const either = (action: Action, s: Sides) => (Actor.can(action, s.sender) ? s.sender : s.receiver);

  export async function sidesOf(r: Info): Promise<Sides> {
    return sides(r, r.caseID ? await loadCase(r.caseID) : undefined);
  }

  /** The target audit and other modules check: the side that lets the current actor read it. */
  export async function targetOf(r: Info): Promise<Actor.Target> {
    return either("referral.read", await sidesOf(r));
  }

  async function read(referralID: string): Promise<{ cur: Info; s: Sides }> {
    const r = await loadReferral(referralID);
    const s = r ? await sidesOf(r) : undefined;
    const cur = await authorisedRead("referral", referralID, "referral.read", r, () =>
      either("referral.read", s!),
    );
    return { cur: { ...cur, restricted: Boolean(s!.sender.restricted) }, s: s! };
  }

  export async function get(referralID: string): Promise<Info> {
    return ConfiguredOn.view("referral", (await read(referralID)).cur);
  }

  /**
   * What a stale staff write's 409 shows: the referral as `get` shows it now (restriction of the live case, either
   * side's scope, the read audited), or nothing once the actor may no longer read it.
   */
  const asRead = (r: Info) =>
    get(r.referralID).catch((err: unknown) => {
      if (err instanceof NotFoundError || err instanceof ForbiddenError) return undefined;
      throw err;
    });

  export const create = fn(ReferralCreate, async (input): Promise<Info> => {
    const operationID = Actor.operationID();
    await Refs.office(input.officeID);
    if (input.toOfficeID) await Refs.office(input.toOfficeID, "toOfficeID");
    if (input.toOrganisationID) {
      const org = await Organisation.get(input.toOrganisationID).catch(() => undefined);
      if (!org || org.operationID !== operationID)
        throw InvalidError.field(
          "toOrganisationID",
          "invalid.organisation",
          "No such partner in this operation",
        );
    }
    let restricted = false;
    if (input.caseID) {
      const c = await loadCase(input.caseID);
      if (!c || c.operationID !== operationID || !Actor.can("case.read", caseTarget(c)))
        throw InvalidError.field("caseID", "invalid.case", "No such case");
      restricted = c.restricted;
    }
    let person = input.person;
    if (input.individualID) {
      const ind = (await Refs.individual(input.individualID)) as Record<string, unknown>;
      // A snapshot of what is shared at the time of sharing; the partner's agreement filters it on read.
      const fields = [
        "givenName",
        "familyName",
        "sex",
        "dateOfBirth",
        "estimatedAge",
        "nationality",
        "phone",
        "languages",
        "specificNeeds",
      ];
      const fromRecord: Record<string, unknown> = Object.fromEntries(
        fields.filter((f) => ind[f] !== undefined && ind[f] !== null).map((f) => [f, ind[f]]),
      );
      // configured values that may ever be shared (not sensitive, not restricted to some roles): the partner's
      // agreement names which of them it sees (`fields.<key>`)
      const configured = await shareableConfigured(operationID, ind.fields as Record<string, unknown> | undefined);
      if (configured) fromRecord.fields = configured;
      person = { ...fromRecord, ...input.person } as typeof person;
    }
    const now = nowIso();
    const { fields: configuredInput, ...given } = input;
    const item = {
      ...given,
      person,
      referralID: Identifier.create("referral"),
      operationID,
      direction: input.toOrganisationID ? ("outgoing" as const) : ("internal" as const),
      status: "pending" as const,
      restricted,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    // Creating is checked against the office alone: being the creator must not widen the scope.
    Actor.assert("referral.create", { operationID: item.operationID, officeID: item.officeID });
    const configured = await ConfiguredOn.create("referral", operationID, configuredInput);
    assertConsent(item);
    await Consent.assertSharing(item);
    return ConfiguredOn.view(
      "referral",
      await insertReferral(ConfiguredOn.put(item, configured.fields), [], configured.changes),
    );
  });

  export async function createMany(rows: { ref?: string; values: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const r = await create(row.values as z.input<typeof ReferralCreate>);
        return { id: r.referralID, ref: row.ref, status: "created", version: r.version, record: r };
      } catch (err) {
        prefixIssues(err, `rows.${i}.values.`);
        throw err;
      }
    });
  }

  /**
   * An office's list holds what it sent and the internal referrals it receives. The table has no index on the
   * receiving office, so an office's list reads the operation's referrals filtered on either office.
   */
  export const list = fn(ReferralListQuery, async (q) => {
    const part = listPartition("referral.read", q.officeID);
    const key = "officeID" in part ? part.officeID : "userID" in part ? part.userID : part.operationID;
    const scope = `referral:${part.kind}:${key}:both`;
    const base = ReferralEntity.query.byOperation({ operationID: Actor.operationID() });
    const query = q.updatedSince ? base.gte({ timeUpdated: q.updatedSince }) : base;
    // A case's or a person's records are few among the office's: read on until `limit` of them are found
    // (DynamoDB filters after reading a page, so one page of the office could hold none of them).
    const res = await query
      .where((a, { eq }) =>
        [
          part.kind === "office" &&
            `(${eq(a.officeID, part.officeID)} OR ${eq(a.toOfficeID, part.officeID)})`,
          q.status && eq(a.status, q.status),
          q.serviceCategory && eq(a.serviceCategory, q.serviceCategory),
          q.toOrganisationID && eq(a.toOrganisationID, q.toOrganisationID),
          q.caseID && eq(a.caseID, q.caseID),
          q.individualID && eq(a.individualID, q.individualID),
          part.kind === "own" && eq(a.createdBy, part.userID),
        ]
          .filter(Boolean)
          .join(" AND "),
      )
      .go({
        ...(q.caseID || q.individualID ? { count: q.limit } : { limit: q.limit }),
        cursor: Cursor.verify(q.cursor, scope),
        order: "desc",
      });
    const page = res.data as Info[];
    const caseOf = await liveCases(page.map((r) => r.caseID));
    const items = await visible(
      "referral",
      "referral.read",
      page,
      (r) => r.referralID,
      (r) => either("referral.read", sides(r, caseOf(r.caseID))),
    );
    return {
      items: await ConfiguredOn.viewAll(
        "referral",
        items.map((r) => ({ ...r, restricted: Boolean(caseOf(r.caseID)?.restricted ?? r.restricted) })),
      ),
      nextCursor: Cursor.sign(res.cursor, scope),
    };
  });

  export const PatchInput = z.object({
    referralID: z.string(),
    version: z.number().int().min(1),
    changes: ReferralChanges,
  });

  export const patch = fn(PatchInput, async ({ referralID, version, changes: input }): Promise<Info> => {
    const { cur, s } = await read(referralID);
    Actor.assert("referral.update", s.sender);
    if (cur.status !== "pending")
      throw new RuleError("referral.not_editable", "Only a pending referral can be edited");
    const { fields: configuredInput, ...changes } = input;
    const configured = await ConfiguredOn.patch("referral", cur, configuredInput);
    const next = ConfiguredOn.put({ ...cur, ...changes } as Info, configured.fields);
    if (changes.consent) assertConsent(next);
    if (changes.caseID) {
      const c = await loadCase(changes.caseID);
      if (!c || c.operationID !== cur.operationID || !Actor.can("case.read", caseTarget(c)))
        throw InvalidError.field("changes.caseID", "invalid.case", "No such case");
      next.restricted = c.restricted;
    }
    const { set, remove } = splitChanges(changes);
    set.restricted = next.restricted;
    const res = await saveReferral(
      cur,
      version,
      "update",
      { ...set, ...configured.set },
      [...remove, ...configured.remove],
      undefined,
      [],
      asRead,
      configured.changes,
    );
    for (const k of remove) delete (next as Record<string, unknown>)[k];
    return ConfiguredOn.view("referral", { ...next, ...res });
  });

  export async function bulkPatch(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row, i): Promise<BulkRowResult> => {
      try {
        const r = await patch({
          referralID: row.id,
          version: row.version,
          changes: row.changes as ReferralChanges,
        });
        return { id: row.id, status: "saved", version: r.version, record: r };
      } catch (err) {
        prefixIssues(err, `rows.${i}.`);
        throw err;
      }
    });
  }

  /**
   * Staff record the receiving side's answer (internal and incoming referrals, or a partner's answer by phone).
   * An internal referral is answered by its receiving office, never by the person who sent it.
   */
  export const respond = fn(
    ReferralResponse.extend({ referralID: z.string(), outcome: z.enum(["accept", "decline", "complete"]) }),
    async ({ referralID, outcome, version, note }) => {
      const { cur, s } = await read(referralID);
      Actor.assert("referral.update", s.receiver);
      if (cur.direction === "internal" && cur.createdBy === Actor.id())
        throw new RuleError(
          "referral.own_answer",
          "A referral is answered by the receiving side, not its sender",
        );
      return ConfiguredOn.view("referral", await moveReferral(cur, OUTCOME[outcome], version, note, asRead));
    },
  );

  /** Only the sending side may withdraw: staff for internal and outgoing referrals, the partner for its own. */
  export const withdraw = fn(
    ReferralResponse.extend({ referralID: z.string() }),
    async ({ referralID, version, note }) => {
      const { cur, s } = await read(referralID);
      Actor.assert("referral.update", s.sender);
      if (cur.direction === "incoming")
        throw new RuleError(
          "referral.not_sender",
          "Only the organisation that sent a referral may withdraw it",
        );
      return ConfiguredOn.view("referral", await moveReferral(cur, "withdrawn", version, note, asRead));
    },
  );

  export function prefixIssues(err: unknown, prefix: string) {
    const issues = (err as { issues?: { path: string }[] }).issues;
    if (Array.isArray(issues)) for (const i of issues) i.path = `${prefix}${i.path}`;
  }

  /* Partner side (public API): see partner.ts. */
  export const createFromPartner = ReferralPartner.createFromPartner;
  export const listForPartner = ReferralPartner.listForPartner;
  export const getForPartner = ReferralPartner.getForPartner;
  export const respondAsPartner = ReferralPartner.respondAsPartner;
  export const withdrawAsPartner = ReferralPartner.withdrawAsPartner;
  export type PartnerView = ReferralPartner.View;
}
