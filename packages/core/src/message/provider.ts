import { createHmac, timingSafeEqual } from "node:crypto";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { UnavailableError } from "../common/errors.ts";
import { sstResource } from "../config.ts";

/**
 * The SMS / WhatsApp provider adapter: a Twilio-style REST API (the first one), or, with no provider configured
 * (a local instance), the outbox: the message is kept and shown on the outbox page instead of leaving.
 *
 * Twilio's documented shapes: `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`,
 * `From`, `Body`, `StatusCallback`, HTTP basic auth (Account SID : Auth Token); the answer is JSON with `sid` and
 * `status`. Its callbacks are form-encoded POSTs signed in `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with
 * the Auth Token, over the full URL Twilio called followed by every POST parameter, sorted by name, as name then
 * value with no separators.
 */
export interface ProviderMessage {
  messageID: string;
  to: string;
  body: string;
  channel: "sms" | "whatsapp";
  /** When the message was handed to the sender (a lookup after a crash looks from here). */
  since: string;
}

export interface Provider {
  name: "twilio" | "outbox";
  /** Sends; `idempotencyKey` is the message's own key (sent where the provider honours one). */
  send(m: ProviderMessage): Promise<{ providerID: string; status: string }>;
  /**
   * Whether the provider already has this message (a sender that died after handing it over, before recording
   * the answer): its ID, or undefined. Never sends.
   */
  find(m: ProviderMessage): Promise<string | undefined>;
}

export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(`provider refused the message (${code})`);
  }
}

export interface TwilioConfig {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  smsFrom: string;
  whatsappFrom?: string;
  /** This deployment's public origin: status callbacks are sent to `{publicUrl}/v1/public/messages/status`. */
  publicUrl?: string;
}

/** A secret linked on AWS (`SST_RESOURCE_<Name>`, "none" when not set for the stage), or undefined. */
function linkedSecret(name: string): string | undefined {
  const v = sstResource<{ value?: string }>(name)?.value;
  return v && v !== "none" ? v : undefined;
}

/**
 * The provider's settings, or undefined for the local outbox. On AWS the account SID and Auth Token are the
 * stage's SST secrets `TwilioAccountSid` / `TwilioAuthToken` (infra/secrets.ts); elsewhere, or to override them,
 * `WAYPOINT_TWILIO_ACCOUNT_SID` / `WAYPOINT_TWILIO_AUTH_TOKEN`. The sending numbers and the public callback
 * address are plain settings (`WAYPOINT_TWILIO_FROM`, `WAYPOINT_TWILIO_WHATSAPP_FROM`, `WAYPOINT_PUBLIC_URL`:
 * infra/messaging.ts, docs/deploy.md).
 */
export function twilioConfig(): TwilioConfig | undefined {
  const e = process.env;
  const accountSid = e.WAYPOINT_TWILIO_ACCOUNT_SID || linkedSecret("TwilioAccountSid");
  const authToken = e.WAYPOINT_TWILIO_AUTH_TOKEN || linkedSecret("TwilioAuthToken");
  if (!accountSid || !authToken) return undefined;
  return {
    baseUrl: e.WAYPOINT_TWILIO_BASE_URL || "https://api.twilio.com",
    accountSid,
    authToken,
    smsFrom: e.WAYPOINT_TWILIO_FROM ?? "",
    whatsappFrom: e.WAYPOINT_TWILIO_WHATSAPP_FROM || undefined,
    publicUrl: e.WAYPOINT_PUBLIC_URL || undefined,
  };
}

export namespace Twilio {
  /** X-Twilio-Signature of a request: base64(HMAC-SHA1(authToken, url + sorted name+value pairs)). */
  export function signature(authToken: string, url: string, params: Record<string, string>): string {
    const data = Object.keys(params)
      .sort()
      .reduce((acc, k) => acc + k + params[k], url);
    return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
  }

