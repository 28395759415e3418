import { beforeAll, describe, expect, it } from "vitest";
import { Audit, Dedupe, Individual } from "@waypoint/core";
import { nameTokens, phoneticKey } from "@waypoint/core/dedupe/phonetic";
import { labelToCode, SpecificNeedsCodes, SexLabels, coerceIndividualCell } from "@waypoint/schema";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let op: TestOperation;
beforeAll(async () => {
  op = await createTestOperation();
});

const register = (token: string, body: unknown) => call("POST", "/api/individuals", { token, body });

describe("phonetic key", () => {
  it.each([
    ["Mohammed", "Muhammad", "Mohamed", "Mohamad", "Muhamed"],
    ["Yusuf", "Youssef", "Yousef"],
    ["Jean", "Jan"],
    ["Khalid", "Jalid", "Khaled"],
    ["Hernández", "Hernandez", "Hernandes"],
    ["Abdullah", "Abdulla", "Abdallah"],
    ["Walid", "Oualid"],
    ["Castillo", "Castiyo"],
    ["Cristina", "Christina", "Kristina"],
  ])("spells %s and its transliterations the same", (...names) => {
    const keys = new Set(names.map(phoneticKey));
    expect(keys.size).toBe(1);
  });

  it("keeps different names apart; names differing only in vowels share a key and the scorer separates them", () => {
    const apart = [
      ["Maria", "Marta"],
      ["Omar", "Samir"],
      ["Ahmad", "Hamid"],
      ["Rosa", "Luis"],
      ["Jose", "Juan"],
      ["Fatima", "Farida"],
    ];
    for (const [a, b] of apart) expect(phoneticKey(a!)).not.toBe(phoneticKey(b!));
    expect(phoneticKey("Maria")).toBe(phoneticKey("Mario"));
    const p = { operationID: "x", familyName: "Lopez Diaz", dateOfBirth: "1990-01-01", nationality: "HND" };
    const siblings = Dedupe.score(
      { ...p, givenName: "Maria", sex: "female" },
      { ...p, givenName: "Mario", sex: "male", dateOfBirth: "1993-05-01" },
    );
    expect(siblings.score).toBeLessThan(Dedupe.POSSIBLE);
  });

  it("drops particles and joins abd al- compounds, whatever the word order", () => {
    expect(nameTokens("Abd al-Rahman", "Al-Hassan")).toEqual(["abdulrahman", "hassan"]);
    expect(nameTokens("José María", "de la Cruz")).toEqual(["jose", "maria", "cruz"]);
  });

  it("scores a reordered, transliterated name with the same birth date as a strong candidate, and a far birth year not at all", () => {
    const a = {
      operationID: "x",
      givenName: "Mohammed",
      familyName: "Al-Hassan",
      sex: "male",
      dateOfBirth: "1988-03-01",
      nationality: "SYR",
    };
    const strong = Dedupe.score(a, { ...a, givenName: "Hassan", familyName: "Muhammad" });
    expect(strong.score).toBeGreaterThanOrEqual(Dedupe.STRONG);
    expect(strong.reasons).toEqual(expect.arrayContaining(["name.phonetic", "dob.exact"]));
    const transposed = Dedupe.score(a, { ...a, dateOfBirth: "1988-01-03" });
    expect(transposed.reasons).toContain("dob.transposed");
    const far = Dedupe.score(a, { ...a, dateOfBirth: "1975-03-01" });
    expect(far.score).toBeLessThan(Dedupe.POSSIBLE);
  });
});

