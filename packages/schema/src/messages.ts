import { z } from "zod";

/** How a message reaches a person. */
export const MessageChannels = ["sms", "whatsapp"] as const;
export const MessageChannel = z.enum(MessageChannels);
export type MessageChannel = z.infer<typeof MessageChannel>;

/** What a message is about: one template per kind and operation. */
export const MessageKinds = [
  "appointment_reminder",
  "briefing",
  "departure",
  "relocation_follow_up",
  "payment",
  "notice",
] as const;
export const MessageKind = z.enum(MessageKinds);
export type MessageKind = z.infer<typeof MessageKind>;

/** Languages templates are written in; a person whose language has no text gets the operation's fallback. */
export const MessageLanguages = ["en", "es", "fr", "ar"] as const;
export const MessageLanguage = z.enum(MessageLanguages);
export type MessageLanguage = z.infer<typeof MessageLanguage>;

/**
 * Where a message stands. queued (claimed, not yet handed over) → sending (handed to the provider, answer not yet
 * recorded) → sent (the provider took it) → delivered / undelivered (the provider's status callback); failed (the
 * provider refused it); cancelled (consent withdrawn or the person opted out before it left); received (a reply).
 */
export const MessageStates = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "cancelled",
  "received",
] as const;
export const MessageState = z.enum(MessageStates);
export type MessageState = z.infer<typeof MessageState>;

const Text = z.string().trim().min(1).max(1000);

/** A template's texts: `{name}`, `{date}`, `{time}`, `{place}`, `{office}` are filled in when a message is made. */
export const MessageTemplateTexts = z.object({
  en: Text,
  es: Text.optional(),
  fr: Text.optional(),
  ar: Text.optional(),
});
export const MessageTemplateInput = z.object({
  texts: MessageTemplateTexts,
  /** The language used when the person's language has no text (default: English). */
  fallback: MessageLanguage.default("en"),
  version: z.number().int().min(1).optional(),
});
export type MessageTemplateInput = z.input<typeof MessageTemplateInput>;
export const MessageTemplateInfo = z.object({
  kind: MessageKind,
  texts: MessageTemplateTexts,
  fallback: MessageLanguage,
  /** False while the operation uses the built-in text. */
  custom: z.boolean(),
  version: z.number().int(),
});
export type MessageTemplateInfo = z.infer<typeof MessageTemplateInfo>;

/** A caseworker sends (queues) one message to a person about one event. */
export const MessageSendRequest = z.object({
  individualID: z.string().min(1).max(40),
  kind: MessageKind,
  channel: MessageChannel.default("sms"),
  /** The event: the appointment, relocation or payment it is about (same event, person and channel → one message). */
  ref: z.string().min(1).max(80),
  /** Values for the template's placeholders the event does not give (a notice's date and place). */
  values: z.record(z.string().max(40), z.string().max(200)).optional(),
});
export type MessageSendRequest = z.input<typeof MessageSendRequest>;

export const DayRemindersRequest = z.object({
  officeID: z.string().min(1).max(40),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)"),
  channel: MessageChannel.default("sms"),
});

export const MessageInfo = z.object({
  messageID: z.string(),
  individualID: z.string().optional(),
  personName: z.string().optional(),
  direction: z.enum(["out", "in"]),
  channel: MessageChannel,
  kind: MessageKind.optional(),
  ref: z.string().optional(),
  language: MessageLanguage.optional(),
  to: z.string(),
  body: z.string(),
  state: MessageState,
  providerID: z.string().optional(),
  error: z.string().optional(),
  /** When the person stopped messages (STOP) this message is the reply of. */
  optOut: z.boolean().optional(),
  createdBy: z.string().optional(),
  timeCreated: z.string(),
  timeUpdated: z.string(),
});
export type MessageInfo = z.infer<typeof MessageInfo>;
