/**
 * What the functions that send messages to people need (packages/core/src/message/provider.ts): the Twilio
 * account's secrets, linked (so they reach `SST_RESOURCE_TwilioAccountSid` / `SST_RESOURCE_TwilioAuthToken`), and
 * the settings that are not secret, from the deploying shell like the mail settings:
 *
 * - `WAYPOINT_TWILIO_FROM`: the sending number (E.164, a Twilio number or a Messaging Service's number);
 * - `WAYPOINT_TWILIO_WHATSAPP_FROM`: the WhatsApp sender if it differs (E.164, without `whatsapp:`);
 * - `WAYPOINT_PUBLIC_URL`: the public address Twilio calls back (`/v1/public/messages/status`, `/inbound`) and
 *   signs, when it is not the API's own Function URL (a custom domain, CloudFront in front). Unset: the sender
 *   gives Twilio the Function URL, and callbacks are checked against the URL they arrived at.
 *
 * Sending happens in the API (a caseworker's own send) and in the scheduled job runner (the day's reminders,
 * relocation and payment messages, resumed sends); both are given these.
 */
import { twilioAccountSid, twilioAuthToken } from "./secrets";

export const messageLinks = [twilioAccountSid, twilioAuthToken];

/** The sender's settings that are not secret; `publicUrl` is the fallback callback address (the API's URL). */
export function messageEnvironment(publicUrl = ""): Record<string, string> {
  return {
    WAYPOINT_TWILIO_FROM: process.env.WAYPOINT_TWILIO_FROM ?? "",
    WAYPOINT_TWILIO_WHATSAPP_FROM: process.env.WAYPOINT_TWILIO_WHATSAPP_FROM ?? "",
    WAYPOINT_PUBLIC_URL: process.env.WAYPOINT_PUBLIC_URL || publicUrl.replace(/\/$/, ""),
  };
}
