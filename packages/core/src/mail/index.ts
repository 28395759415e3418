import type { SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { UiLanguages } from "@waypoint/schema/operations";
import type { OutboxMail } from "@waypoint/schema/users";
import { Actor } from "../actor.ts";
import { config } from "../config.ts";
import { nowIso } from "../common/db.ts";
import { ForbiddenError, NotFoundError, UnavailableError } from "../common/errors.ts";
import { Identifier } from "../common/id.ts";
import { log } from "../common/log.ts";
import { MailEntity } from "./outbox.entity.ts";

/**
 * Outgoing e-mail (one-time links for staff accounts). On AWS an adapter sends through Amazon SES (API v2
 * `SendEmail`, from `WAYPOINT_MAIL_FROM`); locally nothing leaves the machine: the message is kept in the
 * operation's outbox (an admin page) and its link is printed on the console, without the address or name.
 */
type UiLanguage = (typeof UiLanguages)[number];

export namespace Mail {
  export interface Message {
    operationID: string;
    to: string;
    subject: string;
    text: string;
    /** The one-time link the message carries, relative to the app (`/invite/<token>`). */
    link?: string;
    /** The language it is written in. */
    language?: UiLanguage;
  }

  /**
   * The language of a person's e-mails: their own choice, else the first language of the operation (`languages`
   * of the operation the message is about), else English.
   */
  export function languageFor(user: { language?: string }, operationLanguages: readonly string[] = []): UiLanguage {
    const ok = (l: string | undefined): l is UiLanguage => !!l && (UiLanguages as readonly string[]).includes(l);
    if (ok(user.language)) return user.language;
    return operationLanguages.find(ok) ?? "en";
  }

  /** The SES v2 SendEmail request for a message (what the AWS adapter sends; tests check its documented shape). */
  export function sesRequest(m: Message, from: string, appUrl = ""): SendEmailCommandInput {
    const text = m.link ? m.text.replace(m.link, `${appUrl}${m.link}`) : m.text;
    return {
      FromEmailAddress: from,
      Destination: { ToAddresses: [m.to] },
      Content: {
        Simple: {
          Subject: { Data: m.subject, Charset: "UTF-8" },
          Body: { Text: { Data: text, Charset: "UTF-8" } },
        },
      },
    };
  }

  /** Sends through SES; `client` for tests (a real SESv2Client with its own request handler). */
  export async function sendWithSes(
    m: Message,
    client?: { send: (c: never) => Promise<unknown> },
  ): Promise<void> {
    const from = process.env.WAYPOINT_MAIL_FROM;
    if (!from) throw new UnavailableError("No sender address (WAYPOINT_MAIL_FROM) is configured for e-mail");
    const { SESv2Client, SendEmailCommand } = await import("@aws-sdk/client-sesv2");
    const ses = client ?? new SESv2Client({});
    await ses.send(new SendEmailCommand(sesRequest(m, from, process.env.WAYPOINT_APP_URL ?? "")) as never);
  }

  /** Sends `m`: SES on AWS, the local outbox otherwise. Returns whether it went out. */
  export async function send(m: Message): Promise<boolean> {
    try {
      if (config().mode === "aws") await sendWithSes(m);
      else {
        const now = nowIso();
        await MailEntity.create({
          ...m,
          mailID: Identifier.create("mail"),
          time: now,
          expiresAt: Math.floor(Date.now() / 1000) + 7 * 86400,
        }).go();
        // The link only: no address or name on the console.
        if (m.link && !process.env.VITEST)
          console.log(
            `[waypoint] one-time link (local outbox): ${process.env.WAYPOINT_APP_URL ?? ""}${m.link}`,
          );
      }
      return true;
    } catch (err) {
      log.warn({ err: (err as Error).name }, "mail not sent");
      return false;
    }
  }

  /** The operation's local outbox, newest first (local runtime only; admins). */
  export async function outbox(): Promise<{ items: OutboxMail[] }> {
    Actor.assert("user.manage");
    if (config().mode !== "local") throw new NotFoundError("route", "/api/outbox");
    const actor = Actor.use();
    if (actor.type !== "user") throw new ForbiddenError("user.manage");
    const res = await MailEntity.query
      .primary({ operationID: actor.operationID })
      .go({ order: "desc", limit: 100 });
    return {
      items: res.data.map((m) => ({
        mailID: m.mailID,
        to: m.to,
        subject: m.subject,
        text: m.text,
        link: m.link,
        ...(m.language ? { language: m.language as UiLanguage } : {}),
        time: m.time,
      })),
    };
  }
}
