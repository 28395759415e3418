import { ConsentGive, ConsentTarget, ConsentWithdraw, type ConsentInfo } from "@waypoint/schema/consent";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWriteOrConflict, type TxItem } from "../common/db.ts";
import { InvalidError, RuleError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Individual } from "../individual/index.ts";
import { OrganisationEntity } from "../organisation/organisation.entity.ts";
import { ReferralEntity } from "../referral/referral.entity.ts";
import { OutboxEntity } from "../webhook/webhook.entity.ts";
import { ConsentEntity } from "./consent.entity.ts";

type Stored = NonNullable<Awaited<ReturnType<ReturnType<typeof ConsentEntity.get>["go"]>>["data"]>;

function parse<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidError(toFieldIssues(r.error, ""));
  return r.data;
}

const scopeOf = (t: { purpose: string; organisationID?: string; serviceCategory?: string }) =>
  t.organisationID ? `org:${t.organisationID}` : t.serviceCategory ? `category:${t.serviceCategory}` : "-";

function info(s: Stored): ConsentInfo {
  return {
    individualID: s.individualID,
    purpose: s.purpose,
    ...(s.scope.startsWith("org:") ? { organisationID: s.scope.slice(4) } : {}),
    ...(s.scope.startsWith("category:") ? { serviceCategory: s.scope.slice(9) } : {}),
    status: s.status,
    date: s.date,
    how: s.how,
    givenBy: s.givenBy,
    recordedBy: s.recordedBy,
    ...(s.withdrawnOn ? { withdrawnOn: s.withdrawnOn } : {}),
    ...(s.withdrawnHow ? { withdrawnHow: s.withdrawnHow } : {}),
    ...(s.withdrawnRecordedBy ? { withdrawnRecordedBy: s.withdrawnRecordedBy } : {}),
    version: s.version,
    timeUpdated: s.timeUpdated,
  };
}

/**
 * Consent by purpose. Giving or withdrawing is recorded per purpose (and, for sharing, per partner or service
 * category) with the date, how it was given and who recorded it, and audited. Withdrawing consent to messages
 * cancels the person's queued messages in the same transaction. Withdrawing consent to share stops
 * the sharing at once, in the same transaction: the person's referrals to that partner (or in that category) are
 * no longer consented, so the partner's next read is a 404 (the partner API's consent gate), and queued webhook
 * deliveries about them are dropped.
 */
export namespace Consent {
  async function person(individualID: string) {
    return Individual.get(individualID);
  }

  export async function list(individualID: string): Promise<ConsentInfo[]> {
    await person(individualID);
    const res = await ConsentEntity.query.primary({ individualID }).go({ pages: "all" });
    return (res.data as Stored[]).map(info);
  }

  async function validTarget(t: { purpose: string; organisationID?: string; serviceCategory?: string }) {
    parse(ConsentTarget, t);
    if (t.organisationID) {
      const org = (await OrganisationEntity.get({ organisationID: t.organisationID }).go()).data;
      if (!org || org.operationID !== Actor.operationID())
        throw InvalidError.field(
          "organisationID",
          "invalid.organisation",
          "is not a partner of this operation",
        );
    }
  }

  export async function give(individualID: string, input: z.input<typeof ConsentGive>): Promise<ConsentInfo> {
    const v = parse(ConsentGive, input);
    const p = await person(individualID);
    Actor.assert("individual.update", Individual.target(p));
    await validTarget(v);
    const scope = scopeOf(v);
    const cur = (
      await ConsentEntity.get({ individualID, purpose: v.purpose, scope }).go({ consistent: true })
    ).data as Stored | null;
    const now = nowIso();
    const item = {
      individualID,
      operationID: p.operationID,
      officeID: p.officeID,
      purpose: v.purpose,
      scope,
      status: "given" as const,
      date: v.date,
      how: v.how,
      givenBy: v.givenBy,
      recordedBy: Actor.id(),
      version: (cur?.version ?? 0) + 1,
      timeCreated: cur?.timeCreated ?? now,
      timeUpdated: now,
    };
    const put = cur
      ? ConsentEntity.put(item)
          .where((a, { eq }) => eq(a.version, cur.version))
          .params()
      : ConsentEntity.create(item).params();
    await transactWriteOrConflict([
      { put },
      Audit.txItem({
        recordID: individualID,
        recordType: "individual",
        action: "consent.give",
        operationID: p.operationID,
        officeID: p.officeID,
        changes: { [`consent.${v.purpose}.${scope}`]: { before: cur?.status, after: "given" } },
      }),
    ]);
    return info(item as Stored);
  }

