import { Actor } from "@waypoint/core/actor";
import { actionsOf, scopesOf } from "@waypoint/core/permissions";
import { Operation } from "@waypoint/core/operation/index";
import { SavedViews } from "@waypoint/core/view/index";
import { User } from "@waypoint/core/user/index";
import { router } from "../openapi.ts";
import { OfficeCreate } from "@waypoint/schema/operations";
import { zValidator } from "../validate.ts";

// the operation list (`GET /operations`) and operation administration: routes/operations.ts

export const meRoutes = router()
  .get("/me", async (c) => {
    const actor = Actor.user();
    const user = await User.get(actor.userID);
    return c.json({
      ...actor,
      timeZone: await Operation.timeZone(actor.operationID),
      name: user.name,
      grants: user.grants,
      languages: user.languages,
      permissions: actionsOf(actor.role),
      scopes: scopesOf(actor.role),
    });
  })
  .get("/offices", async (c) => c.json({ items: await Operation.offices() }))
  .post("/offices", zValidator("json", OfficeCreate), async (c) => {
    const office = await Operation.createOffice({ ...c.req.valid("json"), operationID: Actor.operationID() });
    return c.json(office, 201);
  })
  // The signed-in user's saved grid views of one list (they follow the user to any browser).
  .get("/views/:resource", async (c) => c.json({ items: await SavedViews.list(c.req.param("resource")) }))
  .put("/views/:resource/:name", async (c) => {
    const body: unknown = await c.req.json().catch(() => null);
    return c.json(await SavedViews.save(c.req.param("resource"), c.req.param("name"), body), 200);
  })
  .delete("/views/:resource/:name", async (c) => {
    await SavedViews.remove(c.req.param("resource"), c.req.param("name"));
    return c.body(null, 204);
  });
