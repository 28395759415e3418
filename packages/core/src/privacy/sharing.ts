import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { Actor } from "../actor.ts";
import { batchGet } from "../common/batch-get.ts";
import { nowIso } from "../common/db.ts";
import { log } from "../common/log.ts";
import { config } from "../config.ts";
import { documentClient } from "../dynamo.ts";
import { Individual } from "../individual/index.ts";
import { OrganisationEntity } from "../organisation/organisation.entity.ts";
import { ReferralEntity } from "../referral/referral.entity.ts";
import { OutboxEntity } from "../webhook/webhook.entity.ts";
import { DisclosureEntity } from "./disclosure.entity.ts";
import { exportsOf } from "./export-log.ts";
import { UserEntity } from "../user/user.entity.ts";

export interface SharingEntry {
  time: string;
  /** The partner (referrals, API reads, webhooks); an export names its recipient instead. */
  organisationID?: string;
  organisationName?: string;
  channel: "referral" | "api_read" | "webhook" | "export";
  /** The referral (or event, or export) the disclosure was about. */
  ref: string;
  detail?: string;
  /** Exports: who made the file (a user's name), for what purpose, for whom, in which format. */
  by?: string;
  /** An ExportPurposes code (older entries: words); `purposeOther` the words of `other`. */
  purpose?: string;
  purposeOther?: string;
  recipient?: string;
  kind?: string;
  format?: string;
}

const TWO_YEARS_S = 2 * 365 * 24 * 3600;

/**
 * The sharing log of a person: every disclosure to a partner. Referrals and webhook deliveries are records of
 * their own and are read from there; a partner's API read leaves a disclosure item per person read.
 */
export namespace Sharing {
  /** Logs that a partner read these people (best effort: the read is answered even if the log write fails). */
  export async function logReads(reads: { individualID?: string; ref: string }[]): Promise<void> {
    const actor = Actor.maybe();
    if (actor?.type !== "partner") return;
    const time = nowIso();
    const items = reads
      .filter((r): r is { individualID: string; ref: string } => Boolean(r.individualID))
      .map((r) => ({
        individualID: r.individualID,
        operationID: actor.operationID,
        organisationID: actor.organisationID,
        channel: "api_read" as const,
        ref: r.ref,
        time,
        expiresAt: Math.floor(Date.now() / 1000) + TWO_YEARS_S,
      }));
    try {
      for (let i = 0; i < items.length; i += 25) {
        const puts = items.slice(i, i + 25).map((item) => ({
          PutRequest: {
            Item: (DisclosureEntity.put(item).params() as { Item: Record<string, unknown> }).Item,
          },
        }));
        let RequestItems: Record<string, typeof puts> = { [config().tableName]: puts };
        for (let attempt = 0; RequestItems[config().tableName]?.length && attempt < 5; attempt++) {
          const res = await documentClient().send(new BatchWriteCommand({ RequestItems }));
          RequestItems = (res.UnprocessedItems ?? {}) as typeof RequestItems;
        }
      }
    } catch (err) {
      log.error({ err: (err as Error).name, count: items.length }, "sharing log write failed");
    }
  }

  /** Everything disclosed about a person to partners, oldest first; for those who may read their audit trail. */
  export async function of(individualID: string): Promise<SharingEntry[]> {
    const p = await Individual.get(individualID);
    Actor.assert("audit.read", Individual.target(p));
    const [reads, referrals] = await Promise.all([
      DisclosureEntity.query.primary({ individualID }).go({ pages: "all" }),
      ReferralEntity.query
        .byOperation({ operationID: p.operationID })
        .where((a, { eq }) => eq(a.individualID, individualID))
        .go({ pages: "all" }),
    ]);
    const entries: SharingEntry[] = [];
    const shared = referrals.data.filter((r) => r.direction === "outgoing" && r.toOrganisationID);
    for (const r of shared)
      entries.push({
        time: r.timeCreated,
        organisationID: r.toOrganisationID!,
        channel: "referral",
        ref: r.referralID,
        detail: `${r.referralNumber} · ${r.serviceCategory}${(r.consent as { given?: boolean }).given ? "" : " · consent withdrawn"}`,
      });
    for (const d of reads.data)
      entries.push({ time: d.time, organisationID: d.organisationID, channel: "api_read", ref: d.ref });
    const orgIDs = [...new Set(shared.map((r) => r.toOrganisationID!))];
    const ids = shared.map((r) => r.referralID);
    for (const organisationID of orgIDs) {
      const events = (await OutboxEntity.query.byOrganisation({ organisationID }).go({ pages: "all" })).data;
      for (const e of events)
        if (e.state === "delivered" && ids.some((id) => e.payload.includes(id)))
          entries.push({
            time: e.timeUpdated,
            organisationID,
            channel: "webhook",
            ref: ids.find((id) => e.payload.includes(id))!,
            detail: e.type,
          });
    }
    // exports that contained the person: by whom, for what purpose and recipient
    const exports = await exportsOf(individualID);
    const users = await batchGet<{ userID: string; name: string }>(
      UserEntity,
      [...new Set(exports.map((e) => e.by).filter((b) => b.startsWith("usr_")))].map((userID) => ({ userID })),
      { attributes: ["userID", "name"] },
    );
    const userName = new Map(users.map((u) => [u.userID, u.name]));
    for (const e of exports)
      entries.push({
        time: e.time,
        channel: "export",
        ref: e.exportID,
        kind: e.kind,
        format: e.format,
        by: userName.get(e.by) ?? e.by,
        ...(e.purpose ? { purpose: e.purpose } : {}),
        ...(e.purposeOther ? { purposeOther: e.purposeOther } : {}),
        ...(e.recipient ? { recipient: e.recipient, organisationName: e.recipient } : {}),
        detail: [e.kind, e.format, e.purposeOther ?? e.purpose, e.recipient].filter(Boolean).join(" · "),
      });
    const names = await batchGet<{ organisationID: string; name: string }>(
      OrganisationEntity,
      [...new Set(entries.map((e) => e.organisationID).filter((o): o is string => Boolean(o)))].map(
        (organisationID) => ({ organisationID }),
      ),
      { attributes: ["organisationID", "name"] },
    );
    const name = new Map(names.map((o) => [o.organisationID, o.name]));
    return entries
      .map((e) => (e.organisationID ? { ...e, organisationName: name.get(e.organisationID) } : e))
      .sort((a, b) => a.time.localeCompare(b.time));
  }
}
