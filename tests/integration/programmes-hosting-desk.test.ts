import { describe, expect, it } from "vitest";
import { app } from "@waypoint/functions";
import { CodeOfConduct } from "@waypoint/schema";
import { call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { extraUser, people } from "../support/programmes.ts";

const tomorrow = () => new Date(Date.now() + 3 * 864e5).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 864e5).toISOString().slice(0, 10);

async function host(op: TestOperation, name: string, capacity: number, adm2: string, extra: object = {}) {
  const res = await call("POST", "/api/hosts", {
    token: op.users.caseworker.token,
    body: {
      officeID: op.officeA,
      kind: "family",
      name,
      capacity,
      adm1: "MX07",
      adm2,
      contractStart: daysAgo(200),
      contractEnd: new Date(Date.now() + 200 * 864e5).toISOString().slice(0, 10),
      visitEveryDays: 30,
      ...extra,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}
const paths = (res: { json: { errors?: { path: string }[] } }) => (res.json.errors ?? []).map((e) => e.path);

describe("hosting desk", () => {
  it("finds hosts with free places nearest first, and concurrent placements never take more than the free places", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const near = await host(op, "Familia Cercana", 2, "MX07089");
    const region = await host(op, "Albergue Regional", 5, "MX07001");
    await host(op, "Familia Lejana", 3, "MX05002", { adm1: "MX05" });
    const found = await call("GET", "/api/hosting/available?adm1=MX07&adm2=MX07089", { token });
    expect(found.status, JSON.stringify(found.json)).toBe(200);
    expect(found.json.items.map((h: { name: string }) => h.name)).toEqual(["Familia Cercana", "Albergue Regional"]);
    expect(found.json.items[0]).toMatchObject({ free: 2, nearness: 2 });

    // two caseworkers place five people at once with the near host: exactly its two places are taken
    const other = await extraUser(op, "caseworker");
    const ppl = await people(op, Array.from({ length: 5 }, (_, i) => ({ age: 20 + i })));
    const results = await Promise.all(
      ppl.map((p, i) =>
        call("POST", "/api/placements", {
          token: i % 2 ? other.token : token,
          body: { hostID: near.hostID, individualID: p.individualID, start: daysAgo(1), reason: "uasc" },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.json?.code === "host.full")).toHaveLength(3);
    expect((await call("GET", `/api/hosts/${near.hostID}`, { token })).json.occupied).toBe(2);
    const after = await call("GET", "/api/hosting/available?adm1=MX07&adm2=MX07089", { token });
    expect(after.json.items.map((h: { hostID: string }) => h.hostID)).toEqual([region.hostID]);
    const two = await call("GET", "/api/hosting/available?adm1=MX07&places=6", { token });
    expect(two.json.items).toEqual([]);

    // the desk's list of placements names the host
    const active = await call("GET", `/api/hosting/placements?officeID=${op.officeA}`, { token });
    expect(active.json.items).toHaveLength(2);
    expect(active.json.items[0].hostName).toBe("Familia Cercana");
  });

  it("refuses dates in the future for what already happened: a placement's end, a visit done, a signed code of conduct", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const signedLater = await call("POST", "/api/hosts", {
      token,
      body: {
        officeID: op.officeA,
        kind: "family",
        name: "Familia Futura",
        capacity: 2,
        adm1: "MX07",
        contractStart: daysAgo(10),
        contractEnd: tomorrow(),
        codeOfConductSigned: tomorrow(),
      },
    });
    expect(signedLater.status).toBe(422);
    expect(paths(signedLater)).toContain("codeOfConductSigned");
    const h = await host(op, "Familia Presente", 2, "MX07089");
    const [p] = await people(op, [{ age: 30 }]);
    const placed = await call("POST", "/api/placements", {
      token,
      body: { hostID: h.hostID, individualID: p!.individualID, start: daysAgo(5) },
    });
    const ending = await call("POST", `/api/placements/${placed.json.placementID}/end`, {
      token,
      body: { end: tomorrow(), endReason: "moved", version: placed.json.version },
    });
    expect(ending.status).toBe(422);
    expect(paths(ending)).toContain("end");
    const [visit] = (
      await call("POST", `/api/hosts/${h.hostID}/visits`, { token, body: { from: daysAgo(3), count: 1 } })
    ).json.items;
    const done = await call("POST", `/api/host-visits/${visit.visitID}/complete`, {
      token,
      body: { date: tomorrow(), findings: "All well", version: 1 },
    });
    expect(done.status).toBe(422);
    expect(paths(done)).toContain("date");
    // nothing was stored by the refused calls
    expect((await call("GET", `/api/hosts/${h.hostID}/placements`, { token })).json.items[0].status).toBe("active");
    expect((await call("GET", `/api/hosts/${h.hostID}/visits`, { token })).json.items[0].status).toBe("scheduled");
  });

  it("puts a visit that found a code-of-conduct item not met in the supervisor's queue, until a supervisor other than the visitor reviews it", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const sup = op.users.supervisor.token;
    const h = await host(op, "Familia Revisada", 2, "MX07089");
    const [visit, second] = (
      await call("POST", `/api/hosts/${h.hostID}/visits`, { token, body: { from: daysAgo(40), count: 2 } })
    ).json.items;
    // a monitoring visit that checked two items, one not met
    const done = await call("POST", `/api/host-visits/${visit.visitID}/complete`, {
      token,
      body: {
        date: daysAgo(1),
        findings: "The guest is asked to pay rent",
        checklist: [
          { item: "safe_accommodation", met: true },
          { item: "no_payment_from_guests", met: false, note: "Asked for rent" },
        ],
        version: 1,
      },
    });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json.review).toBe("pending");
    // a visit with every item met does not go to the queue
    const fine = await call("POST", `/api/host-visits/${second.visitID}/complete`, {
      token,
      body: {
        date: daysAgo(1),
        findings: "All well",
        checklist: CodeOfConduct.map((item) => ({ item, met: true })),
        version: 1,
      },
    });
    expect(fine.json.review).toBeUndefined();
    const queue = await call("GET", "/api/host-visits/reviews", { token: sup });
    expect(queue.status, JSON.stringify(queue.json)).toBe(200);
    expect(queue.json.items.map((v: { visitID: string }) => v.visitID)).toEqual([visit.visitID]);
    expect(queue.json.items[0].hostName).toBe("Familia Revisada");
    // caseworkers do not review; a supervisor who made the visit does not review it either
    expect((await call("GET", "/api/host-visits/reviews", { token })).status).toBe(403);
    const supVisitor = await extraUser(op, "supervisor");
    const [third] = (
      await call("POST", `/api/hosts/${h.hostID}/visits`, { token, body: { from: daysAgo(2), count: 1 } })
    ).json.items;
    const own = await call("POST", `/api/host-visits/${third.visitID}/complete`, {
      token: supVisitor.token,
      body: { date: daysAgo(0), findings: "Child works in the shop", checklist: [{ item: "no_child_labour", met: false }], version: 1 },
    });
    expect(own.json.review).toBe("pending");
    const mine = await call("GET", "/api/host-visits/reviews", { token: supVisitor.token });
    expect(mine.json.items.map((v: { visitID: string }) => v.visitID)).toEqual([visit.visitID]);
    const selfReview = await call("POST", `/api/host-visits/${third.visitID}/review`, {
      token: supVisitor.token,
      body: { note: "Spoke with the host", version: own.json.version },
    });
    expect(selfReview.json.code).toBe("visit.ownReview");
    const reviewed = await call("POST", `/api/host-visits/${visit.visitID}/review`, {
      token: sup,
      body: { note: "Warned the host; follow-up visit next week", version: done.json.version },
    });
    expect(reviewed.status, JSON.stringify(reviewed.json)).toBe(200);
    const stored = (await call("GET", `/api/hosts/${h.hostID}/visits`, { token })).json.items.find(
      (v: { visitID: string }) => v.visitID === visit.visitID,
    );
    expect(stored).toMatchObject({ review: "reviewed", reviewedBy: op.users.supervisor.userID });
    const left = await call("GET", "/api/host-visits/reviews", { token: sup });
    expect(left.json.items.map((v: { visitID: string }) => v.visitID)).toEqual([third.visitID]);
  });

  it("lists the office's visits between two days with overdue ones marked", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const h = await host(op, "Familia Calendario", 2, "MX07089");
    await call("POST", `/api/hosts/${h.hostID}/visits`, { token, body: { from: daysAgo(35), count: 3 } });
    const res = await call("GET", `/api/host-visits?officeID=${op.officeA}&from=${daysAgo(60)}&to=${tomorrow()}`, {
      token,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.items.map((v: { overdue: boolean }) => v.overdue)).toEqual([true, true]);
    expect(res.json.items[0].hostName).toBe("Familia Calendario");
  });

  it("keeps a host's contract as a file: uploaded through a link, listed, downloaded by those who read the host", async () => {
    const op = await createTestOperation();
    const token = op.users.caseworker.token;
    const h = await host(op, "Familia Contrato", 2, "MX07089");
    const link = await call("POST", `/api/hosts/${h.hostID}/files/uploads`, {
      token,
      body: { fileName: "contrato firmado.pdf", contentType: "application/pdf" },
    });
    expect(link.status, JSON.stringify(link.json)).toBe(200);
    const content = "%PDF-1.4 contract";
    const put = await app.request(link.json.upload.url, {
      method: "PUT",
      headers: link.json.upload.headers,
      body: content,
    });
    expect(put.status).toBe(204);
    const done = await call("POST", `/api/hosts/${h.hostID}/files`, {
      token,
      body: { ticket: link.json.ticket, kind: "contract", title: "Contrato 2026" },
    });
    expect(done.status, JSON.stringify(done.json)).toBe(201);
    expect(done.json).toMatchObject({ kind: "contract", fileName: "contrato firmado.pdf", size: content.length });
    expect(done.json.storageKey).toBeUndefined();
    const list = await call("GET", `/api/hosts/${h.hostID}/files`, { token: op.users.viewer.token });
    expect(list.json.items.map((f: { title: string }) => f.title)).toEqual(["Contrato 2026"]);
    const got = await call("GET", `/api/hosts/${h.hostID}/files/${done.json.fileID}/content`, {
      token: op.users.viewer.token,
    });
    expect(got.text).toBe(content);
    // a viewer may read but not add files; office B's caseworker sees nothing of office A's host
    const refused = await call("POST", `/api/hosts/${h.hostID}/files/uploads`, {
      token: op.users.viewer.token,
      body: { fileName: "x.pdf", contentType: "application/pdf" },
    });
    expect(refused.status).toBe(403);
    expect((await call("GET", `/api/hosts/${h.hostID}/files`, { token: op.caseworkerB.token })).status).toBe(403);
    // a ticket is for the host it was given for
    const h2 = await host(op, "Otra Familia", 2, "MX07089");
    const stolen = await call("POST", `/api/hosts/${h2.hostID}/files`, {
      token,
      body: { ticket: link.json.ticket, kind: "contract", title: "Copia" },
    });
    expect(stolen.status).toBe(422);
  });
});
