import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { PartnerScope } from "@waypoint/schema/common";
import {
  OrganisationCreate,
  SharingAgreementChange,
  type ApiKeyInfo,
  type OrganisationAdmin,
  type OrganisationSummary,
} from "@waypoint/schema/partner";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite, transactWriteOrConflict, type TxItem } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError, UnauthorizedError } from "../common/errors.ts";
import { fn, toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { ApiKeyEntity, OrganisationEntity } from "./organisation.entity.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest();

export namespace Organisation {
  export const CreateInput = z.object({
    /** Staff create in their own operation (the default); only the system names another. */
    operationID: z.string().optional(),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(["ngo", "service_provider", "authority", "un_agency"]).default("ngo"),
    services: z.array(z.string()).default([]),
    sharedFields: z
      .array(z.string())
      .default(["givenName", "familyName", "sex", "dateOfBirth", "phone", "languages"]),
    organisationID: z.string().optional(),
  });

  /** A new partner organisation of the operation, audited with what it starts with. */
  export const create = fn(CreateInput, async (input) => {
    const operationID = input.operationID ?? Actor.operationID();
    Actor.assert("organisation.manage", { operationID });
    const now = nowIso();
    const item = {
      ...input,
      operationID,
      organisationID: input.organisationID ?? Identifier.create("organisation"),
      agreementVersion: 1,
      timeAgreed: now,
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const tx = await transactWrite([
      { put: OrganisationEntity.create(item).params() },
      Audit.txItem({
        recordID: item.organisationID,
        recordType: "organisation",
        action: "create",
        operationID,
        changes: Audit.diff({}, item, ["name", "kind", "services", "sharedFields"]),
      }),
    ]);
    if (!tx.ok) throw new ConflictError(`Organisation ${item.organisationID} already exists`);
    return item;
  });

  /** An administrator creates a partner of their own operation (staff API). */
  export async function createFromAdmin(body: unknown) {
    const parsed = OrganisationCreate.safeParse(body);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    Actor.assert("organisation.manage", { operationID: Actor.operationID() });
    const org = await create({ ...parsed.data, operationID: Actor.operationID() });
    return detail(org.organisationID);
  }

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
    name: z.string().trim().min(1).max(100),
    scopes: z.array(PartnerScope).min(1),
    rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  });

  /** The organisation an administrator acts on: it must be of their own operation (404 otherwise). */
  async function managed(organisationID: string, consistent = false) {
    Actor.assert("organisation.manage");
    const org = (await OrganisationEntity.get({ organisationID }).go({ consistent })).data;
    if (!org) throw new NotFoundError("organisation", organisationID);
    const actor = Actor.use();
    if (actor.type !== "system" && org.operationID !== actor.operationID)
      throw new NotFoundError("organisation", organisationID);
    Actor.assert("organisation.manage", { operationID: org.operationID });
    return org;
  }

  async function managedKey(keyID: string, organisationID?: string) {
    const key = (await ApiKeyEntity.get({ keyID }).go({ consistent: true })).data;
    if (!key || (organisationID !== undefined && key.organisationID !== organisationID))
      throw new NotFoundError("apiKey", keyID);
    await managed(key.organisationID);
    return key;
  }

  /** A new key's record and its audit event (never the secret, nor its hash). */
  function issueItems(
    org: { organisationID: string; operationID: string },
    input: { name: string; scopes: PartnerScope[]; rateLimitPerMinute?: number },
    replaces?: string,
  ) {
    const keyID = Identifier.create("apiKey").slice(4);
    const secret = randomBytes(32).toString("base64url");
    const items: TxItem[] = [
      {
        put: ApiKeyEntity.create({
          keyID,
          organisationID: org.organisationID,
          operationID: org.operationID,
          name: input.name,
          secretHash: sha256(secret).toString("hex"),
          scopes: input.scopes,
          rateLimitPerMinute: input.rateLimitPerMinute,
          replaces,
          createdBy: Actor.id(),
          timeCreated: nowIso(),
        }).params(),
      },
      Audit.txItem({
        recordID: org.organisationID,
        recordType: "organisation",
        action: replaces ? "apiKey.rotate" : "apiKey.create",
        operationID: org.operationID,
        changes: {
          [`apiKey.${keyID}`]: {
            after: { name: input.name, scopes: input.scopes, ...(replaces ? { replaces } : {}) },
          },
        },
      }),
    ];
    return { keyID, key: `wpk_${keyID}_${secret}`, items };
  }

  /**
   * Issues an API key `wpk_<keyID>_<secret>` for an organisation of the caller's operation. The full key is
   * returned once; only a hash of the secret is kept. Audited (name and scopes) in the same transaction.
   */
  export const createKey = fn(CreateKeyInput, async (input) => {
    const org = await managed(input.organisationID);
    const issued = issueItems(org, input);
    await transactWriteOrConflict(issued.items);
    return {
      keyID: issued.keyID,
      key: issued.key,
      scopes: input.scopes,
      organisationID: org.organisationID,
    };
  });

  /** The keys of an organisation, newest first, without secrets. */
  export async function listKeys(organisationID: string): Promise<ApiKeyInfo[]> {
    await managed(organisationID);
    const keys = (
      await ApiKeyEntity.query.byOrganisation({ organisationID }).go({ pages: "all", order: "desc" })
    ).data;
    return keys.map((k) => ({
      keyID: k.keyID,
      name: k.name,
      scopes: k.scopes,
      revoked: Boolean(k.revoked),
      timeCreated: k.timeCreated,
      ...(k.timeRevoked ? { timeRevoked: k.timeRevoked } : {}),
      ...(k.replaces ? { replaces: k.replaces } : {}),
      ...(k.rateLimitPerMinute ? { rateLimitPerMinute: k.rateLimitPerMinute } : {}),
    }));
  }

  export const ScopesInput = z.object({ scopes: z.array(PartnerScope).min(1) }).strict();

  /** Changes what a live key may do; audited with the scopes before and after. A revoked key stays revoked. */
  export async function setKeyScopes(keyID: string, organisationID: string, body: unknown) {
    const parsed = ScopesInput.safeParse(body);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const key = await managedKey(keyID, organisationID);
    if (key.revoked) throw new ConflictError("This key is revoked", undefined, "conflict.revoked");
    const scopes = [...new Set(parsed.data.scopes)];
    const tx = await transactWrite([
      {
        update: ApiKeyEntity.patch({ keyID })
          .set({ scopes })
          .where((a, { eq, ne }) => `${ne(a.revoked, true)} AND ${eq(a.organisationID, key.organisationID)}`)
          .params(),
      },
      Audit.txItem({
        recordID: key.organisationID,
        recordType: "organisation",
        action: "apiKey.scopes",
        operationID: key.operationID,
        changes: { [`apiKey.${keyID}.scopes`]: { before: key.scopes, after: scopes } },
      }),
    ]);
    if (!tx.ok) throw new ConflictError("This key was revoked meanwhile", undefined, "conflict.revoked");
    keyCache.delete(keyID);
    return { keyID, scopes };
  }

  /**
   * The revocation of a key as transaction items: the key, its audit event, and the webhook it registered (also a
   * webhook registered before keys were recorded, when no other active key of the organisation remains).
   */
  async function revokeItems(key: { keyID: string; revoked?: boolean }, org: Org) {
    const keyID = key.keyID;
    let dropWebhook = Boolean(org.webhookUrl) && org.webhookKeyID === keyID;
    if (org.webhookUrl && !org.webhookKeyID) {
      const others = (
        await ApiKeyEntity.query.byOrganisation({ organisationID: org.organisationID }).go({ pages: "all" })
      ).data.filter((k) => k.keyID !== keyID && !k.revoked);
      dropWebhook = others.length === 0;
    }
    const now = nowIso();
    const items: TxItem[] = [
      {
        update: ApiKeyEntity.patch({ keyID })
          .set({ revoked: true, timeRevoked: now })
          .where((a, { eq }) => eq(a.organisationID, org.organisationID))
          .params(),
      },
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
    return { items, dropWebhook };
  }

  type Org = NonNullable<Awaited<ReturnType<ReturnType<typeof OrganisationEntity.get>["go"]>>["data"]>;

  /**
   * Revokes an API key of an organisation of the caller's operation. A webhook the key registered is removed in
   * the same transaction (a leaked key's receiver stops getting events with it). Both are audited.
   */
  export async function revokeKey(keyID: string, organisationID?: string) {
    const key = await managedKey(keyID, organisationID);
    for (let attempt = 0; attempt < 3; attempt++) {
      const org = await managed(key.organisationID, true);
      const { items, dropWebhook } = await revokeItems(key, org);
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
   * Rotation: a new key with the same name, scopes and rate limit, and the old one revoked, in one audited
   * transaction (there is no grace period: the partner switches to the new key at once). A webhook the old key
   * registered is removed with it, as on revocation.
   */
  export async function rotateKey(keyID: string, organisationID: string) {
    const key = await managedKey(keyID, organisationID);
    if (key.revoked) throw new ConflictError("This key is already revoked", undefined, "conflict.revoked");
    for (let attempt = 0; attempt < 3; attempt++) {
      const org = await managed(key.organisationID, true);
      const revoked = await revokeItems(key, org);
      // the old key must still be live when the new one replaces it (two rotations at once make one new key)
      const first = revoked.items[0] as { update: Record<string, unknown> };
      first.update = ApiKeyEntity.patch({ keyID })
        .set({ revoked: true, timeRevoked: nowIso() })
        .where((a, { eq, ne }) => `${eq(a.organisationID, org.organisationID)} AND ${ne(a.revoked, true)}`)
        .params();
      const issued = issueItems(
        org,
        {
          name: key.name,
          scopes: key.scopes as PartnerScope[],
          rateLimitPerMinute: key.rateLimitPerMinute,
        },
        keyID,
      );
      const tx = await transactWrite([...issued.items, ...revoked.items]);
      if (tx.ok) {
        keyCache.delete(keyID);
        return {
          keyID: issued.keyID,
          key: issued.key,
          scopes: key.scopes,
          organisationID: org.organisationID,
          revokedKeyID: keyID,
          webhookRemoved: revoked.dropWebhook,
        };
      }
      const now = (await ApiKeyEntity.get({ keyID }).go({ consistent: true })).data;
      if (now?.revoked)
        throw new ConflictError("This key was revoked meanwhile", undefined, "conflict.revoked");
    }
    throw new ConflictError("The organisation kept changing; try again", undefined, "conflict.constraint");
  }

  /** One organisation as its administrators see it: agreement, webhook (without its secret), keys. */
  export async function detail(organisationID: string): Promise<OrganisationAdmin> {
    const org = await managed(organisationID, true);
    return {
      organisationID: org.organisationID,
      name: org.name,
      kind: org.kind ?? "ngo",
      services: org.services ?? [],
      version: org.version,
      timeCreated: org.timeCreated,
      timeUpdated: org.timeUpdated,
      sharing: {
        fields: { referral_person: (org.sharedFields ?? []) as string[] },
        agreementVersion: org.agreementVersion ?? 1,
        ...(org.timeAgreed ? { timeAgreed: org.timeAgreed } : {}),
      },
      webhook: org.webhookUrl
        ? {
            url: org.webhookUrl,
            enabled: !org.webhookDisabled,
            events: org.webhookEvents ?? [],
            ...(org.webhookKeyID ? { keyID: org.webhookKeyID } : {}),
          }
        : null,
      keys: await listKeys(organisationID),
    };
  }

  /** What changed in the organisation (keys, agreement, webhook), newest first, with who changed it. */
  export async function history(organisationID: string) {
    const org = await managed(organisationID);
    const res = await Audit.trailOf({ recordID: organisationID, limit: 200 }, org);
    return { items: [...res.items].sort((a, b) => b.time.localeCompare(a.time)) };
  }

  /**
   * A new data-sharing agreement: which fields of a referred person the partner sees. Conditional on the version
   * the administrator edited; the agreement's own version goes up and the change is audited (before/after).
   */
  export async function setSharing(organisationID: string, body: unknown) {
    const parsed = SharingAgreementChange.safeParse(body);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const input = parsed.data;
    const org = await managed(organisationID, true);
    const fields = [...new Set(input.fields.referral_person)];
    await checkConfiguredShares(org.operationID as string, fields);
    const before = (org.sharedFields ?? []) as string[];
    if (
      JSON.stringify([...before].sort()) === JSON.stringify([...fields].sort()) &&
      input.version === org.version
    )
      return detail(organisationID);
    const agreementVersion = (org.agreementVersion ?? 1) + 1;
    await writeVersioned(
      {
        entity: OrganisationEntity,
        key: { organisationID },
        expectedVersion: input.version,
        set: { sharedFields: fields, agreementVersion, timeAgreed: nowIso() },
        audit: {
          recordID: organisationID,
          recordType: "organisation",
          action: "sharing.update",
          operationID: org.operationID,
          reason: input.note,
          changes: {
            "sharing.referral_person": { before, after: fields },
            agreementVersion: { before: org.agreementVersion ?? 1, after: agreementVersion },
          },
        },
      },
      async () => (await OrganisationEntity.get({ organisationID }).go({ consistent: true })).data,
    );
    sharedCache.delete(organisationID);
    return detail(organisationID);
  }

  /** Configured fields an agreement names (`fields.<key>`) must be active, non-sensitive fields of individuals. */
  async function checkConfiguredShares(operationID: string, fields: string[]) {
    const configured = fields.filter((f) => f.startsWith("fields."));
    if (configured.length === 0) return;
    const { FieldValues } = await import("../fields/values.ts");
    await FieldValues.ready(operationID);
    const defs = new Map(FieldValues.definitions("individual", operationID).map((d) => [`fields.${d.key}`, d]));
    const issues = configured.flatMap((f) => {
      const d = defs.get(f);
      if (d && d.status === "active" && !d.sensitive) return [];
      return [
        {
          path: `fields.referral_person.${fields.indexOf(f)}`,
          code: "invalid.field",
          message: d ? "a sensitive or retired field cannot be shared" : "is not a configured field of individuals",
        },
      ];
    });
    if (issues.length) throw new InvalidError(issues);
  }

  const sharedCache = new Map<string, { fields: string[]; at: number }>();
  /**
   * The person fields the organisation's agreement lets it see (read by the partner view). Cached per process for
   * 30 s; a change made on this instance applies at once.
   */
  export async function sharedFields(organisationID: string): Promise<string[]> {
    const hit = sharedCache.get(organisationID);
    if (hit && Date.now() - hit.at < 30_000) return hit.fields;
    const org = await get(organisationID);
    const fields = (org.sharedFields ?? []) as string[];
    sharedCache.set(organisationID, { fields, at: Date.now() });
    return fields;
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