  export async function withdraw(individualID: string, input: z.input<typeof ConsentWithdraw>) {
    const v = parse(ConsentWithdraw, input);
    const p = await person(individualID);
    Actor.assert("individual.update", Individual.target(p));
    await validTarget(v);
    const scope = scopeOf(v);
    const cur = (
      await ConsentEntity.get({ individualID, purpose: v.purpose, scope }).go({ consistent: true })
    ).data as Stored | null;
    if (cur?.status === "withdrawn")
      throw new RuleError("consent.already_withdrawn", "This consent is already withdrawn");
    const now = nowIso();
    const item = {
      individualID,
      operationID: p.operationID,
      officeID: p.officeID,
      purpose: v.purpose,
      scope,
      status: "withdrawn" as const,
      // a withdrawal without an earlier record: the consent taken at registration or on a referral
      date: cur?.date ?? v.date,
      how: cur?.how ?? v.how,
      givenBy: cur?.givenBy ?? ("person" as const),
      recordedBy: cur?.recordedBy ?? Actor.id(),
      withdrawnOn: v.date,
      withdrawnHow: v.how,
      withdrawnRecordedBy: Actor.id(),
      version: (cur?.version ?? 0) + 1,
      timeCreated: cur?.timeCreated ?? now,
      timeUpdated: now,
    };
    const items: TxItem[] = [
      {
        put: cur
          ? ConsentEntity.put(item)
              .where((a, { eq }) => eq(a.version, cur.version))
              .params()
          : ConsentEntity.create(item).params(),
      },
    ];
    let referralsClosed = 0;
    let deliveriesDropped = 0;
    if (v.purpose === "sharing") {
      // the person's referrals this consent covered stop being shared now
      const refs = (
        await ReferralEntity.query
          .byOperation({ operationID: p.operationID })
          .where((a, { eq }) => eq(a.individualID, individualID))
          .go({ pages: "all" })
      ).data.filter(
        (r) =>
          r.direction === "outgoing" &&
          !r.deleted &&
          (r.consent as { given?: boolean }).given &&
          (v.organisationID
            ? r.toOrganisationID === v.organisationID
            : r.serviceCategory === v.serviceCategory),
      );
      for (const r of refs) {
        items.push({
          update: ReferralEntity.patch({ referralID: r.referralID })
            .set({
              status: r.status,
              consent: { ...(r.consent as object), given: false },
              timeUpdated: now,
            })
            .add({ version: 1 })
            .where((a, { eq }) => eq(a.version, r.version))
            .params(),
        });
        items.push(
          Audit.txItem({
            recordID: r.referralID,
            recordType: "referral",
            action: "consent.withdraw",
            operationID: r.operationID,
            officeID: r.officeID,
            changes: { "consent.given": { before: true, after: false } },
          }),
        );
      }
      referralsClosed = refs.length;
      // queued deliveries about those referrals never leave
      const orgs = [...new Set(refs.map((r) => r.toOrganisationID).filter((o): o is string => Boolean(o)))];
      const ids = refs.map((r) => r.referralID);
      for (const organisationID of orgs) {
        const events = (await OutboxEntity.query.byOrganisation({ organisationID }).go({ pages: "all" }))
          .data;
        for (const e of events)
          if (
            e.state === "pending" &&
            (ids.some((id) => e.payload.includes(id)) || e.payload.includes(individualID))
          ) {
            items.push({ delete: OutboxEntity.delete({ eventID: e.eventID }).params() });
            deliveriesDropped++;
          }
      }
    }
    let messagesCancelled = 0;
    if (v.purpose === "messages") {
      // the person's messages not yet sent never leave: cancelled in this same transaction
      const { Messages } = await import("../message/index.ts");
      const cancel = await Messages.cancelQueuedItems(individualID);
      items.push(...cancel);
      messagesCancelled = cancel.length;
    }
    items.push(
      Audit.txItem({
        recordID: individualID,
        recordType: "individual",
        action: "consent.withdraw",
        operationID: p.operationID,
        officeID: p.officeID,
        changes: {
          [`consent.${v.purpose}.${scope}`]: { before: cur?.status ?? "given", after: "withdrawn" },
          ...(referralsClosed ? { referralsClosed: { after: referralsClosed } } : {}),
          ...(deliveriesDropped ? { deliveriesDropped: { after: deliveriesDropped } } : {}),
          ...(messagesCancelled ? { messagesCancelled: { after: messagesCancelled } } : {}),
        },
      }),
    );
    if (items.length > 100)
      throw new RuleError("consent.too_many", "Too many records to update at once; ask an administrator");
    await transactWriteOrConflict(items);
    return { consent: info(item as Stored), referralsClosed, deliveriesDropped, messagesCancelled };
  }

  /**
   * Refuses sharing the person with a partner or a service category whose consent they withdrew (a new referral
   * must not reopen what the withdrawal closed; consent given again lifts it).
   */
  export async function assertSharing(r: {
    individualID?: string;
    toOrganisationID?: string;
    serviceCategory?: string;
  }): Promise<void> {
    if (!r.individualID || !r.toOrganisationID) return;
    const res = await ConsentEntity.query
      .primary({ individualID: r.individualID, purpose: "sharing" })
      .go({ pages: "all" });
    const closed = (res.data as Stored[]).find(
      (c) =>
        c.status === "withdrawn" &&
        (c.scope === `org:${r.toOrganisationID}` || c.scope === `category:${r.serviceCategory}`),
    );
    if (closed)
      throw new RuleError(
        "referral.consent_withdrawn",
        "The person withdrew their consent to share with this partner or for this service",
      );
  }
}
