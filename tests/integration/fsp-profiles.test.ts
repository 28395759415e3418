import { describe, expect, it } from "vitest";
import { call, createTestOperation } from "../support/fixtures.ts";

describe("FSP profiles can be changed, at the version read, audited", () => {
  it("changes the debtor and format, refuses stale versions, broken profiles and roles without the right", async () => {
    const t = await createTestOperation();
    const fin = t.users.finance.token;
    const created = await call("POST", "/api/fsp-profiles", {
      token: fin,
      body: { name: "BBVA México", kind: "bank", currency: "MXN", defaultFormat: "csv" },
    });
    expect(created.status).toBe(201);
    const id = created.json.fspProfileID as string;

    // pain.001 needs the debtor: refused with the field path, nothing stored.
    const broken = await call("PATCH", `/api/fsp-profiles/${id}`, {
      token: fin,
      body: { version: 1, changes: { defaultFormat: "pain.001.001.09" } },
    });
    expect(broken.status).toBe(422);
    expect(broken.json.errors[0].path).toBe("changes.debtor");

    const ok = await call("PATCH", `/api/fsp-profiles/${id}`, {
      token: fin,
      body: {
        version: 1,
        changes: {
          defaultFormat: "pain.001.001.09",
          debtor: { name: "ACNUR México", iban: "DE89370400440532013000", bic: "DEUTDEFF" },
        },
      },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json).toMatchObject({
      version: 2,
      defaultFormat: "pain.001.001.09",
      debtor: { name: "ACNUR México" },
    });

    const stale = await call("PATCH", `/api/fsp-profiles/${id}`, {
      token: fin,
      body: { version: 1, changes: { name: "Other" } },
    });
    expect(stale.status).toBe(409);

    // Removing the debtor while the format needs it is refused too.
    const removeDebtor = await call("PATCH", `/api/fsp-profiles/${id}`, {
      token: fin,
      body: { version: 2, changes: { debtor: null } },
    });
    expect(removeDebtor.status).toBe(422);

    const approver = await call("PATCH", `/api/fsp-profiles/${id}`, {
      token: t.users.finance_approver.token,
      body: { version: 2, changes: { name: "Mine now" } },
    });
    expect(approver.status).toBe(403);

    const list = await call("GET", "/api/fsp-profiles", { token: fin });
    expect(list.json.items.find((p: { fspProfileID: string }) => p.fspProfileID === id)).toMatchObject({
      version: 2,
      name: "BBVA México",
    });
    const history = await call("GET", `/api/audit?recordId=${id}`, { token: t.users.admin.token });
    expect(history.status, JSON.stringify(history.json)).toBe(200);
    const update = history.json.items.find((e: { action: string }) => e.action === "update");
    expect(Object.keys(update.changes).sort()).toEqual(["debtor", "defaultFormat"]);
  });
});
