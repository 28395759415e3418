import { describe, expect, it } from "vitest";
import { Actor, Audit, Auth, Operation, User } from "@waypoint/core";
import { AreaEntity } from "@waypoint/core/operation/operation.entity";
import { as, call, createTestOperation, system, testOperationCode } from "../support/fixtures.ts";

const SENEGAL = {
  name: "Sénégal",
  country: "SN",
  currency: "XOF",
  timeZone: "Africa/Dakar",
  languages: ["fr", "en"],
};

const GAZETTEER = [
  "pcode,name,parent_pcode,level",
  "SN01,Dakar,,1",
  "SN02,Diourbel,,1",
  "SN0101,Dakar,SN01,2",
  "SN0102,Guédiawaye,SN01,2",
  "SN0201,Bambey,SN02,2",
].join("\n");

const storedAreas = async (operationID: string) =>
  (await AreaEntity.query.primary({ operationID }).go({ pages: "all" })).data;

/** A new operation for Senegal, with a code of its own (codes are unique; only the first test uses SEN). */
async function newOperation(admin: { token: string }, body?: Record<string, unknown>) {
  body ??= { ...SENEGAL, code: await testOperationCode() };
  const res = await call("POST", "/api/operations", { token: admin.token, body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { operationID: string; version: number; code: string };
}

describe("operations", () => {
  it("an admin opens an operation for Senegal: listed with its country and time zone, and they become its admin", async () => {
    const t = await createTestOperation();
    const admin = t.users.admin;
    // the code defaults to the name's first letters (the only operation of the run with SEN)
    const op = await newOperation(admin, SENEGAL);
    expect(op).toMatchObject({
      country: "SN",
      currency: "XOF",
      timeZone: "Africa/Dakar",
      languages: ["fr", "en"],
      code: "SEN",
    });

    const list = await call("GET", "/api/operations", { token: admin.token });
    expect(list.status).toBe(200);
    const mine = list.json.items.find((o: { operationID: string }) => o.operationID === op.operationID);
    expect(mine).toMatchObject({ name: "Sénégal", country: "SN", timeZone: "Africa/Dakar" });
    // the operation switcher still lists the one they work in
    expect(list.json.items.some((o: { operationID: string }) => o.operationID === t.operationID)).toBe(true);

    const user = await as(system, () => User.get(admin.userID));
    expect(user.grants).toContainEqual({ operationID: op.operationID, role: "admin", officeIDs: [] });
    const stored = await as(system, () => Operation.get(op.operationID));
    expect(stored.timeZone).toBe("Africa/Dakar");
    const audit = await as({ ...admin.actor, operationID: op.operationID }, () =>
      Audit.history({ recordID: op.operationID }, { operationID: op.operationID }),
    );
    expect(audit.items.map((e: { action: string }) => e.action)).toContain("create");
  });

  it("refuses bad ISO codes, an unknown time zone and a language the app does not speak, field by field, and stores nothing", async () => {
    const t = await createTestOperation();
    const name = `Nowhere ${Date.now()}`;
    const res = await call("POST", "/api/operations", {
      token: t.users.admin.token,
      body: { name, country: "SEN", currency: "XXQ", timeZone: "Africa/Atlantis", languages: ["wo"] },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const paths = res.json.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(["country", "currency", "languages.0", "timeZone"]);
    // other test files create operations at the same time: look for this one by name, not at the count
    const all = await as(system, () => Operation.list());
    expect(all.some((o: { name: string }) => o.name === name)).toBe(false);

    const zz = await call("POST", "/api/operations", {
      token: t.users.admin.token,
      body: { ...SENEGAL, country: "ZZ" },
    });
    expect(zz.status).toBe(422);
    expect(zz.json.errors.map((e: { path: string }) => e.path)).toEqual(["country"]);
  });

  it("only admins open operations", async () => {
    const t = await createTestOperation();
    const res = await call("POST", "/api/operations", { token: t.users.supervisor.token, body: SENEGAL });
    expect(res.status).toBe(403);
  });

  it("edits an operation at its version: a stale edit is a conflict, the time zone follows", async () => {
    const t = await createTestOperation();
    const op = await newOperation(t.users.admin);
    const ok = await call("PATCH", `/api/operations/${op.operationID}`, {
      token: t.users.admin.token,
      body: { version: op.version, changes: { name: "Sénégal et Gambie", timeZone: "Africa/Banjul" } },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json).toMatchObject({
      name: "Sénégal et Gambie",
      timeZone: "Africa/Banjul",
      version: op.version + 1,
    });
    const stale = await call("PATCH", `/api/operations/${op.operationID}`, {
      token: t.users.admin.token,
      body: { version: op.version, changes: { name: "Again" } },
    });
    expect(stale.status).toBe(409);
    const country = await call("PATCH", `/api/operations/${op.operationID}`, {
      token: t.users.admin.token,
      body: { version: op.version + 1, changes: { country: "GM" } },
    });
    expect(country.status).toBe(422);
    expect((await as(system, () => Operation.get(op.operationID))).name).toBe("Sénégal et Gambie");
    // another operation's admin may not edit it
    const other = await createTestOperation();
    const refused = await call("PATCH", `/api/operations/${op.operationID}`, {
      token: other.users.admin.token,
      body: { version: op.version + 1, changes: { name: "Taken" } },
    });
    expect(refused.status).toBe(403);
  });
});

describe("administrative areas from a gazetteer", () => {
  it("a dry run reports what the file holds and stores nothing; the import stores it", async () => {
    const t = await createTestOperation();
    const op = await newOperation(t.users.admin);
    const dry = await call("POST", `/api/operations/${op.operationID}/areas/import`, {
      token: t.users.admin.token,
      body: { csv: GAZETTEER, dryRun: true },
    });
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, rows: 5, created: 5, stored: false, errors: [] });
    expect(dry.json.byLevel).toEqual({ "1": 2, "2": 3 });
    expect(await storedAreas(op.operationID)).toHaveLength(0);

    const real = await call("POST", `/api/operations/${op.operationID}/areas/import`, {
      token: t.users.admin.token,
      body: { csv: GAZETTEER },
    });
    expect(real.json).toMatchObject({ stored: true, created: 5, errors: [] });
    const areas = await storedAreas(op.operationID);
    expect(areas.map((a) => a.pcode).sort()).toEqual(["SN01", "SN0101", "SN0102", "SN02", "SN0201"]);
    expect(areas.find((a) => a.pcode === "SN0102")).toMatchObject({
      name: "Guédiawaye",
      level: 2,
      parent: "SN01",
    });
    expect((await as(system, () => Operation.get(op.operationID))).areaCount).toBe(5);
    const level2 = await call("GET", `/api/operations/${op.operationID}/areas?level=2`, {
      token: t.users.admin.token,
    });
    expect(level2.json.items.map((a: { pcode: string }) => a.pcode)).toEqual(["SN0101", "SN0102", "SN0201"]);
  });

  it("a duplicate p-code, an unknown parent, a wrong level and a bad code are row errors, and nothing is stored", async () => {
    const t = await createTestOperation();
    const op = await newOperation(t.users.admin);
    const csv = [
      "pcode,name,parent_pcode,level",
      "SN01,Dakar,,1",
      "SN01,Dakar again,,1",
      "SN0901,Nowhere,SN09,2",
      "SN0101,Dakar,SN01,3",
      "MX07,Chiapas,,1",
      "SN02,Diourbel,,1",
    ].join("\n");
    const res = await call("POST", `/api/operations/${op.operationID}/areas/import`, {
      token: t.users.admin.token,
      body: { csv },
    });
    expect(res.status).toBe(200);
    expect(res.json.stored).toBe(false);
    const errs = res.json.errors.map((e: { line: number; field: string; code: string }) => [
      e.line,
      e.field,
      e.code,
    ]);
    expect(errs).toEqual([
      [3, "pcode", "invalid.duplicate"],
      [4, "parent", "invalid.unknown_parent"],
      [5, "level", "invalid.level"],
      [6, "pcode", "invalid.pcode_country"],
    ]);
    expect(await storedAreas(op.operationID)).toHaveLength(0);
  });

  it("reads COD-AB columns (admin1Pcode, admin2Name_en…) and skips the HXL row", async () => {
    const t = await createTestOperation();
    const op = await newOperation(t.users.admin, {
      name: "Afghanistan",
      country: "AF",
      currency: "AFN",
      timeZone: "Asia/Kabul",
      languages: ["en"],
    });
    const csv = [
      "admin2Name_en,admin2Pcode,admin1Name_en,admin1Pcode,admin0Name_en,admin0Pcode",
      "#adm2+name,#adm2+code,#adm1+name,#adm1+code,#country+name,#country+code",
      "Kabul,AF0101,Kabul,AF01,Afghanistan,AF",
      "Paghman,AF0102,Kabul,AF01,Afghanistan,AF",
      "Hirat,AF3201,Hirat,AF32,Afghanistan,AF",
    ].join("\n");
    const res = await call("POST", `/api/operations/${op.operationID}/areas/import`, {
      token: t.users.admin.token,
      body: { csv },
    });
    expect(res.json, JSON.stringify(res.json.errors)).toMatchObject({ stored: true, created: 5, errors: [] });
    const areas = await storedAreas(op.operationID);
    expect(areas.find((a) => a.pcode === "AF3201")).toMatchObject({
      level: 2,
      parent: "AF32",
      name: "Hirat",
    });
    expect(areas.find((a) => a.pcode === "AF01")).toMatchObject({ level: 1, name: "Kabul" });
  });

  it("in a non-Mexican operation, an individual in an area outside its list is refused on that field; one inside is registered", async () => {
    const t = await createTestOperation();
    const op = await newOperation(t.users.admin);
    await call("POST", `/api/operations/${op.operationID}/areas/import`, {
      token: t.users.admin.token,
      body: { csv: GAZETTEER },
    });
    const office = await call("POST", `/api/operations/${op.operationID}/offices`, {
      token: t.users.admin.token,
      body: { code: "DKR", name: "Dakar", adm1: "SN01", adm2: "SN0101", rooms: [{ name: "Salle 1" }] },
    });
    expect(office.status, JSON.stringify(office.json)).toBe(201);
    expect(office.json.rooms).toEqual([{ name: "Salle 1" }]);
    // the creator signs in to the new operation
    const admin = await as(system, () => User.get(t.users.admin.userID));
    const { token, me } = await Auth.issue(admin, op.operationID);
    expect(me.timeZone).toBe("Africa/Dakar");
    const person = (adm1: string, adm2: string) => ({
      officeID: office.json.officeID,
      givenName: "Awa",
      familyName: `Diop ${adm2}`,
      sex: "female",
      dateOfBirth: "1990-04-02",
      nationality: "SEN",
      adm1,
      adm2,
    });
    const outside = await call("POST", "/api/individuals", { token, body: person("MX07", "MX07089") });
    expect(outside.status).toBe(422);
    expect(outside.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(["adm1", "adm2"]);
    const wrongParent = await call("POST", "/api/individuals", { token, body: person("SN02", "SN0101") });
    expect(wrongParent.status).toBe(422);
    expect(wrongParent.json.errors).toMatchObject([{ path: "adm2", code: "invalid.area_parent" }]);
    const inside = await call("POST", "/api/individuals", { token, body: person("SN01", "SN0102") });
    expect(inside.status, JSON.stringify(inside.json)).toBe(201);
    const badOffice = await call("POST", `/api/operations/${op.operationID}/offices`, {
      token: t.users.admin.token,
      body: { code: "XXX", name: "Elsewhere", adm1: "SN09" },
    });
    expect(badOffice.status).toBe(422);
    expect(badOffice.json.errors.map((e: { path: string }) => e.path)).toEqual(["adm1"]);
    void Actor;
  });
});
