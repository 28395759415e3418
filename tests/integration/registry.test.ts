import { beforeAll, describe, expect, it } from "vitest";
import { Individual } from "@waypoint/core";
import { seedIndividuals } from "../../packages/local/src/seed/scale.ts";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";

let op: TestOperation;
let seq = 0;

const CONSONANTS = "bdfklmnrs";
const VOWELS = "aeiou";
/** A pronounceable name whose phonetic key is random (4 consonants of distinct classes). */
function randomName(): string {
  let n = "";
  for (let i = 0; i < 4; i++)
    n += CONSONANTS[Math.floor(Math.random() * 9)]! + VOWELS[Math.floor(Math.random() * 5)]!;
  return n[0]!.toUpperCase() + n.slice(1);
}
const randomDate = () => {
  const d = new Date(Date.UTC(1950, 0, 1) + Math.random() * 60 * 365 * 86_400_000);
  return d.toISOString().slice(0, 10);
};

/** A person with a random name, birth date, phone and passport, so tests never trip over each other's duplicates. */
export function person(officeID: string, extra: Record<string, unknown> = {}) {
  seq += 1;
  return {
    givenName: randomName(),
    familyName: randomName(),
    sex: "female",
    dateOfBirth: randomDate(),
    nationality: "HND",
    languages: ["spa"],
    phone: `+52962${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
    documents: [
      { type: "passport", number: `P${Date.now().toString(36).toUpperCase()}${seq}`, country: "HND" },
    ],
    specificNeeds: ["WR", "SM-CI"],
    officeID,
    ...extra,
  };
}

const create = async (token: string, body: unknown) => call("POST", "/api/individuals", { token, body });

beforeAll(async () => {
  op = await createTestOperation();
});

describe("registering individuals", () => {
  it("registers a person with a readable registration number unique in the operation", async () => {
    const res = await create(op.users.caseworker.token, person(op.officeA));
    expect(res.status).toBe(201);
    expect(res.json.registrationNumber).toMatch(/^T[0-9A-Z]{3}-TAP-\d{2}-\d{6}$/);
    expect(res.json.version).toBe(1);
    const again = await create(op.users.caseworker.token, person(op.officeA));
    expect(again.json.registrationNumber).not.toBe(res.json.registrationNumber);
    const stored = await call("GET", `/api/individuals/${res.json.individualID}`, {
      token: op.users.caseworker.token,
    });
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({
      givenName: res.json.givenName,
      specificNeeds: ["WR", "SM-CI"],
      specificNeedsVersion: "2026.1",
    });
  });

  it("refuses bad input with field paths and stores nothing", async () => {
    const before = await as(op.users.admin.actor, () => Individual.list({ limit: 1000 }));
    const res = await create(op.users.caseworker.token, {
      ...person(op.officeA),
      sex: "f",
      nationality: "Honduras",
      phone: "5512345",
      specificNeeds: ["XX"],
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const paths = res.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["sex", "nationality", "phone", "specificNeeds.0"]));
    const after = await as(op.users.admin.actor, () => Individual.list({ limit: 1000 }));
    expect(after.items.length).toBe(before.items.length);
  });

  it("takes only assigned ISO 3166 nationalities (and the stateless and refugee codes of travel documents)", async () => {
    // three capital letters are not enough: XYZ and MXC name no country
    for (const nationality of ["XYZ", "MXC"]) {
      const res = await create(op.users.caseworker.token, { ...person(op.officeA), nationality });
      expect(res.status, nationality).toBe(422);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(["nationality"]);
    }
    for (const nationality of ["SSD", "XXA", "XKX"]) {
      const res = await create(op.users.caseworker.token, { ...person(op.officeA), nationality });
      expect(res.status, nationality).toBe(201);
      expect(res.json.nationality).toBe(nationality);
    }
  });
});

describe("registering individuals: birth data", () => {
  it("needs a date of birth or an estimated age", async () => {
    const { dateOfBirth: _d, ...rest } = person(op.officeA);
    const res = await create(op.users.caseworker.token, rest);
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: "dateOfBirth" })]);
    const ok = await create(op.users.caseworker.token, { ...rest, estimatedAge: 34 });
    expect(ok.status).toBe(201);
    expect(ok.json.estimatedAge).toBe(34);
  });

  it("refuses an office of another operation", async () => {
    const other = await createTestOperation();
    const res = await create(op.users.admin.token, person(other.officeA));
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe("officeID");
  });
});

describe("concurrent edits", () => {
  it("two users edit the same individual: the stale one gets 409 with the current record, nothing is lost", async () => {
    const made = await create(op.users.caseworker.token, person(op.officeA));
    const id = made.json.individualID;
    const first = await call("PATCH", `/api/individuals/${id}`, {
      token: op.users.caseworker.token,
      body: { version: 1, changes: { givenName: "Ana Lucía" } },
    });
    expect(first.status).toBe(200);
    expect(first.json.version).toBe(2);
    const stale = await call("PATCH", `/api/individuals/${id}`, {
      token: op.users.supervisor.token,
      body: { version: 1, changes: { phone: "+529621234567" } },
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toContain("application/problem+json");
    expect(stale.json.current).toMatchObject({ individualID: id, version: 2, givenName: "Ana Lucía" });
    const retry = await call("PATCH", `/api/individuals/${id}`, {
      token: op.users.supervisor.token,
      body: { version: stale.json.current.version, changes: { phone: "+529621234567" } },
    });
    expect(retry.status).toBe(200);
    const stored = await call("GET", `/api/individuals/${id}`, { token: op.users.caseworker.token });
    expect(stored.json).toMatchObject({ givenName: "Ana Lucía", phone: "+529621234567", version: 3 });
  });

  it("clears a field with null and keeps the rest", async () => {
    const made = await create(op.users.caseworker.token, person(op.officeA));
    const res = await call("PATCH", `/api/individuals/${made.json.individualID}`, {
      token: op.users.caseworker.token,
      body: { version: 1, changes: { phone: null, specificNeeds: ["SP"] } },
    });
    expect(res.json).toMatchObject({ version: 2 });
    expect(res.status).toBe(200);
    const stored = await call("GET", `/api/individuals/${made.json.individualID}`, {
      token: op.users.caseworker.token,
    });
    expect(stored.json.phone).toBeUndefined();
    expect(stored.json.specificNeeds).toEqual(["SP"]);
    expect(stored.json.givenName).toBe(made.json.givenName);
  });
});

describe("bulk editing from the grid", () => {
  it("saves exactly 980 of 1,000 rows when 10 conflict and 10 are invalid, and stores nothing invalid", async () => {
    const bulkOp = await createTestOperation();
    const token = bulkOp.users.admin.token;
    // 1,000 registrations written the way `npx waypoint seed --individuals` writes them (same records and keys)
    await as(system, () =>
      seedIndividuals(1000, () => undefined, {
        operationID: bulkOp.operationID,
        officeIDs: [bulkOp.officeA],
        seed: 3,
      }),
    );
    const ids: string[] = [];
    let page: { items: Individual.Info[]; nextCursor: string | null } | undefined;
    do {
      page = await as(bulkOp.users.admin.actor, () =>
        Individual.list({ limit: 1000, cursor: page?.nextCursor ?? undefined }),
      );
      ids.push(...page.items.map((r) => r.individualID));
    } while (page.nextCursor);
    expect(ids).toHaveLength(1000);

    // someone else edits ten of them first
    const stale = ids.slice(0, 10);
    for (const id of stale)
      await as(bulkOp.users.supervisor.actor, () => Individual.patch(id, 1, { legalStatus: "refugee" }));

    const invalid = new Set(ids.slice(10, 20));
    const patch = ids.map((id) => ({
      id,
      version: 1,
      changes: invalid.has(id)
        ? { dateOfBirth: "1990-13-45", languages: ["Spanish"] }
        : { legalStatus: "asylum_seeker", interpreterNeeded: true },
    }));
    const res = await call("PATCH", "/api/individuals", { token, body: { rows: patch } });
    expect(res.status).toBe(200);
    expect(res.json.summary).toEqual({ saved: 980, conflict: 10, invalid: 10 });
    const byId = new Map(res.json.results.map((r: { id: string }) => [r.id, r]));
    expect(byId.get(stale[0]!)).toMatchObject({
      status: "conflict",
      current: { legalStatus: "refugee", version: 2 },
    });
    const bad = res.json.results.findIndex((r: { status: string }) => r.status === "invalid");
    expect(res.json.results[bad].issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining([`rows.${bad}.changes.dateOfBirth`, `rows.${bad}.changes.languages.0`]),
    );

    const stored = new Map<string, Individual.Info>();
    let cursor: string | undefined;
    do {
      const page = await as(bulkOp.users.admin.actor, () => Individual.list({ limit: 400, cursor }));
      for (const r of page.items) stored.set(r.individualID, r);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(stored.size).toBe(1000);
    const states = [...stored.values()];
    expect(
      states.filter((r) => r.legalStatus === "asylum_seeker" && r.interpreterNeeded && r.version === 2),
    ).toHaveLength(980);
    expect(states.filter((r) => r.legalStatus === "refugee" && r.version === 2)).toHaveLength(10);
    expect(
      states
        .filter((r) => r.version === 1)
        .map((r) => r.individualID)
        .sort(),
    ).toHaveLength(10);
  }, 300_000);

  it("answers per row for rows outside the actor's scope or missing", async () => {
    const a = await create(op.users.caseworker.token, person(op.officeA));
    const res = await call("PATCH", "/api/individuals", {
      token: op.caseworkerB.token,
      body: {
        rows: [
          { id: a.json.individualID, version: 1, changes: { givenName: "X" } },
          { id: "ind_01JZZZZZZZZZZZZZZZZZZZZZZZ", version: 1, changes: { givenName: "X" } },
        ],
      },
    });
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(["not_found", "not_found"]);
    const viewer = await call("PATCH", "/api/individuals", {
      token: op.users.viewer.token,
      body: { rows: [{ id: a.json.individualID, version: 1, changes: { givenName: "X" } }] },
    });
    expect(viewer.json.results[0].status).toBe("forbidden");
    const stored = await call("GET", `/api/individuals/${a.json.individualID}`, {
      token: op.users.caseworker.token,
    });
    expect(stored.json).toMatchObject({ givenName: a.json.givenName, version: 1 });
  });
});

describe("scope and field restrictions", () => {
  it("a caseworker of office B neither sees nor lists office A's individuals", async () => {
    const a = await create(op.users.caseworker.token, person(op.officeA));
    const b = await create(op.caseworkerB.token, person(op.officeB));
    expect(b.status).toBe(201);
    const get = await call("GET", `/api/individuals/${a.json.individualID}`, { token: op.caseworkerB.token });
    expect(get.status).toBe(404);
    const list = await call("GET", "/api/individuals?limit=1000", { token: op.caseworkerB.token });
    expect(list.status).toBe(200);
    const offices = new Set(list.json.items.map((r: { officeID: string }) => r.officeID));
    expect([...offices]).toEqual([op.officeB]);
    const named = await call("GET", `/api/individuals?q=${encodeURIComponent(a.json.familyName)}`, {
      token: op.caseworkerB.token,
    });
    expect(named.json.items).toEqual([]);
    const other = await call("GET", `/api/individuals?officeID=${op.officeA}`, {
      token: op.caseworkerB.token,
    });
    expect(other.status).toBe(403);
    const write = await create(op.caseworkerB.token, person(op.officeA));
    expect(write.status).toBe(403);
    const admin = await call("GET", `/api/individuals/${a.json.individualID}`, {
      token: op.users.admin.token,
    });
    expect(admin.status).toBe(200);
  });

  it("moving a person to another office moves them between the offices' lists; a caseworker cannot move someone out of reach", async () => {
    const a = await create(op.users.supervisor.token, person(op.officeA));
    const id = a.json.individualID;
    const refused = await call("PATCH", `/api/individuals/${id}`, {
      token: op.users.caseworker.token,
      body: { version: 1, changes: { officeID: op.officeB } },
    });
    expect(refused.status).toBe(403);
    const moved = await call("PATCH", `/api/individuals/${id}`, {
      token: op.users.admin.token,
      body: { version: 1, changes: { officeID: op.officeB, familyName: "Reubicada" } },
    });
    expect(moved.status).toBe(200);
    const listB = await call("GET", "/api/individuals?limit=1000", { token: op.caseworkerB.token });
    expect(listB.json.items.map((r: { individualID: string }) => r.individualID)).toContain(id);
    const listA = await call("GET", "/api/individuals?limit=1000", { token: op.users.caseworker.token });
    expect(listA.json.items.map((r: { individualID: string }) => r.individualID)).not.toContain(id);
    const byName = await call("GET", "/api/individuals?q=reubic", { token: op.caseworkerB.token });
    expect(byName.json.items.map((r: { individualID: string }) => r.individualID)).toEqual([id]);
  });

  it("viewers and finance get records without the fields their role may not see", async () => {
    const a = await create(op.users.caseworker.token, person(op.officeA, { specificNeeds: ["SV", "WR"] }));
    const viewer = await call("GET", `/api/individuals/${a.json.individualID}`, {
      token: op.users.viewer.token,
    });
    expect(viewer.status).toBe(200);
    expect(viewer.json.givenName).toBe(a.json.givenName);
    for (const f of ["phone", "documents", "specificNeeds", "consent"])
      expect(viewer.json).not.toHaveProperty(f);
    expect(viewer.json.redacted).toEqual(expect.arrayContaining(["phone", "documents", "specificNeeds"]));
    const listed = await call("GET", `/api/individuals?q=${encodeURIComponent(a.json.familyName)}`, {
      token: op.users.viewer.token,
    });
    expect(listed.json.items).toHaveLength(1);
    expect(listed.json.items[0]).not.toHaveProperty("specificNeeds");
    expect(listed.json.items[0]).not.toHaveProperty("phone");
    const finance = await call("GET", `/api/individuals/${a.json.individualID}`, {
      token: op.users.finance.token,
    });
    expect(finance.json.phone).toBe(a.json.phone);
    expect(finance.json).not.toHaveProperty("documents");
    expect(finance.json).not.toHaveProperty("specificNeeds");
    const interpreter = await call("GET", `/api/individuals/${a.json.individualID}`, {
      token: op.users.interpreter.token,
    });
    expect(interpreter.status).toBe(403);
    const interpreterList = await call("GET", "/api/individuals", { token: op.users.interpreter.token });
    expect(interpreterList.status).toBe(403);
    const patch = await call("PATCH", `/api/individuals/${a.json.individualID}`, {
      token: op.users.viewer.token,
      body: { version: 1, changes: { givenName: "X" } },
    });
    expect(patch.status).toBe(403);
  });
});

describe("lists for the grid", () => {
  it("pages by name prefix with signed cursors, no gaps and no repeats; a tampered cursor is refused", async () => {
    const listOp = await createTestOperation();
    const token = listOp.users.caseworker.token;
    for (let i = 0; i < 7; i++)
      await create(
        token,
        person(listOp.officeA, {
          familyName: `Zamora${"bcdfghj"[i]}q`,
          givenName: randomName(),
          phone: undefined,
          documents: [],
        }),
      );
    await create(token, person(listOp.officeA, { familyName: "Alvarez", phone: undefined, documents: [] }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof call>> = await call(
        "GET",
        `/api/individuals?q=zamora&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { token },
      );
      expect(res.status).toBe(200);
      seen.push(...res.json.items.map((r: { familyName: string }) => r.familyName));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual([
      "Zamorabq",
      "Zamoracq",
      "Zamoradq",
      "Zamorafq",
      "Zamoragq",
      "Zamorahq",
      "Zamorajq",
    ]);
    expect(pages).toBe(3);
    const first = await call("GET", "/api/individuals?q=zamora&limit=3", { token });
    // a character in the middle: the last base64 character may carry padding bits that decode to the same bytes
    const c0: string = first.json.nextCursor;
    const at = Math.floor(c0.length / 2);
    const forged = `${c0.slice(0, at)}${c0[at] === "A" ? "B" : "A"}${c0.slice(at + 1)}`;
    const bad = await call("GET", `/api/individuals?q=zamora&limit=3&cursor=${encodeURIComponent(forged)}`, {
      token,
    });
    expect(bad.status).toBe(422);
    const otherQuery = await call(
      "GET",
      `/api/individuals?q=alv&limit=3&cursor=${encodeURIComponent(first.json.nextCursor)}`,
      { token },
    );
    expect(otherQuery.status).toBe(422);
  });

  it("returns only what changed since a time (deleted records as tombstones), and filters by status and household", async () => {
    const listOp = await createTestOperation();
    const token = listOp.users.supervisor.token;
    const old = await create(token, person(listOp.officeA));
    const gone = await create(token, person(listOp.officeA));
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const fresh = await create(token, person(listOp.officeA, { status: "inactive" }));
    const del = await call(
      "DELETE",
      `/api/individuals/${gone.json.individualID}?version=1&reason=registered%20twice`,
      { token },
    );
    expect(del.status).toBe(200);
    const changed = await call("GET", `/api/individuals?updatedSince=${encodeURIComponent(since)}`, {
      token,
    });
    const ids = changed.json.items.map((r: { individualID: string }) => r.individualID).sort();
    expect(ids).toEqual([fresh.json.individualID, gone.json.individualID].sort());
    expect(
      changed.json.items.find((r: { individualID: string }) => r.individualID === gone.json.individualID)
        .deleted,
    ).toBe(true);
    const all = await call("GET", "/api/individuals", { token });
    expect(all.json.items.map((r: { individualID: string }) => r.individualID).sort()).toEqual(
      [old.json.individualID, fresh.json.individualID].sort(),
    );
    const inactive = await call("GET", "/api/individuals?status=inactive", { token });
    expect(inactive.json.items.map((r: { individualID: string }) => r.individualID)).toEqual([
      fresh.json.individualID,
    ]);
    const getGone = await call("GET", `/api/individuals/${gone.json.individualID}`, {
      token: listOp.users.caseworker.token,
    });
    expect(getGone.status).toBe(404);
  });
});

