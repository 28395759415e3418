import { createHash, randomBytes } from "node:crypto";
import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  DayRemindersRequest,
  MessageKind,
  MessageSendRequest,
  MessageTemplateInput,
  type MessageChannel,
  type MessageInfo,
  type MessageLanguage,
  type MessageState,
  type MessageTemplateInfo,
} from "@waypoint/schema/messages";
import { Actor } from "../actor.ts";
import { AppointmentEntity } from "../appointment/appointment.entity.ts";
import { Audit } from "../audit/index.ts";
import { batchGet, batchGetEach } from "../common/batch-get.ts";
import { mapLimit } from "../common/concurrency.ts";
import { nowIso, transactWrite, transactWriteOrConflict, type TxItem } from "../common/db.ts";
import { ConflictError, ForbiddenError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { log } from "../common/log.ts";
import { config } from "../config.ts";
import { documentClient } from "../dynamo.ts";
import { Individual } from "../individual/index.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { Job } from "../job/index.ts";
import { Operation } from "../operation/index.ts";
import { OfficeEntity } from "../operation/operation.entity.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { ConsentEntity } from "../privacy/consent.entity.ts";
import {
  MessageEntity,
  MessageLotEntity,
  MessageRunEntity,
  MessageTemplateEntity,
  OptOutEntity,
} from "./message.entity.ts";
import { provider as configuredProvider, Twilio, twilioConfig, type Provider } from "./provider.ts";
import { DefaultTemplates, languageOf, render, replyIntent } from "./templates.ts";
import { messageChange, messageUpdateParams } from "./updates.ts";

export { Twilio, ProviderError, outboxProvider, type Provider } from "./provider.ts";

type Stored = NonNullable<Awaited<ReturnType<ReturnType<typeof MessageEntity.get>["go"]>>["data"]>;

export const DAY_REMINDERS_JOB = "messages.dayReminders";
export const DISPATCH_JOB = "messages.dispatch";

/**
 * SMS and WhatsApp messages to people: reminders and notices from the operation's templates in the person's
 * language, only with their consent to messages and never to an address that answered STOP.
 *
 * Sent once per event, whatever retries or restarts: a message's ID is derived from (operation, event, person,
 * channel) and creating it is the claim (a conditional put). A sender then moves it queued → sending (a
 * conditional write that also holds it for LEASE_MS) → sent with the provider's ID. A sender that dies after
 * taking it leaves it `sending`; when the hold ends the next sender asks the provider whether it has the message
 * (`Provider.find`) and records it instead of sending again, or sends it if the provider never got it.
 *
 * Messages claimed by a queueing run (a day's reminders, a module's event) are claimed in lots of up to 99
 * (`MessageLotEntity`, in the claim's transaction): a sender takes the lot instead of each message (one conditional
 * write), reads its messages consistently, and records each one (queued → sent) on the version it read. A sender
 * that dies holding a lot leaves it `sending`; when the hold ends the next sender takes the lot and asks the
 * provider about each of its messages still queued before sending it, as for a single message.
 */
export namespace Messages {
  export const LEASE_MS = 120_000;
  export const MAX_ATTEMPTS = 5;

  /** The message's ID: the same for the same event, person and channel (the claim that it is sent once). */
  export function keyOf(
    operationID: string,
    kind: string,
    ref: string,
    individualID: string,
    channel: string,
  ) {
    const h = createHash("sha256")
      .update(`${operationID}\u0000${kind}\u0000${ref}\u0000${individualID}\u0000${channel}`)
      .digest("base64url")
      .slice(0, 26);
    return `msg_${h}`;
  }

  export const address = (channel: MessageChannel, phone: string) =>
    channel === "whatsapp" ? `whatsapp:${phone}` : phone;

  function info(m: Stored, names?: Map<string, string>): MessageInfo {
    return {
      messageID: m.messageID,
      individualID: m.individualID,
      personName: m.individualID ? names?.get(m.individualID) : undefined,
      direction: m.direction,
      channel: m.channel,
      kind: m.kind,
      ref: m.ref,
      language: m.language,
      to: m.to,
      body: m.body,
      state: m.state,
      providerID: m.providerID,
      error: m.error,
      optOut: m.optOut,
      createdBy: m.createdBy,
      timeCreated: m.timeCreated,
      timeUpdated: m.timeUpdated,
    };
  }

  // ---------------------------------------------------------------- templates

  async function templateOf(operationID: string, kind: MessageKind): Promise<MessageTemplateInfo> {
    const t = (await MessageTemplateEntity.get({ operationID, kind }).go()).data;
    if (t)
      return {
        kind,
        texts: t.texts as MessageTemplateInfo["texts"],
        fallback: t.fallback,
        custom: true,
        version: t.version,
      };
    return { kind, texts: DefaultTemplates[kind], fallback: "en", custom: false, version: 0 };
  }

  /** The operation's templates (its own or the built-in ones), for the template editor. */
  export async function templates(): Promise<{ items: MessageTemplateInfo[] }> {
    Actor.assert("message.template", { operationID: Actor.operationID() });
    return { items: await Promise.all(MessageKind.options.map((k) => templateOf(Actor.operationID(), k))) };
  }

  /** An administrator writes the operation's text for one kind of message (versioned, audited). */
  export async function putTemplate(kind: MessageKind, input: MessageTemplateInput) {
    const operationID = Actor.operationID();
    Actor.assert("message.template", { operationID });
    const k = MessageKind.parse(kind);
    const v = fn(MessageTemplateInput, (x) => x)(input);
    const cur = (await MessageTemplateEntity.get({ operationID, kind: k }).go({ consistent: true })).data;
    if (cur && v.version !== undefined && v.version !== cur.version)
      throw new ConflictError(
        `The ${k} template was changed by someone else`,
        await templateOf(operationID, k),
      );
    const now = nowIso();
    const item = {
      operationID,
      kind: k,
      texts: v.texts,
      fallback: v.fallback,
      version: (cur?.version ?? 0) + 1,
      timeCreated: cur?.timeCreated ?? now,
      timeUpdated: now,
    };
    await transactWriteOrConflict([
      {
        put: cur
          ? MessageTemplateEntity.put(item)
              .where((a, { eq }) => eq(a.version, cur.version))
              .params()
          : MessageTemplateEntity.create(item).params(),
      },
      Audit.txItem({
        recordID: `template:${k}`,
        recordType: "message_template",
        action: cur ? "update" : "create",
        operationID,
        changes: Audit.diff(cur ?? {}, item, ["texts", "fallback"]),
      }),
    ]);
    return templateOf(operationID, k);
  }

  // ---------------------------------------------------------------- making and claiming messages

  type Person = {
    individualID: string;
    operationID: string;
    officeID: string;
    givenName?: string;
    familyName?: string;
    phone?: string;
    languages?: string[];
    deleted?: boolean;
  };

  /** What a message needs of its person (a batch read of thousands reads only these). */
  const PERSON_FIELDS: (keyof Person)[] = [
    "individualID",
    "operationID",
    "officeID",
    "givenName",
    "familyName",
    "phone",
    "languages",
    "deleted",
  ];

  interface Draft {
    person: Person;
    kind: MessageKind;
    ref: string;
    channel: MessageChannel;
    values: Record<string, string | undefined>;
    createdBy?: string;
  }

  /** Date and time formats by language and time zone (making one costs far more than using it). */
  const formats = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

  function when(iso: string, lang: MessageLanguage, timeZone: string) {
    const d = new Date(iso);
    const key = `${lang}|${timeZone}`;
    let f = formats.get(key);
    if (!f) {
      const locale = { en: "en-GB", es: "es", fr: "fr", ar: "ar" }[lang];
      f = {
        date: new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }),
        time: new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone }),
      };
      formats.set(key, f);
    }
    return { date: f.date.format(d), time: f.time.format(d) };
  }

  /** Why a person cannot be written to now (no consent, no phone, opted out), or undefined. */
  function refusal(
    p: Person,
    consent: { status: string } | undefined,
    optedOut: boolean,
  ): { code: string; message: string } | undefined {
    if (p.deleted) return { code: "message.no_person", message: "This person's record was deleted" };
    if (consent?.status !== "given")
      return {
        code: "message.no_consent",
        message: "The person has not given (or has withdrawn) consent to receive messages",
      };
    if (!p.phone) return { code: "message.no_phone", message: "The person has no phone number on record" };
    if (optedOut)
      return { code: "message.opted_out", message: "The person asked not to receive messages (STOP)" };
    return undefined;
  }

  const consentKey = (individualID: string) => ({ individualID, purpose: "messages" as const, scope: "-" });

  function build(
    d: Draft,
    tpl: MessageTemplateInfo,
    timeZone: string,
    start: string | undefined,
    now: string,
  ) {
    const wanted = languageOf(d.person.languages);
    const language: MessageLanguage = wanted && tpl.texts[wanted] ? wanted : tpl.fallback;
    const text = tpl.texts[language] ?? tpl.texts.en;
    const times = start ? when(start, language, timeZone) : {};
    const body = render(text, { name: d.person.givenName, ...times, ...d.values });
    return {
      messageID: keyOf(d.person.operationID, d.kind, d.ref, d.person.individualID, d.channel),
      operationID: d.person.operationID,
      officeID: d.person.officeID,
      individualID: d.person.individualID,
      direction: "out" as const,
      channel: d.channel,
      kind: d.kind,
      ref: d.ref,
      language,
      to: address(d.channel, d.person.phone!),
      body,
      state: "queued" as const,
      due: Date.now(),
      attempts: 0,
      ...(d.createdBy ? { createdBy: d.createdBy } : {}),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
  }

  async function appointmentValues(
    appointmentID: string,
    individualID: string,
    operationID: string,
  ): Promise<{ start: string; values: Record<string, string> }> {
    const a = (await AppointmentEntity.get({ appointmentID }).go()).data;
    if (!a || a.deleted || a.operationID !== operationID || !(a.participants ?? []).includes(individualID))
      throw new NotFoundError("appointment", appointmentID);
    if (a.status === "cancelled")
      throw new RuleError("message.appointment_cancelled", "The appointment was cancelled");
    const office = (await OfficeEntity.get({ officeID: a.officeID }).go()).data;
    return { start: a.start, values: { place: [office?.name, a.room].filter(Boolean).join(", ") } };
  }

  /**
   * A caseworker sends one message to a person about one event: claimed (once per event, person and channel),
   * audited, then handed to the provider at once (a sender picks it up if that attempt cannot finish).
   */
  export const send = fn(MessageSendRequest, async (input) => {
    const p = (await Individual.get(input.individualID)) as unknown as Person;
    Actor.assert("message.send", Individual.target(p));
    const operationID = p.operationID;
    const [consent, optOut] = await Promise.all([
      ConsentEntity.get(consentKey(p.individualID)).go({ consistent: true }),
      p.phone ? OptOutEntity.get({ to: address(input.channel, p.phone) }).go() : undefined,
    ]);
    const refused = refusal(p, consent.data ?? undefined, Boolean(optOut?.data));
    if (refused) throw new RuleError(refused.code, refused.message);
    let start: string | undefined;
    let values: Record<string, string> = {};
    if (input.kind === "appointment_reminder") {
      ({ start, values } = await appointmentValues(input.ref, p.individualID, operationID));
    }
    const tpl = await templateOf(operationID, input.kind);
    const timeZone = await Operation.timeZone(operationID);
    const item = build(
      {
        person: p,
        kind: input.kind,
        ref: input.ref,
        channel: input.channel,
        values: { ...values, ...input.values },
        createdBy: Actor.id(),
      },
      tpl,
      timeZone,
      start,
      nowIso(),
    );
    const tx = await transactWrite([
      { put: MessageEntity.create(item).params() },
      Audit.txItem({
        recordID: p.individualID,
        recordType: "individual",
        action: "message.queue",
        operationID,
        officeID: p.officeID,
        changes: {
          message: { after: item.messageID },
          kind: { after: input.kind },
          channel: { after: input.channel },
        },
      }),
      Job.txItem({ kind: DISPATCH_JOB, ref: operationID, operationID, delayMs: 5_000 }),
    ]);
    if (!tx.ok) {
      const existing = (await MessageEntity.get({ messageID: item.messageID }).go({ consistent: true })).data;
      if (existing) return { ...info(existing), duplicate: true };
      throw new ConflictError("The message could not be queued; try again");
    }
    // hand it over now; if this attempt cannot finish, the dispatch job (or the next sender) will
    try {
      await dispatchOne(item.messageID);
    } catch (err) {
      log.warn({ messageID: item.messageID, err: (err as Error).name }, "message left queued");
    }
    const now = (await MessageEntity.get({ messageID: item.messageID }).go({ consistent: true })).data!;
    return { ...info(now), duplicate: false };
  });

  /** One message to claim: to whom, about which event, and what fills its template. */
  interface Wanted {
    individualID: string;
    ref: string;
    /** The event's time: fills {date} and {time} in the person's language and the operation's time zone. */
    start?: string;
    values: Record<string, string | undefined>;
  }

  /**
   * Messages claimed per transaction by a queueing run: DynamoDB's most. Per item, one large transaction costs a
   * fraction of several small ones (DynamoDB Local on this 2-core machine under load: 5–7 ms per item in 100-item
   * transactions against 13–24 ms in 25-item ones).
   */
  export const CLAIM_TX = 100;

  interface Queued {
    queued: number;
    existing: number;
    skipped: Record<string, number>;
  }

  /**
   * Claims messages of one kind in the operation, one per event, person and channel, for the people with consent,
   * a phone and no opt-out (the others are counted as skipped). Restartable: a message already claimed is left as
   * it is, so running it again after a crash queues only what is missing. Audited as one batch; the sender job is
   * queued in the audit's transaction.
   */
  async function claimAll(
    operationID: string,
    kind: MessageKind,
    channel: MessageChannel,
    wanted: Wanted[],
    audit: { recordID: string; action: string; officeID?: string; reason?: string },
  ): Promise<Queued> {
    // a run after a restart: what an earlier run claimed is left as it is, and its people are not read again
    const byKey = new Map<string, Wanted>();
    for (const w of wanted) {
      const k = keyOf(operationID, kind, w.ref, w.individualID, channel);
      if (!byKey.has(k)) byKey.set(k, w);
    }
    // this run's mark: none (the first run) claims without reading what is claimed; a finished run that claimed
    // exactly these messages means there is nothing to do; otherwise (a run that died, or one that claimed other
    // messages) what is claimed is read first, as it always was
    const runID = createHash("sha256")
      .update(`${operationID}\u0000${kind}\u0000${channel}\u0000${audit.recordID}`)
      .digest("base64url")
      .slice(0, 26);
    const mark = (await MessageRunEntity.get({ runID }).go({ consistent: true })).data;
    const digestOf = (ids: Iterable<string>) =>
      createHash("sha256")
        .update([...ids].sort().join("\n"))
        .digest("base64url");
    const auditItem = (c: Queued) =>
      Audit.txItem({
        recordID: audit.recordID,
        recordType: "message_batch",
        action: audit.action,
        operationID,
        ...(audit.officeID ? { officeID: audit.officeID } : {}),
        reason: `${audit.reason ? `${audit.reason} ` : ""}queued=${c.queued} existing=${c.existing}`,
      });
    if (mark?.state === "done" && mark.claimed === byKey.size && mark.digest === digestOf(byKey.keys())) {
      const none = { queued: 0, existing: byKey.size, skipped: {} };
      await transactWriteOrConflict([auditItem(none)]);
      return none;
    }
    const expiresAt = Math.floor(Date.now() / 1000) + 90 * 86_400;
    if (!mark)
      await MessageRunEntity.put({
        runID,
        operationID,
        state: "started",
        timeUpdated: nowIso(),
        expiresAt,
      }).go({ response: "none" });
    const claimed = new Set(
      !mark
        ? []
        : (
            await batchGet<{ messageID: string }>(
              MessageEntity,
              [...byKey.keys()].map((messageID) => ({ messageID })),
              { attributes: ["messageID"], concurrency: 8 },
            )
          ).map((m) => m.messageID),
    );
    const open = [...byKey].flatMap(([k, w]) => (claimed.has(k) ? [] : [w]));
    const ids = [...new Set(open.map((x) => x.individualID))];
    const [peopleRows, consentRows] = await Promise.all([
      batchGet<Person>(
        IndividualEntity,
        ids.map((individualID) => ({ individualID })),
        { attributes: PERSON_FIELDS },
      ),
      batchGet<{ individualID: string; status: string }>(ConsentEntity, ids.map(consentKey)),
    ]);
    const people = new Map(peopleRows.map((p) => [p.individualID, p]));
    const consents = new Map(consentRows.map((c) => [c.individualID, c]));
    const addresses = [
      ...new Set([...people.values()].filter((p) => p.phone).map((p) => address(channel, p.phone!))),
    ];
    const optedOut = new Set(
      (
        await batchGet<{ to: string }>(
          OptOutEntity,
          addresses.map((a) => ({ to: a })),
        )
      ).map((o) => o.to),
    );
    const tpl = await templateOf(operationID, kind);
    const timeZone = await Operation.timeZone(operationID);
    const now = nowIso();
    const counts: Queued = { queued: 0, existing: claimed.size, skipped: {} };
    const fresh: ReturnType<typeof build>[] = [];
    for (const w of open) {
      const p = people.get(w.individualID);
      const why = p
        ? refusal(
            p,
            consents.get(w.individualID),
            Boolean(p.phone && optedOut.has(address(channel, p.phone))),
          )
        : { code: "message.no_person" };
      if (why || !p || p.operationID !== operationID) {
        const code = why?.code ?? "message.no_person";
        counts.skipped[code] = (counts.skipped[code] ?? 0) + 1;
        continue;
      }
      fresh.push(
        build({ person: p, kind, ref: w.ref, channel, values: w.values }, tpl, timeZone, w.start, now),
      );
    }
    // claims a lot of up to CLAIM_TX - 1 messages to a transaction, with the lot senders take them by; a
    // transaction refused because some were claimed meanwhile (another run, a caseworker's own send) is done again
    // without them, which are counted as already claimed
    const chunks: (typeof fresh)[] = [];
    for (let i = 0; i < fresh.length; i += CLAIM_TX - 1) chunks.push(fresh.slice(i, i + CLAIM_TX - 1));
    const done = new Set(claimed);
    await mapLimit(chunks, 4, async (chunk) => {
      let rest = chunk;
      while (rest.length > 0) {
        const lotID = `msglot_${randomBytes(16).toString("base64url")}`;
        const tx = await transactWrite([
          ...rest.map((m) => ({ put: MessageEntity.create({ ...m, lotID }).params() })),
          {
            put: MessageLotEntity.create({
              lotID,
              operationID,
              state: "queued",
              due: Math.min(...rest.map((m) => m.due)),
              messageIDs: rest.map((m) => m.messageID),
              version: 1,
              timeCreated: now,
              timeUpdated: now,
            }).params(),
          },
        ]);
        if (tx.ok) {
          counts.queued += rest.length;
          for (const m of rest) done.add(m.messageID);
          return;
        }
        const taken = new Set(tx.failed);
        counts.existing += rest.filter((_, i) => taken.has(i)).length;
        for (const m of rest.filter((_, i) => taken.has(i))) done.add(m.messageID);
        rest = rest.filter((_, i) => !taken.has(i));
      }
    });
    // this run is done: with every message it wanted claimed (none skipped), a run that wants the same ones again
    // (the job restarted) has nothing to do
    const complete = done.size === byKey.size && [...byKey.keys()].every((k) => done.has(k));
    await transactWriteOrConflict([
      auditItem(counts),
      ...(counts.queued ? [Job.txItem({ kind: DISPATCH_JOB, ref: operationID, operationID })] : []),
      {
        put: MessageRunEntity.put({
          runID,
          operationID,
          state: complete ? "done" : "started",
          ...(complete ? { digest: digestOf(byKey.keys()), claimed: byKey.size } : {}),
          timeUpdated: nowIso(),
          expiresAt,
        }).params(),
      },
    ]);
    return counts;
  }

  /**
   * Queues the reminders of one office's appointments on one day (the operation's day), one per participant
   * with consent, a phone and no opt-out. Restartable: a message already claimed is left as it is, so running it
   * again after a crash queues only what is missing. Returns the counts.
   */
  export const queueDayReminders = fn(DayRemindersRequest, async ({ officeID, date, channel }) => {
    const office = (await OfficeEntity.get({ officeID }).go()).data;
    if (!office) throw new NotFoundError("office", officeID);
    Actor.assert("message.send", { operationID: office.operationID, officeID });
    const operationID = office.operationID;
    const timeZone = await Operation.timeZone(operationID);
    const [from, to] = dayBounds(date, timeZone);
    const appts = (
      await AppointmentEntity.query
        .byOfficeDay({ officeID })
        .between({ start: from }, { start: to })
        .go({ pages: "all" })
    ).data.filter((a) => !a.deleted && a.status === "booked" && a.operationID === operationID);
    const wanted = appts.flatMap((a) =>
      (a.participants ?? []).map((individualID) => ({
        individualID,
        ref: a.appointmentID,
        start: a.start,
        values: { place: [office.name, a.room].filter(Boolean).join(", ") },
      })),
    );
    const counts = await claimAll(operationID, "appointment_reminder", channel, wanted, {
      recordID: `reminders:${officeID}:${date}`,
      action: "queue.reminders",
      officeID,
      reason: `appointments=${appts.length}`,
    });
    log.info({ officeID, date, queued: counts.queued, existing: counts.existing }, "day reminders queued");
    return { appointments: appts.length, ...counts };
  });

  /**
   * A module's event (a relocation briefing or departure, a follow-up call, a payment) tells the people it
   * concerns: one message each, once per event, person and channel however often the module's step runs again,
   * only to those with consent to messages, a phone and no opt-out. For system steps (workflow tasks, jobs).
   */
  export async function queueEvent(e: {
    operationID: string;
    officeID?: string;
    kind: MessageKind;
    /** The event: the same ref never gets a second message to the same person on the same channel. */
    ref: string;
    individualIDs: string[];
    start?: string;
    values?: Record<string, string | undefined>;
    channel?: MessageChannel;
  }): Promise<Queued> {
    Actor.assert("message.send", { operationID: e.operationID, officeID: e.officeID ?? "" });
    const wanted = [...new Set(e.individualIDs)].map((individualID) => ({
      individualID,
      ref: e.ref,
      start: e.start,
      values: e.values ?? {},
    }));
    const counts = await claimAll(e.operationID, e.kind, e.channel ?? "sms", wanted, {
      recordID: `${e.kind}:${e.ref}`,
      action: `queue.${e.kind}`,
      officeID: e.officeID,
    });
    log.info(
      { kind: e.kind, ref: e.ref, queued: counts.queued, existing: counts.existing },
      "event messages queued",
    );
    return counts;
  }

  /**
   * Job handler (`PAYMENT_MESSAGE_JOB`, queued in the reconciliation's transaction): a payment reconciled as paid
   * tells the person it was for that the money is there (where to collect cash, for a pickup point). Once per
   * payment, however often the job runs; nothing for a payee who is not a registered person.
   */
  export async function paymentJob(paymentID: string) {
    const p = (await PaymentEntity.get({ paymentID }).go({ consistent: true })).data;
    if (!p || p.status !== "paid") return;
    const payee = (await PayeeEntity.get({ payeeID: p.payeeID }).go()).data;
    if (!payee?.individualID || payee.deleted) return;
    const channel = payee.channel as { type?: string; pickupPoint?: string } | undefined;
    await Actor.provide({ type: "system", reason: "messages", operationID: p.operationID } as never, () =>
      queueEvent({
        operationID: p.operationID,
        ...(payee.officeID ? { officeID: payee.officeID } : {}),
        kind: "payment",
        ref: p.paymentID,
        individualIDs: [payee.individualID!],
        start: p.timeUpdated,
        values: { place: channel?.pickupPoint },
      }),
    );
  }

  /** [first, last] ISO instants of a calendar day in a time zone. */
  function dayBounds(date: string, timeZone: string): [string, string] {
    const offset = (utc: number) => {
      const parts = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      }).formatToParts(new Date(utc));
      const g = (t: string) => Number(parts.find((x) => x.type === t)!.value);
      return Date.UTC(g("year"), g("month") - 1, g("day"), g("hour"), g("minute"), g("second")) - utc;
    };
    const midnight = Date.parse(`${date}T00:00:00.000Z`);
    const start = midnight - offset(midnight);
    const end = start + 86_400_000 - 1;
    return [new Date(start).toISOString(), new Date(end).toISOString()];
  }

  /** Staff ask for a day's reminders: a restartable job (the local runner, the scheduled Lambda on AWS). */
  export const requestDayReminders = fn(DayRemindersRequest, async (input) => {
    const office = (await OfficeEntity.get({ officeID: input.officeID }).go()).data;
    if (!office || office.operationID !== Actor.operationID())
      throw new NotFoundError("office", input.officeID);
    Actor.assert("message.send", { operationID: office.operationID, officeID: input.officeID });
    await transactWriteOrConflict([
      Job.txItem({
        kind: DAY_REMINDERS_JOB,
        ref: `${input.officeID}|${input.date}|${input.channel}`,
        operationID: office.operationID,
      }),
      Audit.txItem({
        recordID: `reminders:${input.officeID}:${input.date}`,
        recordType: "message_batch",
        action: "request.reminders",
        operationID: office.operationID,
        officeID: input.officeID,
      }),
    ]);
    return { requested: true };
  });

  /** Job handler: queue a day's reminders (ref `office|date|channel`) and send them. */
  export async function dayRemindersJob(ref: string, job: { operationID: string }) {
    const [officeID, date, channel] = ref.split("|");
    await Actor.provide(
      { type: "system", reason: "messages", operationID: job.operationID } as never,
      async () => {
        await queueDayReminders({ officeID: officeID!, date: date!, channel: channel as MessageChannel });
        const r = await dispatch();
        if (r.remaining > 0) throw new RuleError("message.pending", "Messages are still waiting to go");
      },
    );
  }

  /** Job handler: send what is queued (and resume what a dead sender held); throw to be run again if some wait. */
  export async function dispatchJob() {
    const r = await dispatch();
    if (r.remaining > 0) throw new RuleError("message.pending", "Messages are still waiting to go");
  }

  // ---------------------------------------------------------------- sending

  /**
   * Where a test may kill a sender: before taking a batch or lot (`next`, per message), between taking a message
   * and calling the provider (`taken`), after the provider took it (`handed`), after a lot's messages are recorded
   * and before the lot is let go (`recorded`, with the lot's ID).
   */
  export type Stage = "next" | "taken" | "handed" | "recorded";

  export interface DispatchOptions {
    provider?: Provider;
    /** Messages read per round (each state). */
    limit?: number;
    /** Provider calls in flight at once. */
    concurrency?: number;
    /** Batches (of up to BATCH messages) taken, checked and recorded at once. */
    batches?: number;
    /**
     * Tests: throw here to simulate the sender dying (before taking a batch, between taking a message and calling
     * the provider, after the provider took it); may also await something that happens at that moment.
     */
    fault?: (stage: Stage, id: string) => void | Promise<void>;
    /** Tests: the clock (to let holds of a dead sender run out). */
    now?: () => number;
  }

  export interface DispatchResult {
    sent: number;
    recovered: number;
    cancelled: number;
    failed: number;
    retrying: number;
    remaining: number;
  }

  /** Messages taken, checked and recorded together: one transaction each (DynamoDB allows 100 actions). */
  export const BATCH = 100;

  type Outcome = keyof Omit<DispatchResult, "remaining">;

  let cachedProvider: Provider | undefined;
  function defaultProvider(): Provider {
    if (!cachedProvider || (cachedProvider.name === "outbox" && twilioConfig()))
      cachedProvider = configuredProvider(config().mode);
    return cachedProvider;
  }

  /** At most `n` calls of the returned runner in flight at once (shared by every batch of one sender). */
  function limiter(n: number) {
    let active = 0;
    const waiting: (() => void)[] = [];
    return async <T>(fn: () => Promise<T>): Promise<T> => {
      if (active >= n) await new Promise<void>((r) => waiting.push(r));
      active++;
      try {
        return await fn();
      } finally {
        active--;
        waiting.shift()?.();
      }
    };
  }

  /**
   * Sends what is due: queued messages and lots, and messages or lots a sender took but never finished (its hold
   * ran out; a lot goes as `advanceLot` says). Every
   * step is a conditional write on the message's version, so two senders never send the same message. Messages
   * go in batches of BATCH: one transaction takes a batch (queued → sending), one consistent batch read checks
   * consent and opt-outs just before it leaves, the provider calls run `concurrency` at once across batches, and
   * one transaction records the batch's outcomes (sending → sent with the provider's IDs). A transaction refused
   * because some messages changed meanwhile (another sender, a callback, a withdrawal) is done again without them.
   */
  export async function dispatch(opts: DispatchOptions = {}): Promise<DispatchResult> {
    const now = opts.now ?? Date.now;
    const limit = opts.limit ?? 1000;
    const result: DispatchResult = {
      sent: 0,
      recovered: 0,
      cancelled: 0,
      failed: 0,
      retrying: 0,
      remaining: 0,
    };
    const run = limiter(opts.concurrency ?? 32);
    // messages queued or held under the index's key before it became `pending` join the others first
    await moveFromOldKeys();
    // queued messages whose time has come and sending ones whose sender's hold ran out, oldest first; and lots
    // the same way (a lot's messages are not in the index themselves)
    const pick = async () =>
      (await MessageEntity.query.pending({}).lte({ due: now() }).go({ limit })).data.slice(0, limit);
    const pickLots = async () =>
      (
        await MessageLotEntity.query
          .pending({})
          .between({ due: 0 }, { due: now() })
          .go({ limit: Math.max(1, Math.ceil(limit / (CLAIM_TX - 1))) })
      ).data;
    // rounds until nothing is due (a message sent back to wait for a retry is not due yet)
    for (let round = 0; round < 100; round++) {
      const [due, lots] = await Promise.all([pick(), pickLots()]);
      if (due.length === 0 && lots.length === 0) break;
      const work: (() => Promise<(Outcome | undefined)[]>)[] = [
        ...lots.map((lot) => () => advanceLot(lot, opts, run)),
      ];
      for (let i = 0; i < due.length; i += BATCH) {
        const batch = due.slice(i, i + BATCH);
        work.push(() => advanceBatch(batch, opts, run));
      }
      await mapLimit(work, opts.batches ?? 4, async (go) => {
        try {
          for (const o of await go()) if (o) result[o]++;
        } catch (err) {
          if ((err as Error).name === "SenderKilled") throw err;
          // what it took stays held; the next sender resumes it when the hold ends (asking the provider first)
          log.warn({ err: (err as Error).name }, "message batch not finished");
        }
      });
    }
    // anything still queued (a retry waiting) or held (a batch or lot that could not finish)
    const [left, leftLots] = await Promise.all([
      MessageEntity.query.pending({}).go({ limit: 1 }),
      MessageLotEntity.query.pending({}).go({ limit: 1 }),
    ]);
    result.remaining = left.data.length + leftLots.data.length;
    return result;
  }

  /**
   * Until 9e4ed17 the senders' index (gsi3) was `byState`, one key per state (`$waypoint#state_queued`,
   * `$waypoint#state_sending`); `pending` is one key (`$waypoint`) with the same sort key (`due`, `messageID`).
   * Messages queued or held mid-send in a table written before then are still under the old keys, where `pending`
   * never looks. Every sender run first moves what it finds there to the `pending` key, until it finds nothing: a
   * conditional write on the message's version (it goes up by one, so a sender that read the message before the move
   * cannot take it with that read) that changes nothing else (state, due, hold stay), so the message is then taken,
   * checked for consent and opt-out and sent like any other, exactly once. A message under an old key that is no
   * longer queued or sending (none should be) just leaves the index. Nothing writes the old keys any more, so after
   * the first run on an upgraded table this is two empty reads a run.
   */
  const OLD_PENDING_KEYS = ["$waypoint#state_queued", "$waypoint#state_sending"];
  const PENDING_KEY = "$waypoint";

  async function moveFromOldKeys(): Promise<number> {
    const TableName = config().tableName;
    let moved = 0;
    // a message that changed between the read and the move is read again in the next pass
    for (let pass = 0; pass < 20; pass++) {
      let found = 0;
      for (const old of OLD_PENDING_KEYS) {
        const page = await documentClient().send(
          new QueryCommand({
            TableName,
            IndexName: "gsi3",
            KeyConditionExpression: "#pk = :pk",
            FilterExpression: "#e = :e",
            ExpressionAttributeNames: { "#pk": "gsi3pk", "#e": "__edb_e__" },
            ExpressionAttributeValues: { ":pk": old, ":e": "message" },
            Limit: 500,
          }),
        );
        const items = (page.Items ?? []) as { pk: string; sk: string; state?: string; version?: number }[];
        found += items.length + (page.LastEvaluatedKey ? 1 : 0);
        const done = await mapLimit(items, 8, async (item) => {
          const pending = item.state === "queued" || item.state === "sending";
          try {
            await documentClient().send(
              new UpdateCommand({
                TableName,
                Key: { pk: item.pk, sk: item.sk },
                UpdateExpression: pending
                  ? "SET #gsi3pk = :pending ADD #version :one"
                  : "REMOVE #gsi3pk, #gsi3sk ADD #version :one",
                ConditionExpression: "#version = :version AND #gsi3pk = :old",
                ExpressionAttributeNames: {
                  "#gsi3pk": "gsi3pk",
                  "#version": "version",
                  ...(pending ? {} : { "#gsi3sk": "gsi3sk" }),
                },
                ExpressionAttributeValues: {
                  ":version": item.version,
                  ":old": old,
                  ":one": 1,
                  ...(pending ? { ":pending": PENDING_KEY } : {}),
                },
              }),
            );
            return true;
          } catch (err) {
            if ((err as Error).name === "ConditionalCheckFailedException") return false;
            throw err;
          }
        });
        moved += done.filter(Boolean).length;
      }
      if (found === 0) break;
    }
    if (moved > 0) log.info({ messages: moved }, "messages moved from the senders' old index keys");
    return moved;
  }

  /** Sends one message now if it is queued (the caseworker's own send). */
  export async function dispatchOne(messageID: string, opts: DispatchOptions = {}) {
    const m = (await MessageEntity.get({ messageID }).go({ consistent: true })).data;
    // a message of a lot goes with its lot
    if (!m || m.state !== "queued" || m.lotID) return undefined;
    const [outcome] = await advanceBatch([m], opts, limiter(1));
    return outcome;
  }

  /** The conditional update of one message (on the version it was read at), for a transaction or alone. */
  function change(m: { messageID: string; version: number }, set: Record<string, unknown>, remove: string[]) {
    return messageChange({ m, set: { ...set, timeUpdated: nowIso() }, remove });
  }

  async function patch(
    m: { messageID: string; version: number },
    set: Record<string, unknown>,
    remove: string[] = [],
  ): Promise<boolean> {
    // one conditional UpdateItem: another sender (or a callback) that changed it first makes this one a no-op
    return change(m, set, remove)
      .go({ response: "none" })
      .then(() => true)
      .catch((err: { cause?: { name?: string }; code?: number }) => {
        if (err.code === 4001 || err.cause?.name === "ConditionalCheckFailedException") return false;
        throw err;
      });
  }

  interface Step {
    m: { messageID: string; version: number };
    set: Record<string, unknown>;
    remove?: string[];
  }

  /**
   * Applies conditional updates together: one transaction; when it is refused because some messages changed since
   * they were read (their versions only go up, so those can never apply), again without them; when other
   * transactions on the same messages keep cancelling it, each alone. Says which applied.
   */
  async function applyAll(steps: Step[]): Promise<boolean[]> {
    const applied = steps.map(() => false);
    let rest = steps.map((_, i) => i);
    const timeUpdated = nowIso();
    for (let round = 0; rest.length > 1 && round < 3; round++) {
      try {
        const tx = await transactWrite(
          rest.map((i) => ({
            update: messageUpdateParams({
              m: steps[i]!.m,
              set: { ...steps[i]!.set, timeUpdated },
              remove: steps[i]!.remove ?? [],
            }),
          })),
        );
        if (tx.ok) {
          for (const i of rest) applied[i] = true;
          return applied;
        }
        const failed = new Set(tx.failed);
        rest = rest.filter((_, k) => !failed.has(k));
      } catch (err) {
        // cancelled by other transactions on the same messages until the retries ran out: one by one
        if ((err as Error).name !== "TransactionCanceledException") throw err;
        break;
      }
    }
    const alone = await mapLimit(rest, 8, (i) => patch(steps[i]!.m, steps[i]!.set, steps[i]!.remove ?? []));
    rest.forEach((i, k) => (applied[i] = alone[k]!));
    return applied;
  }

  /** Whether each message may still leave: consent to messages given and its address not opted out (now). */
  async function stillAllowed(ms: Stored[]): Promise<boolean[]> {
    const people = [...new Set(ms.flatMap((m) => (m.individualID ? [m.individualID] : [])))];
    const addresses = [...new Set(ms.map((m) => m.to))];
    // one consistent BatchGetItem for both (one round trip per batch)
    const [consents, optOuts] = (await batchGetEach(
      [
        { entity: ConsentEntity, keys: people.map(consentKey) },
        { entity: OptOutEntity, keys: addresses.map((to) => ({ to })) },
      ],
      { consistent: true },
    )) as [{ individualID: string; status: string }[], { to: string }[]];
    const given = new Set(consents.filter((c) => c.status === "given").map((c) => c.individualID));
    const stopped = new Set(optOuts.map((o) => o.to));
    return ms.map((m) => Boolean(m.individualID && given.has(m.individualID) && !stopped.has(m.to)));
  }

  /** A message a sender holds: as read (`m`), as it is now (`cur`), and whether a dead sender may have sent it. */
  interface Held {
    m: Stored;
    cur: Stored;
    resuming: boolean;
    /** Set on record (messages of a lot: taking the lot did not count the attempt on the message). */
    attempts?: number;
    /** The lot it is held with (recorded with it, so the message stays out of the `pending` index). */
    lotID?: string;
  }

  async function advanceBatch(
    batch: Stored[],
    opts: DispatchOptions,
    run: <T>(fn: () => Promise<T>) => Promise<T>,
  ): Promise<(Outcome | undefined)[]> {
    const now = opts.now ?? Date.now;
    for (const m of batch) await opts.fault?.("next", m.messageID);
    const holdUntil = now() + LEASE_MS;
    // take them (queued → sending, held until holdUntil): the conditions on their versions mean one sender only
    const takeSteps = batch.map((m) => ({
      m,
      set: {
        state: "sending",
        due: holdUntil,
        attempts: (m.attempts ?? 0) + (m.state === "sending" ? 0 : 1),
      },
    }));
    const took = await applyAll(takeSteps);
    const taken: Held[] = batch.flatMap((m, i) =>
      took[i]
        ? [
            {
              m,
              resuming: m.state === "sending",
              cur: {
                ...m,
                state: "sending" as const,
                due: holdUntil,
                attempts: takeSteps[i]!.set.attempts,
                version: m.version + 1,
              },
            },
          ]
        : [],
    );
    if (taken.length === 0) return batch.map(() => undefined);
    const { outcomes } = await sendHeld(taken, opts, run);
    return batch.map((m) => outcomes.get(m.messageID));
  }

  type Lot = NonNullable<Awaited<ReturnType<ReturnType<typeof MessageLotEntity.get>["go"]>>["data"]>;

  /**
   * One lot: taken with one conditional write on its version (so one sender only), its messages read consistently
   * (one cancelled or changed since it was queued is not sent; after a dead sender, those it recorded are done),
   * then sent and recorded like a batch; the lot is deleted once each of its messages is recorded, or put back to
   * wait for the time of a retry. Until then it stays held: if this sender dies, the next one takes the lot when
   * the hold ends and asks the provider about each message still queued before sending it.
   */
  async function advanceLot(
    lot: Lot,
    opts: DispatchOptions,
    run: <T>(fn: () => Promise<T>) => Promise<T>,
  ): Promise<Outcome[]> {
    const now = opts.now ?? Date.now;
    for (const id of lot.messageIDs) await opts.fault?.("next", id);
    const holdUntil = now() + LEASE_MS;
    const took = await MessageLotEntity.patch({ lotID: lot.lotID })
      .set({ state: "sending", due: holdUntil, timeUpdated: nowIso() })
      .add({ version: 1 })
      .where((a, { eq }) => eq(a.version, lot.version))
      .go({ response: "none" })
      .then(() => true)
      .catch((err: { cause?: { name?: string }; code?: number }) => {
        if (err.code === 4001 || err.cause?.name === "ConditionalCheckFailedException") return false;
        throw err;
      });
    if (!took) return [];
    const resuming = lot.state === "sending";
    // its messages as they are now: only those still queued in this lot leave (one erased is gone; one
    // cancelled, or recorded by a sender that held the lot before, is not queued)
    const ms = await batchGet<Stored>(
      MessageEntity,
      lot.messageIDs.map((messageID: string) => ({ messageID })),
      { consistent: true, concurrency: 2 },
    );
    const held: Held[] = ms
      .filter((m) => m.state === "queued" && m.lotID === lot.lotID)
      .map((m) => ({ m, cur: m, resuming, attempts: (m.attempts ?? 0) + 1, lotID: lot.lotID }));
    const { outcomes, unfinished, retryAt } = held.length
      ? await sendHeld(held, opts, run)
      : { outcomes: new Map<string, Outcome>(), unfinished: 0, retryAt: undefined };
    await opts.fault?.("recorded", lot.lotID);
    // what could not finish stays held with the lot; a retry waits in it for its time; otherwise the lot is done
    if (unfinished === 0) {
      const notOurs = (err: { cause?: { name?: string }; code?: number }) => {
        // another sender took it after this one's hold ran out: it is that sender's now
        if (err.code === 4001 || err.cause?.name === "ConditionalCheckFailedException") return;
        throw err;
      };
      if (retryAt === undefined)
        await MessageLotEntity.delete({ lotID: lot.lotID })
          .where((a, { eq }) => `${eq(a.state, "sending")} AND ${eq(a.due, holdUntil)}`)
          .go({ response: "none" })
          .catch(notOurs);
      else
        await MessageLotEntity.patch({ lotID: lot.lotID })
          .set({ state: "queued", due: retryAt, timeUpdated: nowIso() })
          .add({ version: 1 })
          .where((a, { eq }) => `${eq(a.state, "sending")} AND ${eq(a.due, holdUntil)}`)
          .go({ response: "none" })
          .catch(notOurs);
    }
    return [...outcomes.values()];
  }

  /** Checks, sends and records messages a sender holds; says how each went and how many it could not finish. */
  async function sendHeld(
    taken: Held[],
    opts: DispatchOptions,
    run: <T>(fn: () => Promise<T>) => Promise<T>,
  ): Promise<{ outcomes: Map<string, Outcome>; unfinished: number; retryAt?: number }> {
    const now = opts.now ?? Date.now;
    const outcomes = new Map<string, Outcome>();
    let unfinished = 0;
    let retryAt: number | undefined;
    // consent withdrawn or STOP since it was queued: it does not leave
    const allowed = await stillAllowed(taken.map((x) => x.cur));
    const p = opts.provider ?? defaultProvider();
    const record: (Step & { outcome: Outcome; providerID?: string; attempts?: number })[] = [];
    const counted = (x: Held) => ({
      ...(x.attempts === undefined ? {} : { attempts: x.attempts }),
      ...(x.lotID === undefined ? {} : { lotID: x.lotID }),
    });
    await Promise.all(
      taken.map((x, i) =>
        run(async () => {
          const { m, cur, resuming } = x;
          if (!allowed[i]) {
            record.push({
              m: cur,
              set: { state: "cancelled", due: now(), ...counted(x) },
              outcome: "cancelled",
            });
            return;
          }
          const pm = {
            messageID: m.messageID,
            to: m.to,
            body: m.body,
            channel: m.channel,
            since: new Date(Math.min(Date.parse(m.timeCreated), now() - LEASE_MS * 2)).toISOString(),
          };
          try {
            if (resuming) {
              // a sender died holding it: does the provider have it already?
              const found = await p.find(pm);
              if (found) {
                record.push({
                  m: cur,
                  set: { state: "sent", providerID: found, due: now(), ...counted(x) },
                  remove: ["error"],
                  outcome: "recovered",
                  providerID: found,
                  attempts: x.attempts,
                });
                return;
              }
            }
            await opts.fault?.("taken", m.messageID);
            let res: { providerID: string };
            try {
              res = await p.send(pm);
            } catch (err) {
              const e = err as { name?: string; code?: string; retryable?: boolean };
              if (e.name !== "ProviderError") throw err;
              const attempts = x.attempts ?? cur.attempts ?? 1;
              const retry = Boolean(e.retryable && attempts < MAX_ATTEMPTS);
              const at = now() + Job.backoff(attempts, 2_000);
              if (retry) retryAt = Math.min(retryAt ?? at, at);
              record.push({
                m: cur,
                set: retry
                  ? { state: "queued", due: at, error: e.code, ...counted(x) }
                  : { state: "failed", due: now(), error: e.code, ...counted(x) },
                outcome: retry ? "retrying" : "failed",
              });
              return;
            }
            await opts.fault?.("handed", m.messageID);
            record.push({
              m: cur,
              set: { state: "sent", providerID: res.providerID, due: now(), ...counted(x) },
              remove: ["error"],
              outcome: "sent",
              providerID: res.providerID,
              attempts: x.attempts,
            });
          } catch (err) {
            if ((err as Error).name === "SenderKilled") throw err;
            // left held: the next sender asks the provider before sending it again
            unfinished++;
            log.warn({ messageID: m.messageID, err: (err as Error).name }, "message not sent");
          }
        }),
      ),
    );
    // record the outcomes: one transaction (one by one if a callback or another sender got there first)
    const applied = await applyAll(record);
    await mapLimit(record, 8, async (r, i) => {
      outcomes.set(r.m.messageID, r.outcome);
      if (applied[i] || !r.providerID) return;
      // a status callback got there first (it records the provider's ID itself; the attempt is counted here)
      const now2 = (await MessageEntity.get({ messageID: r.m.messageID }).go({ consistent: true })).data;
      if (!now2) return;
      const set = {
        ...(now2.providerID ? {} : { providerID: r.providerID }),
        ...(r.attempts !== undefined && (now2.attempts ?? 0) < r.attempts ? { attempts: r.attempts } : {}),
      };
      if (Object.keys(set).length) await patch(now2, set);
    });
    return { outcomes, unfinished, retryAt };
  }

  // ---------------------------------------------------------------- provider callbacks

  const RANK: Partial<Record<MessageState, number>> = {
    queued: 0,
    sending: 1,
    sent: 2,
    undelivered: 3,
    failed: 3,
    delivered: 4,
  };

  function providerState(status: string): MessageState | undefined {
    switch (status) {
      case "sent":
        return "sent";
      case "delivered":
      case "read":
        return "delivered";
      case "undelivered":
        return "undelivered";
      case "failed":
        return "failed";
      default:
        return undefined; // accepted, queued, sending: nothing new
    }
  }

  function verified(url: string, params: Record<string, string>, signature: string | undefined) {
    const cfg = twilioConfig();
    // the signed URL is the public one the provider called (behind a proxy, the request's own host differs)
    const signedUrl = cfg?.publicUrl
      ? `${cfg.publicUrl.replace(/\/$/, "")}${new URL(url).pathname}${new URL(url).search}`
      : url;
    if (!cfg || !Twilio.verify(cfg.authToken, signedUrl, params, signature))
      throw new ForbiddenError("message.callback", "The callback's signature does not match");
  }

  /** Twilio's status callback (`?m=<messageID>` in the signed URL): the message's delivery state. */
  export async function statusCallback(url: string, params: Record<string, string>, signature?: string) {
    verified(url, params, signature);
    return recordStatus(new URL(url).searchParams.get("m") ?? "", params);
  }

  /**
   * A provider's delivery status for one message (Twilio's `MessageSid`, `MessageStatus`, `ErrorCode`), applied
   * only forward (a late "sent" never undoes "delivered"). Callers have checked who reports it: the signed
   * callback above; the local demo seed.
   */
  export async function recordStatus(messageID: string, params: Record<string, string>) {
    const m = (await MessageEntity.get({ messageID }).go({ consistent: true })).data;
    if (!m || m.direction !== "out") return { ok: true };
    if (m.providerID && params.MessageSid && m.providerID !== params.MessageSid) return { ok: true };
    const next = providerState(params.MessageStatus ?? "");
    const rank = (s: MessageState) => RANK[s] ?? 5;
    if (next && rank(next) > rank(m.state) && m.state !== "cancelled") {
      await patch(m, {
        state: next,
        due: Date.now(),
        ...(m.providerID ? {} : params.MessageSid ? { providerID: params.MessageSid } : {}),
        ...(params.ErrorCode ? { error: params.ErrorCode } : {}),
      });
    }
    return { ok: true };
  }

  /**
   * Twilio's inbound-message webhook: a reply is kept and linked to the person last written at that address; STOP
   * (ALTO, ARRET, قف…) opts the address out at once (its queued messages are cancelled), START opts back in.
   */
  export async function inboundCallback(url: string, params: Record<string, string>, signature?: string) {
    verified(url, params, signature);
    const from = (params.From ?? "").slice(0, 64);
    const body = (params.Body ?? "").slice(0, 1600);
    if (!from) return { ok: true };
    const channel: MessageChannel = from.startsWith("whatsapp:") ? "whatsapp" : "sms";
    const last = (
      await MessageEntity.query.byAddress({ to: from }).go({ order: "desc", limit: 10 })
    ).data.find((x) => x.direction === "out");
    const intent = replyIntent(body);
    const now = nowIso();
    const items: TxItem[] = [];
    if (last) {
      const replyID = params.MessageSid
        ? `msg_in_${createHash("sha256").update(params.MessageSid).digest("base64url").slice(0, 22)}`
        : Identifier.create("message");
      items.push({
        put: MessageEntity.create({
          messageID: replyID,
          operationID: last.operationID,
          officeID: last.officeID,
          individualID: last.individualID,
          direction: "in",
          channel,
          to: from,
          body,
          state: "received",
          due: Date.now(),
          ...(params.MessageSid ? { providerID: params.MessageSid } : {}),
          ...(intent === "stop" ? { optOut: true } : {}),
          version: 1,
          timeCreated: now,
          timeUpdated: now,
        }).params(),
      });
    }
    if (intent === "stop")
      items.push({
        put: OptOutEntity.put({
          to: from,
          time: now,
          word: body.trim().slice(0, 20),
          ...(last ? { operationID: last.operationID, individualID: last.individualID } : {}),
        }).params(),
      });
    if (intent === "start") items.push({ delete: OptOutEntity.delete({ to: from }).params() });
    if (items.length) {
      const tx = await transactWrite(items);
      // the same reply delivered twice (Twilio retries): already kept
      if (!tx.ok && !tx.failed.every((i) => i === 0))
        throw new ConflictError("The reply could not be stored");
    }
    if (intent === "stop") {
      // what was queued for that address does not leave
      const queued = (await MessageEntity.query.byAddress({ to: from }).go({ pages: "all" })).data.filter(
        (x) => x.direction === "out" && x.state === "queued",
      );
      for (const q of queued) await patch(q, { state: "cancelled", due: Date.now(), error: "opted_out" });
    }
    return { ok: true, optOut: intent === "stop" };
  }

  // ---------------------------------------------------------------- reading

  async function names(ids: string[]): Promise<Map<string, string>> {
    const uniq = [...new Set(ids)];
    const rows = await batchGet<Person>(
      IndividualEntity,
      uniq.map((individualID) => ({ individualID })),
    );
    return new Map(
      rows
        .filter((r) => Actor.can("individual.read", Individual.target(r)))
        .map((r) => [r.individualID, [r.givenName, r.familyName].filter(Boolean).join(" ")]),
    );
  }

  /** The operation's messages, newest first: the outbox (what was or would be sent) and the replies. */
  export async function outbox(
    limit = 200,
  ): Promise<{ items: MessageInfo[]; provider: "twilio" | "outbox" }> {
    const operationID = Actor.operationID();
    Actor.assert("message.read");
    const res = await MessageEntity.query.byOperation({ operationID }).go({ order: "desc", limit });
    const actor = Actor.use();
    // office staff see the messages of their offices' people
    const mine = res.data.filter(
      (m) => actor.type !== "user" || Actor.can("message.read", { operationID, officeID: m.officeID ?? "" }),
    );
    const n = await names(mine.flatMap((m) => (m.individualID ? [m.individualID] : [])));
    return {
      items: mine.filter((m) => !m.individualID || n.has(m.individualID)).map((m) => info(m, n)),
      provider: twilioConfig() ? "twilio" : "outbox",
    };
  }

  /** A person's messages and replies, newest first, and whether their number opted out. */
  export async function forPerson(individualID: string) {
    const p = (await Individual.get(individualID)) as unknown as Person;
    Actor.assert("message.read", Individual.target(p));
    const res = await MessageEntity.query.byPerson({ individualID }).go({ order: "desc", pages: "all" });
    const optOuts = p.phone
      ? (
          await batchGet<{ to: string; time: string }>(OptOutEntity, [
            { to: address("sms", p.phone) },
            { to: address("whatsapp", p.phone) },
          ])
        ).map((o) => ({ channel: o.to.startsWith("whatsapp:") ? "whatsapp" : "sms", time: o.time }))
      : [];
    const consent = (await ConsentEntity.get(consentKey(individualID)).go()).data;
    return {
      items: res.data.map((m) => info(m)),
      optOuts,
      consent: consent?.status === "given",
      hasPhone: Boolean(p.phone),
    };
  }

  /**
   * Consent to messages withdrawn: the person's queued messages are cancelled in the withdrawal's own
   * transaction (privacy/consent.ts adds these items), so none leaves after it.
   */
  export async function cancelQueuedItems(individualID: string): Promise<TxItem[]> {
    const rows = (await MessageEntity.query.byPerson({ individualID }).go({ pages: "all" })).data.filter(
      (m) => m.direction === "out" && (m.state === "queued" || m.state === "sending"),
    );
    const now = nowIso();
    return rows.map((m) => ({
      update: MessageEntity.patch({ messageID: m.messageID })
        .set({ state: "cancelled", due: Date.now(), error: "consent_withdrawn", timeUpdated: now })
        .add({ version: 1 })
        .where((a, { eq }) => eq(a.version, m.version))
        .params(),
    }));
  }
}
