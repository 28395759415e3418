import { describe, expect, it } from "vitest";
import { app } from "@waypoint/functions";
import { call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { people } from "../support/programmes.ts";

const inDays = (n: number) => new Date(Date.now() + n * 864e5).toISOString().slice(0, 10);
const paths = (res: { json: { errors?: { path: string }[] } }) => (res.json.errors ?? []).map((e) => e.path);

async function register(op: TestOperation, individualIDs: string[], country = "SEN") {
  const res = await call("POST", "/api/returns", {
    token: op.users.caseworker.token,
    body: { officeID: op.officeA, individualIDs, countryOfReturn: country, plannedReturnDate: inDays(10) },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}

/** Registered, assessed, approved by the supervisor and returned `daysAgo` days ago. */
async function returned(op: TestOperation, individualIDs: string[], daysAgo = 20) {
  const token = op.users.caseworker.token;
  const r = await register(op, individualIDs);
  const a = await call("POST", `/api/returns/${r.returnID}/vulnerability`, {
    token,
    body: { factors: ["single_parent"], version: r.version },
  });
  const ok = await call("POST", `/api/returns/${r.returnID}/transition`, {
    token: op.users.supervisor.token,
    body: { to: "approved", version: a.json.version },
  });
  const back = await call("POST", `/api/returns/${r.returnID}/transition`, {
    token,
    body: { to: "returned", date: inDays(-daysAgo), version: ok.json.version },
  });
  expect(back.status, JSON.stringify(back.json)).toBe(200);
  return back.json;
}

describe("return and reintegration desk", () => {
  it("reports one person in two live returns on both returns, and no longer once one is cancelled", async () => {
    const op = await createTestOperation();
    const [a, b] = await people(op, [{ age: 30 }, { age: 8 }]);
    const first = await register(op, [a!.individualID, b!.individualID]);
    const second = await register(op, [a!.individualID]);
    const token = op.users.caseworker.token;
    const report = await call("GET", "/api/avrr/inconsistencies", { token });
    expect(report.status).toBe(200);
    const twice = report.json.items.filter((i: { code: string }) => i.code === "person.twoLiveReturns");
    expect(twice.map((i: { returnID: string }) => i.returnID).sort()).toEqual([first.returnID, second.returnID].sort());
    expect(twice[0]).toMatchObject({ individualID: a!.individualID, field: "individualIDs" });
    expect(twice.find((i: { returnID: string }) => i.returnID === first.returnID).relatedReturnIDs).toEqual([
      second.returnID,
    ]);
    const cancelled = await call("POST", `/api/returns/${second.returnID}/transition`, {
      token,
      body: { to: "cancelled", reason: "Registered twice by mistake", version: second.version },
    });
    expect(cancelled.status).toBe(200);
    const after = await call("GET", "/api/avrr/inconsistencies", { token });
    expect(after.json.items.filter((i: { code: string }) => i.code === "person.twoLiveReturns")).toEqual([]);
  });

  it("refuses future dates for what already happened: arrival, departure, a monitoring visit done, a quote received", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const [a] = await people(op, [{ age: 30 }]);
    const r = await register(op, [a!.individualID]);
    const assessed = await call("POST", `/api/returns/${r.returnID}/vulnerability`, {
      token,
      body: { factors: [], version: r.version },
    });
    const approved = await call("POST", `/api/returns/${r.returnID}/transition`, {
      token: op.users.supervisor.token,
      body: { to: "approved", version: assessed.json.version },
    });
    const arriving = await call("POST", `/api/returns/${r.returnID}/transition`, {
      token,
      body: { to: "returned", date: inDays(3), version: approved.json.version },
    });
    expect(arriving.status).toBe(422);
    expect(paths(arriving)).toEqual(["date"]);
    const patched = await call("PATCH", "/api/returns", {
      token,
      body: { rows: [{ id: r.returnID, version: approved.json.version, changes: { departedOn: inDays(2) } }] },
    });
    expect(patched.json.results[0].status).toBe("invalid");
    expect(patched.json.results[0].issues[0].path).toContain("departedOn");
    const stored = (await call("GET", `/api/returns/${r.returnID}`, { token })).json;
    expect(stored).toMatchObject({ status: "approved" });
    expect(stored.arrivedOn).toBeUndefined();

    const back = await returned(op, [(await people(op, [{ age: 40 }]))[0]!.individualID], 5);
    const visit = await call("POST", `/api/returns/${back.returnID}/monitoring`, {
      token,
      body: { date: inDays(2), milestone: 3, findings: "Shop open", version: back.version },
    });
    expect(visit.status).toBe(422);
    expect(paths(visit)).toEqual(["date"]);

    await call("PUT", `/api/returns/${back.returnID}/plan`, {
      token,
      body: { items: [{ kind: "economic", project: "collective", participants: 4, description: "Poultry farm", budget: 50000, currency: "XOF" }] },
    });
    const plan = await call("POST", `/api/returns/${back.returnID}/plan/approve`, {
      token: op.users.supervisor.token,
      body: { version: 1 },
    });
    expect(plan.json.items[0]).toMatchObject({ project: "collective", participants: 4 });
    const s = (
      await call("POST", "/api/suppliers", { token, body: { name: "Ferme Diallo", country: "SEN", category: "livestock" } })
    ).json;
    const inv = await call("POST", "/api/invoices", {
      token,
      body: {
        returnID: back.returnID,
        itemID: plan.json.items[0].itemID,
        quotes: [{ supplierID: s.supplierID, amount: 40000, currency: "XOF", date: inDays(4) }],
      },
    });
    expect(inv.status).toBe(422);
    expect(paths(inv)).toEqual(["quotes.0.date"]);
  });

  it("keeps the scans of the quotes on the return, and refuses a scan kept elsewhere", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const [a, b] = await people(op, [{ age: 30 }, { age: 35 }]);
    const r = await returned(op, [a!.individualID]);
    const other = await returned(op, [b!.individualID]);
    const upload = async (returnID: string, name: string) => {
      const link = await call("POST", `/api/returns/${returnID}/files/uploads`, {
        token,
        body: { fileName: name, contentType: "image/jpeg" },
      });
      const put = await app.request(link.json.upload.url, {
        method: "PUT",
        headers: link.json.upload.headers,
        body: `scan of ${name}`,
      });
      expect(put.status).toBe(204);
      const done = await call("POST", `/api/returns/${returnID}/files`, {
        token,
        body: { ticket: link.json.ticket, kind: "quote", title: name },
      });
      expect(done.status, JSON.stringify(done.json)).toBe(201);
      return done.json.fileID as string;
    };
    // the return page asks for the plan as a list: none yet is an empty list, not an error
    const none = await call("GET", `/api/returns/${r.returnID}/plans`, { token });
    expect(none.status).toBe(200);
    expect(none.json.items).toEqual([]);
    await call("PUT", `/api/returns/${r.returnID}/plan`, {
      token,
      body: { items: [{ kind: "economic", description: "Sewing machine", budget: 90000, currency: "XOF" }] },
    });
    const one = await call("GET", `/api/returns/${r.returnID}/plans`, { token });
    expect(one.json.items.map((p: { status: string }) => p.status)).toEqual(["draft"]);
    const plan = await call("POST", `/api/returns/${r.returnID}/plan/approve`, {
      token: op.users.supervisor.token,
      body: { version: 1 },
    });
    const sup = await Promise.all(
      ["Couture Dakar", "Machines Thiès", "Atelier Rufisque"].map(
        async (name) => (await call("POST", "/api/suppliers", { token, body: { name, country: "SEN", category: "tools_equipment" } })).json,
      ),
    );
    const mine = await Promise.all(sup.map((s) => upload(r.returnID, `${s.name}.jpg`)));
    const elsewhere = await upload(other.returnID, "other.jpg");
    const quotes = sup.map((s, i) => ({
      supplierID: s.supplierID,
      amount: 80000 + i * 5000,
      currency: "XOF",
      date: inDays(-2),
      fileID: mine[i],
    }));
    const wrong = await call("POST", "/api/invoices", {
      token,
      body: { returnID: r.returnID, itemID: plan.json.items[0].itemID, quotes: [...quotes.slice(0, 2), { ...quotes[2], fileID: elsewhere }] },
    });
    expect(wrong.status).toBe(422);
    expect(paths(wrong)).toEqual(["quotes.2.fileID"]);
    const inv = await call("POST", "/api/invoices", {
      token,
      body: { returnID: r.returnID, itemID: plan.json.items[0].itemID, quotes },
    });
    expect(inv.status, JSON.stringify(inv.json)).toBe(200);
    expect(inv.json.quotes.map((q: { fileID: string }) => q.fileID)).toEqual(mine);
    const files = await call("GET", `/api/returns/${r.returnID}/files`, { token });
    expect(files.json.items).toHaveLength(3);
  });

  it("exports the monthly AVRR table as CSV in the reader's language and as XLSX", async () => {
    const op = await createTestOperation();
    const [a, b, c] = await people(op, [
      { age: 30, sex: "female" },
      { age: 6, sex: "male" },
      { age: 45, sex: "male" },
    ]);
    const r1 = await returned(op, [a!.individualID, b!.individualID], 1);
    await returned(op, [c!.individualID], 1);
    const month = r1.arrivedOn.slice(0, 7);
    const token = op.users.caseworker.token;
    const csv = await call("GET", `/api/avrr/monthly/export?month=${month}&format=csv&lang=fr`, { token });
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]!.split(",").slice(0, 3)).toEqual(["Pays de retour", "Dossiers rentrés", "Personnes rentrées"]);
    expect(lines[1]!.split(",").slice(0, 6)).toEqual(["SEN", "2", "3", "1", "2", "1"]);
    const xlsx = await app.request(`/api/avrr/monthly/export?month=${month}&format=xlsx`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(xlsx.status).toBe(200);
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe("PK");
  });
});