  export function verify(
    authToken: string,
    url: string,
    params: Record<string, string>,
    header: string | undefined,
  ): boolean {
    if (!header) return false;
    const expected = Buffer.from(signature(authToken, url, params));
    const given = Buffer.from(header);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  // One keep-alive connection pool per protocol, shared by every send: node:http costs a third of fetch's CPU
  // per call (measured on this machine: 0.3 against 1.0 ms), which counts when a day's reminders are thousands.
  const agents = {
    "http:": new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    "https:": new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
  };

  /** One HTTP(S) request with a 15 s limit: the status and the body as text (throws on a network failure). */
  function call(
    url: string,
    o: { method: "GET" | "POST"; headers: Record<string, string>; body?: string },
  ): Promise<{ status: number; body: string }> {
    const u = new URL(url);
    const send = u.protocol === "https:" ? httpsRequest : httpRequest;
    const agent = u.protocol === "https:" ? agents["https:"] : agents["http:"];
    const headers =
      o.body === undefined
        ? o.headers
        : { ...o.headers, "content-length": String(Buffer.byteLength(o.body)) };
    return new Promise((resolve, reject) => {
      const req = send(u, { method: o.method, headers, agent, timeout: 15_000 }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", reject);
      req.end(o.body);
    });
  }

  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return {};
    }
  };

  function auth(cfg: TwilioConfig) {
    return `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString("base64")}`;
  }

  const messagesUrl = (cfg: TwilioConfig) =>
    `${cfg.baseUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;

  export function adapter(cfg: TwilioConfig): Provider {
    const from = (m: ProviderMessage) =>
      m.channel === "whatsapp" ? `whatsapp:${cfg.whatsappFrom ?? cfg.smsFrom}` : cfg.smsFrom;
    return {
      name: "twilio",
      async send(m) {
        const form = new URLSearchParams({ To: m.to, From: from(m), Body: m.body });
        if (cfg.publicUrl)
          form.set(
            "StatusCallback",
            `${cfg.publicUrl.replace(/\/$/, "")}/v1/public/messages/status?m=${encodeURIComponent(m.messageID)}`,
          );
        let res: { status: number; body: string };
        try {
          res = await call(messagesUrl(cfg), {
            method: "POST",
            headers: {
              authorization: auth(cfg),
              "content-type": "application/x-www-form-urlencoded",
              accept: "application/json",
              // honoured by providers that deduplicate on it; harmless where not
              "I-Twilio-Idempotency-Token": m.messageID,
            },
            body: form.toString(),
          });
        } catch {
          throw new ProviderError("network", true);
        }
        const json = parseJson(res.body) as { sid?: string; status?: string; code?: number };
        const ok = res.status >= 200 && res.status < 300;
        if (!ok || !json.sid)
          throw new ProviderError(String(json.code ?? res.status), res.status >= 500 || res.status === 429);
        return { providerID: json.sid, status: json.status ?? "queued" };
      },
      async find(m) {
        // Messages to this address sent since the sender took it (Twilio's list filters: To, DateSent>=)
        const q = new URLSearchParams({ To: m.to, "DateSent>": m.since.slice(0, 10), PageSize: "100" });
        let res: { status: number; body: string };
        try {
          res = await call(`${messagesUrl(cfg)}?${q}`, {
            method: "GET",
            headers: { authorization: auth(cfg), accept: "application/json" },
          });
        } catch {
          throw new ProviderError("network", true);
        }
        if (res.status < 200 || res.status >= 300) throw new ProviderError(String(res.status), true);
        const json = parseJson(res.body) as { messages?: { sid: string; body?: string; to?: string }[] };
        return json.messages?.find((x) => x.body === m.body && x.to === m.to)?.sid;
      },
    };
  }
}

/** A local instance: nothing leaves; the message stays in the outbox (the outbox page) as what would be sent. */
export const outboxProvider: Provider = {
  name: "outbox",
  async send(m) {
    return { providerID: `outbox:${m.messageID}`, status: "sent" };
  },
  async find() {
    return undefined;
  },
};

/** The configured provider: Twilio when `WAYPOINT_TWILIO_*` is set; the outbox locally; refused on AWS without. */
export function provider(mode: "aws" | "local"): Provider {
  const cfg = twilioConfig();
  if (cfg) return Twilio.adapter(cfg);
  if (mode === "aws") throw new UnavailableError("No message provider (WAYPOINT_TWILIO_*) is configured");
  return outboxProvider;
}