describe("duplicate detection at registration", () => {
  it("blocks a registration reusing a passport number; a supervisor may override with a reason, which is audited", async () => {
    const first = await register(op.users.caseworker.token, {
      givenName: "Rosa Elena",
      familyName: "Martínez López",
      sex: "female",
      dateOfBirth: "1991-07-22",
      nationality: "HND",
      documents: [{ type: "passport", number: "G1234567", country: "HND" }],
      officeID: op.officeA,
    });
    expect(first.status).toBe(201);
    const attempt = {
      givenName: "Carla",
      familyName: "Suazo",
      sex: "female",
      dateOfBirth: "1993-01-02",
      nationality: "HND",
      documents: [{ type: "passport", number: "g-123 4567", country: "HND" }],
      officeID: op.officeA,
    };
    const before = await as(op.users.admin.actor, () => Individual.list({ limit: 1000 }));
    const blocked = await register(op.users.caseworker.token, attempt);
    expect(blocked.status).toBe(409);
    expect(blocked.json.code).toBe("duplicate");
    expect(blocked.json.current.candidates[0]).toMatchObject({
      individualID: first.json.individualID,
      strength: "strong",
      reasons: expect.arrayContaining(["document.passport"]),
    });
    const notAllowed = await register(op.users.caseworker.token, {
      ...attempt,
      overrideDuplicates: { reason: "Different person, checked passport copy" },
    });
    expect(notAllowed.status).toBe(403);
    const after = await as(op.users.admin.actor, () => Individual.list({ limit: 1000 }));
    expect(after.items.length).toBe(before.items.length);

    const allowed = await register(op.users.supervisor.token, {
      ...attempt,
      overrideDuplicates: { reason: "Different person, checked passport copy" },
    });
    expect(allowed.status).toBe(201);
    const trail = await as(op.users.supervisor.actor, () =>
      Audit.history(
        { recordID: allowed.json.individualID },
        { operationID: op.operationID, officeID: op.officeA },
      ),
    );
    const override = trail.items.find((e) => e.action === "duplicate.override");
    expect(override).toMatchObject({
      actorID: op.users.supervisor.userID,
      reason: "Different person, checked passport copy",
    });
    expect(JSON.stringify(override!.changes)).toContain(first.json.individualID);
  });

  it("finds a re-registration under a transliterated, reordered name and answers the check endpoint without storing anything", async () => {
    const original = await register(op.users.caseworker.token, {
      givenName: "Mohammed",
      familyName: "Al-Khatib",
      sex: "male",
      dateOfBirth: "1984-11-05",
      nationality: "SYR",
      languages: ["ara"],
      officeID: op.officeA,
    });
    expect(original.status).toBe(201);
    const check = await call("POST", "/api/individuals/duplicates", {
      token: op.users.caseworker.token,
      body: {
        givenName: "Khatib",
        familyName: "Muhammad",
        sex: "male",
        dateOfBirth: "1984-11-05",
        nationality: "SYR",
      },
    });
    expect(check.status).toBe(200);
    expect(check.json.candidates[0]).toMatchObject({
      individualID: original.json.individualID,
      strength: "strong",
      givenName: "Mohammed",
      reasons: expect.arrayContaining(["name.phonetic", "dob.exact"]),
    });
    const near = await call("POST", "/api/individuals/duplicates", {
      token: op.users.caseworker.token,
      body: { givenName: "Mohamad", familyName: "Khateeb", estimatedAge: new Date().getUTCFullYear() - 1986 },
    });
    expect(near.json.candidates.map((c: { individualID: string }) => c.individualID)).toContain(
      original.json.individualID,
    );
    expect(near.json.candidates[0].strength).toBe("possible");
  });

  it("shows candidates of another office without their personal details", async () => {
    const a = await register(op.users.caseworker.token, {
      givenName: "Wideline",
      familyName: "Exantus",
      sex: "female",
      dateOfBirth: "1995-02-14",
      nationality: "HTI",
      phone: "+529621112233",
      officeID: op.officeA,
    });
    const check = await call("POST", "/api/individuals/duplicates", {
      token: op.caseworkerB.token,
      body: {
        givenName: "Wideline",
        familyName: "Exantus",
        sex: "female",
        dateOfBirth: "1995-02-14",
        phone: "+529621112233",
      },
    });
    const c = check.json.candidates.find(
      (x: { individualID: string }) => x.individualID === a.json.individualID,
    );
    expect(c).toMatchObject({
      strength: "strong",
      restricted: true,
      registrationNumber: a.json.registrationNumber,
    });
    expect(c).not.toHaveProperty("givenName");
  });

  it("reports duplicates per row in a bulk registration and creates the others", async () => {
    const base = { sex: "male", dateOfBirth: "1979-06-30", nationality: "AFG", officeID: op.officeA };
    const res = await register(op.users.caseworker.token, {
      rows: [
        {
          ref: "a",
          values: {
            ...base,
            givenName: "Gul Agha",
            familyName: "Stanikzai",
            documents: [{ type: "national_id", number: "AF-778812" }],
          },
        },
        {
          ref: "b",
          values: { ...base, givenName: "Farid", familyName: "Popalzai", dateOfBirth: "1980-01-01" },
        },
      ],
    });
    expect(res.json.summary).toEqual({ created: 2 });
    const again = await register(op.users.caseworker.token, {
      rows: [
        {
          ref: "c",
          values: {
            ...base,
            givenName: "Stanikzai",
            familyName: "Gulagha",
            documents: [{ type: "passport", number: "AF778812" }],
          },
        },
        {
          ref: "d",
          values: { ...base, givenName: "Zabihullah", familyName: "Hotak", dateOfBirth: "2001-01-01" },
        },
      ],
    });
    expect(again.json.summary).toEqual({ duplicate: 1, created: 1 });
    expect(again.json.results[0]).toMatchObject({ ref: "c", status: "duplicate" });
    expect(again.json.results[0].candidates[0].individualID).toBe(res.json.results[0].id);
  });

  it("forgets a deleted record and follows a corrected name", async () => {
    const made = await register(op.users.supervisor.token, {
      givenName: "Dieuveut",
      familyName: "Lafortune",
      sex: "male",
      dateOfBirth: "1990-09-09",
      nationality: "HTI",
      officeID: op.officeA,
    });
    const probe = { givenName: "Dieuveut", familyName: "Lafortune", sex: "male", dateOfBirth: "1990-09-09" };
    const found = async (p: object) =>
      (
        await call("POST", "/api/individuals/duplicates", { token: op.users.supervisor.token, body: p })
      ).json.candidates.map((c: { individualID: string }) => c.individualID);
    expect(await found(probe)).toContain(made.json.individualID);
    const renamed = await call("PATCH", `/api/individuals/${made.json.individualID}`, {
      token: op.users.supervisor.token,
      body: { version: 1, changes: { givenName: "Stevenson" } },
    });
    expect(renamed.status).toBe(200);
    expect(await found(probe)).not.toContain(made.json.individualID);
    expect(await found({ ...probe, givenName: "Stevenson" })).toContain(made.json.individualID);
    await call("DELETE", `/api/individuals/${made.json.individualID}?version=2`, {
      token: op.users.supervisor.token,
    });
    expect(await found({ ...probe, givenName: "Stevenson" })).not.toContain(made.json.individualID);
  });
});

describe("labels and grid cells", () => {
  it("maps labels in English, Spanish, French and Arabic to codes", () => {
    expect(labelToCode(SpecificNeedsCodes, "Niño no acompañado")).toBeUndefined();
    expect(labelToCode(SpecificNeedsCodes, "niño/a no acompañado")).toBe("UASC-UM");
    expect(labelToCode(SpecificNeedsCodes, "Femme à risque")).toBe("WR");
    expect(labelToCode(SpecificNeedsCodes, "إعاقة جسدية")).toBe("DS-PM");
    expect(labelToCode(SexLabels, "MUJER")).toBe("female");
    expect(coerceIndividualCell("specificNeeds", "Woman at risk; DS-PM")).toEqual({
      ok: true,
      value: ["WR", "DS-PM"],
    });
    expect(coerceIndividualCell("dateOfBirth", "31/12/1990")).toEqual({ ok: true, value: "1990-12-31" });
    expect(coerceIndividualCell("phone", "00 52 962 123 4567")).toEqual({ ok: true, value: "+529621234567" });
    expect(coerceIndividualCell("sex", "x").ok).toBe(false);
    expect(coerceIndividualCell("interpreterNeeded", "oui")).toEqual({ ok: true, value: true });
  });
});
