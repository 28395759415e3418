import { describe, expect, it } from "vitest";
import { call, createTestOperation } from "../support/fixtures.ts";

describe("saved grid views (per user, on the server)", () => {
  it("saves, lists, replaces and deletes a user's views of one list; nobody else sees them", async () => {
    const t = await createTestOperation();
    const cw = t.users.caseworker.token;
    const view = {
      columns: [{ colId: "familyName", sort: "asc", sortIndex: 0, width: 180, hide: false }],
      filters: { nationality: { filterType: "text", type: "equals", filter: "HND" } },
      search: "García",
    };
    const put = await call("PUT", `/api/views/individuals/${encodeURIComponent("Honduras · by name")}`, {
      token: cw,
      body: view,
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ name: "Honduras · by name", resource: "individuals", ...view });
    await call("PUT", "/api/views/households/Mine", { token: cw, body: { columns: [], filters: {} } });

    const list = await call("GET", "/api/views/individuals", { token: cw });
    expect(list.json.items.map((v: { name: string }) => v.name)).toEqual(["Honduras · by name"]);
    expect(list.json.items[0]).toMatchObject(view);

    // Saving under the same name replaces it.
    await call("PUT", `/api/views/individuals/${encodeURIComponent("Honduras · by name")}`, {
      token: cw,
      body: { ...view, search: "" },
    });
    const again = await call("GET", "/api/views/individuals", { token: cw });
    expect(again.json.items).toHaveLength(1);
    expect(again.json.items[0].search).toBe("");

    // Another user of the same operation sees none of them.
    expect(
      (await call("GET", "/api/views/individuals", { token: t.users.supervisor.token })).json.items,
    ).toEqual([]);

    const del = await call("DELETE", `/api/views/individuals/${encodeURIComponent("Honduras · by name")}`, {
      token: cw,
    });
    expect(del.status).toBe(204);
    expect((await call("GET", "/api/views/individuals", { token: cw })).json.items).toEqual([]);
    expect((await call("GET", "/api/views/households", { token: cw })).json.items).toHaveLength(1);
  });

  it("refuses malformed views with field paths and stores nothing", async () => {
    const t = await createTestOperation();
    const cw = t.users.caseworker.token;
    const bad = await call("PUT", "/api/views/individuals/X", {
      token: cw,
      body: { columns: "all", filters: {} },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("columns");
    const noColumnID = await call("PUT", "/api/views/individuals/X", {
      token: cw,
      body: { columns: [{ width: 120 }], filters: {} },
    });
    expect(noColumnID.status).toBe(422);
    expect(noColumnID.json.errors[0].path).toBe("columns.0.colId");
    const badList = await call("PUT", "/api/views/Individuals!/X", {
      token: cw,
      body: { columns: [], filters: {} },
    });
    expect(badList.status).toBe(422);
    expect(badList.json.errors[0].path).toBe("resource");
    const noBody = await call("PUT", "/api/views/individuals/X", { token: cw });
    expect(noBody.status).toBe(422);
    expect((await call("GET", "/api/views/individuals", { token: cw })).json.items).toEqual([]);
    expect((await call("GET", "/api/views/individuals")).status).toBe(401);
  });
});