describe("audit", () => {
  it("records who changed what with before/after, readable by whoever may read the person, not by an interpreter", async () => {
    const made = await create(op.users.caseworker.token, person(op.officeA));
    const id = made.json.individualID;
    await call("PATCH", `/api/individuals/${id}`, {
      token: op.users.caseworker.token,
      body: { version: 1, changes: { legalStatus: "refugee", givenName: "Marta" } },
    });
    const denied = await call("GET", `/api/individuals/${id}/history`, { token: op.users.interpreter.token });
    expect(denied.status).toBe(403);
    const own = await call("GET", `/api/individuals/${id}/history`, { token: op.users.caseworker.token });
    expect(own.status).toBe(200);
    const res = await call("GET", `/api/individuals/${id}/history`, { token: op.users.supervisor.token });
    expect(res.status).toBe(200);
    expect(res.json.items.map((e: { action: string }) => e.action)).toEqual(["create", "update"]);
    const update = res.json.items[1];
    expect(update.actorID).toBe(op.users.caseworker.userID);
    expect(update.changes).toEqual({
      legalStatus: { before: "unknown", after: "refugee" },
      givenName: { before: made.json.givenName, after: "Marta" },
    });
  });
});

describe("households", () => {
  it("keeps size with membership, requires the head to be a member, and refuses deleting a household with members", async () => {
    const token = op.users.caseworker.token;
    const hh = await call("POST", "/api/households", {
      token,
      body: { officeID: op.officeA, adm1: "MX07", adm2: "MX07089" },
    });
    expect(hh.status).toBe(201);
    expect(hh.json.registrationNumber).toMatch(/-TAP-\d{2}-H\d{5}$/);
    const hid = hh.json.householdID;
    const outsider = await create(token, person(op.officeA));
    const badHead = await call("PATCH", `/api/households/${hid}`, {
      token,
      body: { version: 1, changes: { headID: outsider.json.individualID } },
    });
    expect(badHead.status).toBe(422);
    expect(badHead.json.errors[0].path).toBe("headID");
    const head = await create(token, person(op.officeA, { householdID: hid, relationshipToHead: "head" }));
    const child = await create(
      token,
      person(op.officeA, { householdID: hid, relationshipToHead: "child", dateOfBirth: "2015-02-01" }),
    );
    expect(child.status).toBe(201);
    const setHead = await call("PATCH", `/api/households/${hid}`, {
      token,
      body: { version: 1, changes: { headID: head.json.individualID } },
    });
    expect(setHead.status).toBe(200);
    let stored = await call("GET", `/api/households/${hid}`, { token });
    expect(stored.json).toMatchObject({ size: 2, headID: head.json.individualID, version: 2 });
    const members = await call("GET", `/api/individuals?householdID=${hid}`, { token });
    expect(members.json.items.map((r: { individualID: string }) => r.individualID).sort()).toEqual(
      [head.json.individualID, child.json.individualID].sort(),
    );
    await call("PATCH", `/api/individuals/${child.json.individualID}`, {
      token,
      body: { version: 1, changes: { householdID: null } },
    });
    stored = await call("GET", `/api/households/${hid}`, { token });
    expect(stored.json.size).toBe(1);
    const del = await call("DELETE", `/api/households/${hid}?version=2`, {
      token: op.users.supervisor.token,
    });
    expect(del.status).toBe(409);
    const bogus = await create(token, person(op.officeA, { householdID: "hh_01JZZZZZZZZZZZZZZZZZZZZZZZ" }));
    expect(bogus.status).toBe(422);
    expect(bogus.json.errors[0].path).toBe("householdID");
  });

  it("bulk-edits households per row", async () => {
    const token = op.users.caseworker.token;
    const made = await call("POST", "/api/households", {
      token,
      body: {
        rows: [
          { ref: "a", values: { officeID: op.officeA } },
          { ref: "b", values: { officeID: "nope" } },
        ],
      },
    });
    expect(made.json.summary).toEqual({ created: 1, invalid: 1 });
    const id = made.json.results[0].id;
    const res = await call("PATCH", "/api/households", {
      token,
      body: {
        rows: [
          { id, version: 1, changes: { address: "Calle 5 #12, Tapachula" } },
          { id, version: 1, changes: { adm1: "not a code" } },
        ],
      },
    });
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(["saved", "invalid"]);
    expect(res.json.results[1].issues[0].path).toBe("rows.1.changes.adm1");
  });
});

describe("openapi", () => {
  it("documents the registry routes", async () => {
    const res = await call("GET", "/api/openapi.json");
    for (const p of [
      "/individuals",
      "/individuals/{id}",
      "/individuals/duplicates",
      "/individuals/{id}/history",
      "/households",
      "/households/{id}",
    ])
      expect(Object.keys(res.json.paths)).toContain(p);
    expect(Object.keys(res.json.paths["/individuals"])).toEqual(
      expect.arrayContaining(["get", "post", "patch"]),
    );
  });
});
