import { Actor } from "@waypoint/core/actor";
import { actionsOf, scopesOf } from "@waypoint/core/permissions";
import { Operation } from "@waypoint/core/operation/index";
import { SavedViews } from "@waypoint/core/view/index";
import { User } from "@waypoint/core/user/index";
import { z } from "zod";
import { router } from "../openapi.ts";
import { zValidator } from "../validate.ts";

const OfficeCreate = z.object({
  code: z.string().regex(/^[A-Z]{2,5}$/, "must be 2-5 capital letters"),
  name: z.string().min(1).max(200),
  adm1: z.string().optional(),
  adm2: z.string().optional(),
  kind: z.enum(["office", "field_office", "terminal", "shelter"]).optional(),
});

export const meRoutes = router()
  .get("/me", async (c) => {
    const actor = Actor.user();
    const user = await User.get(actor.userID);
    return c.json({
      ...actor,
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
  })
  .get("/operations", async (c) => {
    const actor = Actor.user();
    const user = await User.get(actor.userID);
    const ops = await Operation.list();
    return c.json({ items: ops.filter((o) => user.grants.some((g) => g.operationID === o.operationID)) });
  });
