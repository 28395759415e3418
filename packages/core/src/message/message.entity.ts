import { Entity } from "electrodb";
import { MessageChannels, MessageKinds, MessageLanguages, MessageStates } from "@waypoint/schema/messages";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * One SMS or WhatsApp message to (or a reply from) a person. An outgoing message's ID is derived from its event,
 * person and channel (`Messages.keyOf`), so creating it is the claim that it is sent once: a second create for
 * the same event fails its condition, whatever retried or restarted.
 */
export const MessageEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "message", version: "1", service: "waypoint" },
        attributes: {
          messageID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string" },
          individualID: { type: "string" },
          direction: { type: ["out", "in"] as const, required: true },
          channel: { type: MessageChannels, required: true },
          kind: { type: MessageKinds },
          /** The event the message is about (an appointment ID, a relocation ID…). */
          ref: { type: "string" },
          language: { type: MessageLanguages },
          /** The provider address: E.164 for SMS, `whatsapp:+…` for WhatsApp. */
          to: { type: "string", required: true },
          body: { type: "string", required: true },
          state: { type: MessageStates, required: true },
          /** Epoch ms: when a queued message may go, or when a sender's hold on a sending one ends. */
          due: { type: "number", required: true },
          /** The provider's ID for the message (Twilio's MessageSid), recorded as soon as it answers. */
          providerID: { type: "string" },
          error: { type: "string" },
          attempts: { type: "number" },
          optOut: { type: "boolean" },
          createdBy: { type: "string" },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
          /** TTL (epoch seconds) for replies nobody could link to a person. */
          expiresAt: { type: "number" },
          /**
           * The lot a queueing run claimed it in (`MessageLotEntity`): while it is queued with its lot, its lot is
           * what senders take, so it is not in the `pending` index itself. A retry leaves the lot (this is removed)
           * and comes back to `pending` on its own.
           */
          lotID: { type: "string" },
        },
        indexes: {
          // a message by id (its deterministic key)
          primary: {
            pk: { field: "pk", composite: ["messageID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // a person's messages, newest last (the person's page)
          byPerson: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["individualID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "messageID"], casing: "none" },
          },
          // an operation's messages, newest last (the outbox)
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeCreated", "messageID"], casing: "none" },
          },
          // messages a sender must look at, by `due`: queued ones by when they may go, sending ones by when their
          // sender's hold ends. Sparse: a message is in it only while queued or sending (written with its `state`
          // and `due` together), so a sent, delivered, failed or cancelled message, or a reply, costs this index
          // nothing; one key for both states, so taking a message (queued → sending) only moves it along the key
          // instead of between keys. A message queued in a lot is not in it (its lot is; see MessageLotEntity).
          pending: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: [], casing: "none" },
            sk: { field: "gsi3sk", composite: ["due", "messageID"], casing: "none" },
            condition: (a: { state?: string; lotID?: string }) =>
              (a.state === "queued" || a.state === "sending") && !a.lotID,
          },
          // messages to one address, newest last (a reply is linked to the person last written to)
          byAddress: {
            index: "gsi4",
            pk: { field: "gsi4pk", composite: ["to"], casing: "none" },
            sk: { field: "gsi4sk", composite: ["timeCreated", "messageID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * A lot: up to 99 messages claimed together by a queueing run, in the claim's own transaction. Senders take a lot,
 * not each of its messages: one conditional write on the lot's version (queued → sending, held until its `due`)
 * gives one sender all of them; it then reads them (consistently: one withdrawn or cancelled since is not sent),
 * re-checks consent and opt-out, sends them and records each message (queued → sent, on the version it read), then
 * deletes the lot. A sender that dies holding a lot leaves it `sending`; when the hold ends the next sender takes
 * it, reads its messages again and asks the provider about each one still queued before sending it. The lot holds
 * message IDs only (no address, no text), so erasing a person leaves nothing of theirs in it.
 */
export const MessageLotEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "msglot", version: "1", service: "waypoint" },
        attributes: {
          lotID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          state: { type: ["queued", "sending"] as const, required: true },
          /** Epoch ms: when a queued lot may go, or when its sender's hold ends. */
          due: { type: "number", required: true },
          messageIDs: { type: "list", items: { type: "string" }, required: true },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          primary: {
            pk: { field: "pk", composite: ["lotID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // lots senders must look at, by `due` (the same index as messages: their keys sort after messages')
          pending: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: [], casing: "none" },
            sk: { field: "gsi3sk", composite: ["due", "lotID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * A queueing run's mark (one per operation, kind, channel and run: a day's reminders of one office, one event):
 * written when the run starts and, when it has claimed everything, with a digest of the messages it claimed. The
 * first run finds none and claims without reading what is claimed (nothing can be but a caseworker's own send,
 * which the claim's condition refuses); a run after a crash finds it started and reads what is claimed first; a
 * run after a finished one that wants the same messages finds the digest equal and claims nothing. Only an
 * economy: the claim's condition is what makes a message claimed once.
 */
export const MessageRunEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "msgrun", version: "1", service: "waypoint" },
        attributes: {
          runID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          state: { type: ["started", "done"] as const, required: true },
          /** sha256 of the claimed message IDs, sorted (done runs). */
          digest: { type: "string" },
          claimed: { type: "number" },
          timeUpdated: { type: "string", required: true },
          /** TTL (epoch seconds): a mark is an economy for re-runs, kept 90 days (without it a run reads first). */
          expiresAt: { type: "number", required: true },
        },
        indexes: {
          primary: {
            pk: { field: "pk", composite: ["runID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** An operation's own text for one kind of message (absent: the built-in text). */
export const MessageTemplateEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "msgtemplate", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          kind: { type: MessageKinds, required: true },
          texts: { type: "any", required: true },
          fallback: { type: MessageLanguages, required: true },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an operation's templates by kind
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["kind"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** An address that answered STOP (or ALTO, ARRET, قف): nothing more is sent to it until it answers START. */
export const OptOutEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "optout", version: "1", service: "waypoint" },
        attributes: {
          to: { type: "string", required: true },
          operationID: { type: "string" },
          individualID: { type: "string" },
          word: { type: "string" },
          time: { type: "string", required: true },
        },
        indexes: {
          // an address's opt-out
          primary: {
            pk: { field: "pk", composite: ["to"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
