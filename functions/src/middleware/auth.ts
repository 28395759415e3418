import type { MiddlewareHandler } from "hono";
import { Actor, Auth, Organisation, UnauthorizedError } from "@waypoint/core";

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

/** Partner routes: an organisation's API key. */
export const partnerAuth: MiddlewareHandler = async (c, next) => {
  const actor = await Organisation.authenticate(bearer(c.req.header("authorization")));
  c.set("actorID" as never, `${actor.organisationID}/${actor.keyID}` as never);
  await Actor.provide(actor, next);
};
