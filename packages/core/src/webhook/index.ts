import { randomBytes } from "node:crypto";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { config } from "../config.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, type TxItem } from "../common/db.ts";
import { InvalidError, NotFoundError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { WebhookSettings } from "@waypoint/schema/partner";
import { Identifier } from "../common/id.ts";
import { log } from "../common/log.ts";
import { mapLimit } from "../common/concurrency.ts";
import { writeVersioned } from "../common/record.ts";
import { Organisation } from "../organisation/index.ts";
import { Audit } from "../audit/index.ts";
import { ApiKeyEntity, OrganisationEntity } from "../organisation/organisation.entity.ts";
import { open, seal } from "../common/seal.ts";
import { postGuarded, urlBlockedReason } from "./address.ts";
import { signatureHeader, verifySignature } from "./sign.ts";
import { OutboxEntity } from "./webhook.entity.ts";

export { signatureHeader, verifySignature } from "./sign.ts";

type Org = Awaited<ReturnType<typeof Organisation.get>>;

/**
 * Partner webhooks: registration (the signing secret is shown once), events written to a durable outbox with
 * the change they report, a dispatcher that signs and delivers them with exponential back-off, a delivery log
 * and replay.
 */
/** Label of the key webhook signing secrets are sealed with (common/seal.ts). */
const SECRET_PURPOSE = "webhook-secret";

export namespace Webhook {
  /** For receivers (and tests): checks a `Waypoint-Signature` header against the body. */
  export const verify = verifySignature;
  export const MAX_ATTEMPTS = 8;
  export const TIMEOUT_MS = 10_000;

  /** Receivers on 127.0.0.1 are allowed only on the local runtime (and in tests); see address.ts. */
  const allowLoopback = () => config().mode === "local";

  export const Url = z
    .url()
    .max(2000)
    .refine((u) => /^https:\/\//i.test(u) || (config().mode === "local" && /^http:\/\//i.test(u)), {
      message: "must be an https:// URL",
    })
    .superRefine((u, ctx) => {
      const reason = /^https?:\/\//i.test(u) ? urlBlockedReason(u, allowLoopback()) : undefined;
      if (reason) ctx.addIssue({ code: "custom", message: `must point to a public host (${reason})` });
    });

  /** The organisation a call acts for: the partner's own, or the one an admin names. */
  function target(organisationID?: string): string {
    const actor = Actor.use();
    if (actor.type === "partner") return actor.organisationID;
    Actor.assert("organisation.manage");
    if (!organisationID) throw InvalidError.field("organisationID", "required", "is required");
    return organisationID;
  }

  async function load(organisationID: string): Promise<Org> {
    const org = await Organisation.get(organisationID);
    if (org.operationID !== Actor.operationID()) throw new NotFoundError("organisation", organisationID);
    return org;
  }

  /** Sets the URL and issues a new signing secret, returned only here. */
  /**
   * Seals a webhook signing secret sealed the old way (under the AuthSecret) again with the at-rest key
   * (common/seal.ts), at use or from privacy/reseal-secrets.ts: conditional on the stored value, so a secret
   * issued meanwhile is never overwritten. Whether it wrote.
   */
  export async function resealSecret(organisationID: string, stored: string, plaintext?: string): Promise<boolean> {
    try {
      const clear = plaintext ?? (await open(SECRET_PURPOSE, stored)).plaintext;
      await OrganisationEntity.patch({ organisationID })
        .set({ webhookSecret: await seal(SECRET_PURPOSE, clear) })
        .where(({ webhookSecret }, { eq }) => eq(webhookSecret, stored))
        .go({ response: "none" });
      orgCache.delete(organisationID);
      return true;
    } catch (err) {
      log.warn({ organisationID, err: (err as Error).name }, "webhook secret not sealed again");
      return false;
    }
  }

  export async function configure(input: { url: string }, organisationID?: string) {
    const url = Url.safeParse(input.url);
    if (!url.success)
      throw InvalidError.field("url", "invalid.url", url.error.issues[0]?.message ?? "invalid URL");
    const org = await load(target(organisationID));
    const secret = `whsec_${randomBytes(32).toString("base64url")}`;
    orgCache.delete(org.organisationID);
    // A partner's webhook lives as long as the key that registered it (revoking the key removes it); one set by
    // staff has no key.
    const actor = Actor.use();
    const keyID = actor.type === "partner" ? actor.keyID : undefined;
    await writeVersioned(
      {
        entity: OrganisationEntity,
        key: { organisationID: org.organisationID },
        expectedVersion: org.version,
        set: {
          webhookUrl: url.data,
          webhookSecret: await seal(SECRET_PURPOSE, secret),
          ...(keyID ? { webhookKeyID: keyID } : {}),
        },
        remove: !keyID && org.webhookKeyID ? ["webhookKeyID"] : undefined,
        audit: {
          recordID: org.organisationID,
          recordType: "organisation",
          action: "webhook.configure",
          operationID: org.operationID,
          changes: { webhookUrl: { before: org.webhookUrl, after: url.data } },
        },
      },
      () => Organisation.get(org.organisationID),
    );
    return { url: url.data, secret };
  }

  export async function get(organisationID?: string) {
    const org = await load(target(organisationID));
    return { url: org.webhookUrl ?? null };
  }

  /** Removes the webhook (the partner itself, or staff managing partners); events not yet delivered stop. */
  export async function remove(organisationID?: string) {
    const org = await load(target(organisationID));
    if (!org.webhookUrl) return;
    orgCache.delete(org.organisationID);
    await writeVersioned(
      {
        entity: OrganisationEntity,
        key: { organisationID: org.organisationID },
        expectedVersion: org.version,
        set: {},
        remove: ["webhookUrl", "webhookSecret", ...(org.webhookKeyID ? ["webhookKeyID"] : [])],
        audit: {
          recordID: org.organisationID,
          recordType: "organisation",
          action: "webhook.remove",
          operationID: org.operationID,
          changes: { webhookUrl: { before: org.webhookUrl, after: null } },
        },
      },
      () => Organisation.get(org.organisationID),
    );
  }

  /**
   * Staff pause or resume a partner's webhook and choose its events (every type when none are listed), at the
   * organisation's version they edited; audited. A paused webhook gets no new events and delivers none queued.
   */
  export async function settings(organisationID: string, body: unknown) {
    const parsed = WebhookSettings.safeParse(body);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const input = parsed.data;
    const org = await load(target(organisationID));
    if (!org.webhookUrl) throw InvalidError.field("url", "invalid.required", "Set the webhook's URL first");
    const events = input.events ? [...new Set(input.events)] : undefined;
    orgCache.delete(org.organisationID);
    await writeVersioned(
      {
        entity: OrganisationEntity,
        key: { organisationID: org.organisationID },
        expectedVersion: input.version,
        set: { webhookDisabled: !input.enabled, ...(events ? { webhookEvents: events } : {}) },
        remove: events ? undefined : ["webhookEvents"],
        audit: {
          recordID: org.organisationID,
          recordType: "organisation",
          action: "webhook.settings",
          operationID: org.operationID,
          changes: Audit.diff(
            { enabled: !org.webhookDisabled, events: org.webhookEvents ?? [] },
            { enabled: input.enabled, events: events ?? [] },
            ["enabled", "events"],
          ),
        },
      },
      () => Organisation.get(org.organisationID),
    );
    return { enabled: input.enabled, events: events ?? [] };
  }

  const orgCache = new Map<string, { org: Org | undefined; at: number }>();
  async function cachedOrg(organisationID: string): Promise<Org | undefined> {
    const hit = orgCache.get(organisationID);
    if (hit && Date.now() - hit.at < 30_000) return hit.org;
    const org = await Organisation.get(organisationID).catch(() => undefined);
    orgCache.set(organisationID, { org, at: Date.now() });
    return org;
  }

  /**
   * Events for a referral change, one per partner involved (sender, recipient) other than the one making the
   * change. The payload names the referral and its status only: the partner fetches what it may see.
   */
  export async function referralEvents(
    r: {
      referralID: string;
      referralNumber?: string;
      status: string;
      fromOrganisationID?: string;
      toOrganisationID?: string;
      timeUpdated?: string;
    },
    type: string,
  ): Promise<TxItem[]> {
    const actor = Actor.maybe();
    const self = actor?.type === "partner" ? actor.organisationID : undefined;
    const orgIDs = [...new Set([r.fromOrganisationID, r.toOrganisationID])].filter(
      (id): id is string => Boolean(id) && id !== self,
    );
    const items: TxItem[] = [];
    for (const id of orgIDs) {
      const org = await cachedOrg(id);
      if (org)
        items.push(
          ...eventItems(org, type, {
            referralID: r.referralID,
            referralNumber: r.referralNumber,
            status: r.status,
            box: r.toOrganisationID === id ? "received" : "sent",
            timeUpdated: r.timeUpdated,
          }),
        );
    }
    return items;
  }

  /**
   * The outbox item for an event, to be written in the same transaction as the change; none when the
   * organisation has no webhook (nothing would ever deliver it).
   */
  export function eventItems(
    org: Pick<Org, "organisationID" | "operationID" | "webhookUrl"> &
      Partial<Pick<Org, "webhookDisabled" | "webhookEvents">>,
    type: string,
    data: unknown,
  ): TxItem[] {
    if (!org.webhookUrl || org.webhookDisabled) return [];
    if (org.webhookEvents?.length && !org.webhookEvents.includes(type)) return [];
    const eventID = Identifier.create("outbox");
    const now = nowIso();
    const payload = JSON.stringify({ id: eventID, type, created: now, data });
    return [
      {
        put: OutboxEntity.create({
          eventID,
          organisationID: org.organisationID,
          operationID: org.operationID,
          type,
          payload,
          state: "pending",
          nextAttemptAt: Date.now(),
          attempts: 0,
          log: [],
          timeCreated: now,
          timeUpdated: now,
        }).params(),
      },
    ];
  }

  const LogQuery = z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().optional(),
  });

  /** The partner's delivery log, newest first. */
  export async function deliveries(input: z.input<typeof LogQuery>, organisationID?: string) {
    const q = LogQuery.parse(input);
    const orgID = target(organisationID);
    await load(orgID);
    const scope = `webhook:${orgID}`;
    const res = await OutboxEntity.query
      .byOrganisation({ organisationID: orgID })
      .go({ limit: q.limit, cursor: Cursor.verify(q.cursor, scope), order: "desc" });
    return { items: res.data.map(view), nextCursor: Cursor.sign(res.cursor, scope) };
  }

  function view(e: Awaited<ReturnType<typeof getEvent>>) {
    return {
      eventID: e.eventID,
      type: e.type,
      state: e.state,
      attempts: e.attempts,
      nextAttemptAt: e.state === "pending" ? new Date(e.nextAttemptAt).toISOString() : null,
      log: (e.log ?? []) as DeliveryAttempt[],
      timeCreated: e.timeCreated,
    };
  }

  async function getEvent(eventID: string) {
    const e = (await OutboxEntity.get({ eventID }).go({ consistent: true })).data;
    if (!e) throw new NotFoundError("event", eventID);
    return e;
  }

  /** Sends an event again (after the partner fixed their endpoint); it keeps its id so receivers can dedupe. */
  export async function replay(eventID: string, organisationID?: string) {
    const orgID = target(organisationID);
    await load(orgID);
    const e = await getEvent(eventID).catch(() => undefined);
    if (!e || e.organisationID !== orgID) throw new NotFoundError("event", eventID);
    await OutboxEntity.patch({ eventID })
      .set({ state: "pending", attempts: 0, nextAttemptAt: Date.now(), timeUpdated: nowIso() })
      .go({ response: "none" });
    return view({ ...e, state: "pending", attempts: 0, nextAttemptAt: Date.now() });
  }

  export interface DeliveryAttempt {
    time: string;
    status?: number;
    error?: string;
    ms: number;
  }

  export interface DispatchOptions {
    limit?: number;
    /** First retry delay; doubles each attempt (30 s, 1 min, 2 min … capped at 6 h). */
    backoffBaseMs?: number;
    maxAttempts?: number;
  }

  /** Delay before attempt n+1 after n failures, with ±10 % jitter so failed partners are not hit in lockstep. */
  export function backoff(failures: number, baseMs = 30_000): number {
    const d = Math.min(baseMs * 2 ** (failures - 1), 6 * 3600_000);
    return Math.round(d * (0.9 + Math.random() * 0.2));
  }

  /**
   * Delivers due events. Each event is leased with a conditional update first, so two dispatchers (two Lambda
   * invocations, or the local interval overlapping) never send the same attempt twice.
   */
  export async function dispatch(opts: DispatchOptions = {}) {
    const now = Date.now();
    const due = await OutboxEntity.query
      .byState({ state: "pending" })
      .lte({ nextAttemptAt: now })
      .go({ limit: opts.limit ?? 100 });
    const result = { delivered: 0, retrying: 0, failed: 0 };
    const orgs = new Map<string, Promise<Org | undefined>>();
    const keys = new Map<string, Promise<boolean>>();
    await mapLimit(due.data, 8, async (e) => {
      const leased = await OutboxEntity.patch({ eventID: e.eventID })
        .set({ nextAttemptAt: now + TIMEOUT_MS * 3 })
        .where((a, { eq }) => `${eq(a.state, "pending")} AND ${eq(a.nextAttemptAt, e.nextAttemptAt)}`)
        .go({ response: "none" })
        .then(() => true)
        .catch(() => false);
      if (!leased) return;
      if (!orgs.has(e.organisationID))
        orgs.set(
          e.organisationID,
          Organisation.get(e.organisationID).catch(() => undefined),
        );
      const org = await orgs.get(e.organisationID);
      const stopped = await webhookStopped(org, keys);
      const attempt = stopped
        ? { time: nowIso(), error: stopped, ms: 0 }
        : await send(org, e.eventID, e.type, e.payload);
      const attempts = e.attempts + 1;
      const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
      const failed = !ok && (stopped !== undefined || attempts >= (opts.maxAttempts ?? MAX_ATTEMPTS));
      const state = ok ? "delivered" : failed ? "failed" : "pending";
      await OutboxEntity.patch({ eventID: e.eventID })
        .set({
          state,
          attempts,
          nextAttemptAt: ok || failed ? Date.now() : Date.now() + backoff(attempts, opts.backoffBaseMs),
          log: [...((e.log ?? []) as DeliveryAttempt[]), attempt].slice(-20),
          timeUpdated: nowIso(),
        })
        .go({ response: "none" });
      result[ok ? "delivered" : failed ? "failed" : "retrying"]++;
      log.info(
        { eventID: e.eventID, organisationID: e.organisationID, status: attempt.status, state },
        "webhook attempt",
      );
    });
    return result;
  }

  /**
   * Why an organisation's events are no longer delivered: its webhook was removed, or the API key that registered
   * it was revoked (revocation removes the webhook too; this also holds for a key revoked by other means).
   */
  async function webhookStopped(
    org: Org | undefined,
    keys: Map<string, Promise<boolean>>,
  ): Promise<string | undefined> {
    if (!org?.webhookUrl || !org.webhookSecret) return "webhook removed";
    if (org.webhookDisabled) return "webhook paused";
    const keyID = org.webhookKeyID;
    if (!keyID) return undefined;
    if (!keys.has(keyID))
      keys.set(
        keyID,
        ApiKeyEntity.get({ keyID })
          .go({ consistent: true })
          .then((r) => !r.data || Boolean(r.data.revoked)),
      );
    return (await keys.get(keyID)) ? "API key revoked" : undefined;
  }

  async function send(
    org: Org | undefined,
    eventID: string,
    type: string,
    payload: string,
  ): Promise<DeliveryAttempt> {
    const time = nowIso();
    const start = performance.now();
    if (!org?.webhookUrl || !org.webhookSecret) return { time, error: "no webhook configured", ms: 0 };
    let secret: string;
    try {
      const opened = await open(SECRET_PURPOSE, org.webhookSecret);
      secret = opened.plaintext;
      if (opened.stale) await resealSecret(org.organisationID, org.webhookSecret, secret);
    } catch {
      // Sealed the old way under an AuthSecret rotated since (common/seal.ts): the partner must set its webhook again.
      return { time, error: "signing secret unreadable", ms: 0 };
    }
    try {
      const status = await postGuarded(
        org.webhookUrl,
        {
          "content-type": "application/json",
          "user-agent": "Waypoint-Webhooks/1",
          "waypoint-event-id": eventID,
          "waypoint-event-type": type,
          "waypoint-signature": signatureHeader(secret, payload),
        },
        payload,
        { timeoutMs: TIMEOUT_MS, allowLoopback: allowLoopback() },
      );
      return { time, status, ms: Math.round(performance.now() - start) };
    } catch (err) {
      return {
        time,
        error: (err as Error).name || "network error",
        ms: Math.round(performance.now() - start),
      };
    }
  }
}
