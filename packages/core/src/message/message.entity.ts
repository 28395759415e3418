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
          // instead of between keys.
          pending: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: [], casing: "none" },
            sk: { field: "gsi3sk", composite: ["due", "messageID"], casing: "none" },
            condition: (a: { state?: string }) => a.state === "queued" || a.state === "sending",
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
