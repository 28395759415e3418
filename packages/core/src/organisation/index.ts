import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { PartnerScope } from "@waypoint/schema/common";
import type { OrganisationSummary } from "@waypoint/schema/partner";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite, type TxItem } from "../common/db.ts";
import { ConflictError, NotFoundError, UnauthorizedError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { ApiKeyEntity, OrganisationEntity } from "./organisation.entity.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest();

export namespace Organisation {
  export const CreateInput = z.object({
    operationID: z.string(),
    name: z.string().min(1).max(200),
    kind: z.enum(["ngo", "service_provider", "authority", "un_agency"]).default("ngo"),
    services: z.array(z.string()).default([]),
    sharedFields: z
      .array(z.string())
      .default(["givenName", "familyName", "sex", "dateOfBirth", "phone", "languages"]),
    organisationID: z.string().optional(),
  });

  export const create = fn(CreateInput, async (input) => {
    Actor.assert("organisation.manage");
    const now = nowIso();
    const item = {
      ...input,
      organisationID: input.organisationID ?? Identifier.create("organisation"),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await OrganisationEntity.create(item).go();
    return item;
  });

  export async function get(organisationID: string) {
    const res = await OrganisationEntity.get({ organisationID }).go();
    if (!res.data) throw new NotFoundError("organisation", organisationID);
    return res.data;
  }

  export async function list(operationID: string = Actor.operationID()) {
    return (await OrganisationEntity.query.byOperation({ operationID }).go({ pages: "all" })).data;
  }

  /**
   * The partners staff may refer to: name, kind and services only (keys, webhooks and data-sharing terms stay
   * with the administrators). Whoever may read referrals may see to whom they can go.
   */
  export async function directory(): Promise<OrganisationSummary[]> {
    Actor.assert("referral.read");
    const orgs = await list();
    return orgs
      .map((o) => ({
        organisationID: o.organisationID,
        name: o.name,
        kind: o.kind as OrganisationSummary["kind"],
        services: o.services ?? [],
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  export const CreateKeyInput = z.object({
    organisationID: z.string(),
    name: z.string().min(1).max(100),
    scopes: z.array(PartnerScope).min(1),
    rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  });

  /** Issues an API key `wpk_<keyID>_<secret>`. The full key is returned once; only a hash of the secret is kept. */
  export const createKey = fn(CreateKeyInput, async (input) => {
    Actor.assert("organisation.manage");
    const org = await get(input.organisationID);
    Actor.assert("organisation.manage", { operationID: org.operationID });
    const keyID = Identifier.create("apiKey").slice(4);
    const secret = randomBytes(32).toString("base64url");
    await ApiKeyEntity.create({
      keyID,
      organisationID: org.organisationID,
      operationID: org.operationID,
      name: input.name,
      secretHash: sha256(secret).toString("hex"),
      scopes: input.scopes,
      rateLimitPerMinute: input.rateLimitPerMinute,
      timeCreated: nowIso(),
    }).go();
    return { keyID, key: `wpk_${keyID}_${secret}`, scopes: input.scopes, organisationID: org.organisationID };
  });

  /**
   * Revokes an API key. A webhook the key registered is removed in the same transaction (a leaked key's receiver
   * stops getting events with it), and so is a webhook registered before keys were recorded when no other active
   * key of the organisation remains. Both are audited.
   */
  export async function revokeKey(keyID: string, organisationID?: string) {
    Actor.assert("organisation.manage");
    const key = (await ApiKeyEntity.get({ keyID }).go({ consistent: true })).data;
    if (!key || (organisationID !== undefined && key.organisationID !== organisationID))
      throw new NotFoundError("apiKey", keyID);
    Actor.assert("organisation.manage", { operationID: key.operationID });
    for (let attempt = 0; attempt < 3; attempt++) {
      const org = (
        await OrganisationEntity.get({ organisationID: key.organisationID }).go({ consistent: true })
      ).data;
      if (!org) throw new NotFoundError("organisation", key.organisationID);
      let dropWebhook = Boolean(org.webhookUrl) && org.webhookKeyID === keyID;
      if (org.webhookUrl && !org.webhookKeyID) {
        const others = (
          await ApiKeyEntity.query.byOrganisation({ organisationID: org.organisationID }).go({ pages: "all" })
        ).data.filter((k) => k.keyID !== keyID && !k.revoked);
        dropWebhook = others.length === 0;
      }
      const now = nowIso();
      const items: TxItem[] = [
        { update: ApiKeyEntity.patch({ keyID }).set({ revoked: true, timeRevoked: now }).params() },
        Audit.txItem({
          recordID: org.organisationID,
          recordType: "organisation",
          action: "apiKey.revoke",
          operationID: org.operationID,
          changes: { [`apiKey.${keyID}.revoked`]: { before: Boolean(key.revoked), after: true } },
        }),
      ];
      if (dropWebhook)
        items.push(
          {
            update: OrganisationEntity.patch({ organisationID: org.organisationID })
              .set({ timeUpdated: now })
              .add({ version: 1 })
              .remove(["webhookUrl", "webhookSecret", "webhookKeyID"])
              .where((a, { eq }) => eq(a.version, org.version))
              .params(),
          },
          Audit.txItem({
            recordID: org.organisationID,
            recordType: "organisation",
            action: "webhook.remove",
            operationID: org.operationID,
            reason: `API key ${keyID} revoked`,
            changes: { webhookUrl: { before: org.webhookUrl, after: null } },
          }),
        );
      const tx = await transactWrite(items);
      if (tx.ok) {
        keyCache.delete(keyID);
        return { keyID, organisationID: org.organisationID, revoked: true, webhookRemoved: dropWebhook };
      }
      // The organisation changed (its webhook was set again meanwhile): decide again on the fresh record.
    }
    throw new ConflictError("The organisation kept changing; try again", undefined, "conflict.constraint");
  }

  /**
   * Key records are cached per process for a few seconds: every partner request authenticates, and a busy
   * integration would otherwise spend a read per call. A revocation therefore takes effect within KEY_CACHE_MS
   * on other instances (at once on this one).
   */
  const KEY_CACHE_MS = 10_000;
  const keyCache = new Map<string, { key: Awaited<ReturnType<typeof fetchKey>>; at: number }>();
  const fetchKey = async (keyID: string) => (await ApiKeyEntity.get({ keyID }).go()).data;
  async function loadKey(keyID: string) {
    const hit = keyCache.get(keyID);
    if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit.key;
    const key = await fetchKey(keyID);
    if (key && !key.revoked) {
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(keyID, { key, at: Date.now() });
    }
    return key;
  }

  /** Resolves a presented API key to a partner actor, or throws Unauthorized (same answer for every failure). */
  export async function authenticate(presented: string): Promise<Actor.Partner> {
    const m = /^wpk_([0-9A-Z]{26})_([A-Za-z0-9_-]{43})$/.exec(presented);
    if (!m) throw new UnauthorizedError("Invalid API key");
    const [, keyID, secret] = m as unknown as [string, string, string];
    const key = await loadKey(keyID);
    const expected = Buffer.from(key?.secretHash ?? "0".repeat(64), "hex");
    const ok = timingSafeEqual(sha256(secret), expected) && key && !key.revoked;
    if (!ok || !key) throw new UnauthorizedError("Invalid API key");
    return {
      type: "partner",
      keyID,
      organisationID: key.organisationID,
      operationID: key.operationID,
      scopes: key.scopes as PartnerScope[],
      rateLimitPerMinute: key.rateLimitPerMinute,
    };
  }
}
