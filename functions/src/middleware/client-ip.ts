import type { Context } from "hono";

/**
 * The caller's address for per-IP limits. On Lambda the Function URL / API Gateway event carries it; under
 * @hono/node-server the socket does. `X-Forwarded-For` is the fallback (in-process tests, a proxy in front):
 * its last entry is the one the nearest proxy added, so a client cannot choose it.
 */
export function clientIp(c: Context): string {
  const env = c.env as
    | {
        event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } };
        incoming?: { socket?: { remoteAddress?: string } };
      }
    | undefined;
  const fromEnv =
    env?.event?.requestContext?.http?.sourceIp ??
    env?.event?.requestContext?.identity?.sourceIp ??
    env?.incoming?.socket?.remoteAddress;
  const xff = c.req.header("x-forwarded-for");
  if (xff && (!fromEnv || fromEnv === "127.0.0.1" || fromEnv === "::1" || fromEnv === "::ffff:127.0.0.1")) {
    const parts = xff
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (parts.length > 0) return parts[parts.length - 1]!;
  }
  return fromEnv ?? "unknown";
}
