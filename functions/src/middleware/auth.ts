import type { Context, MiddlewareHandler } from "hono";
import { Actor } from "@waypoint/core/actor";
import { Auth } from "@waypoint/core/auth/index";
import { Organisation } from "@waypoint/core/organisation/index";
import { UnauthorizedError } from "@waypoint/core/common/errors";

function bearer(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!m) throw new UnauthorizedError("Send Authorization: Bearer <token>");
  return m[1]!;
}

/** Staff routes: a signed staff token; the actor is available to core through `Actor.use()`. */
export const staffAuth: MiddlewareHandler = async (c, next) => {
  const actor = await Auth.verify(bearer(c.req.header("authorization")));
  c.set("actorID" as never, actor.userID as never);
  await Actor.provide(actor, next);
};

/**
 * The key a partner presents: Bearer everywhere; on KoboToolbox intake also HTTP basic (password = key) or the
 * `X-Waypoint-Key` header, because a Kobo REST Service can send only those.
 */
function partnerKey(c: Context): string {
  const auth = c.req.header("authorization") ?? "";
  if (c.req.path.startsWith("/v1/intake/")) {
    const custom = c.req.header("x-waypoint-key");
    if (custom) return custom.trim();
    const basic = /^Basic\s+(\S+)$/i.exec(auth);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
      return decoded.slice(decoded.indexOf(":") + 1);
    }
  }
  return bearer(auth);
}

/** Partner routes: an organisation's API key. */
export const partnerAuth: MiddlewareHandler = async (c, next) => {
  const actor = await Organisation.authenticate(partnerKey(c));
  c.set("actorID" as never, `${actor.organisationID}/${actor.keyID}` as never);
  await Actor.provide(actor, next);
};
