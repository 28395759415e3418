import { Actor, Operation, User } from "@waypoint/core";
import { router } from "../openapi.ts";

export const meRoutes = router()
  .get("/me", async (c) => {
    const actor = Actor.user();
    const user = await User.get(actor.userID);
    return c.json({ ...actor, name: user.name, grants: user.grants, languages: user.languages });
  })
  .get("/offices", async (c) => c.json({ items: await Operation.offices() }))
  .get("/operations", async (c) => {
    const actor = Actor.user();
    const user = await User.get(actor.userID);
    const ops = await Operation.list();
    return c.json({ items: ops.filter((o) => user.grants.some((g) => g.operationID === o.operationID)) });
  });
