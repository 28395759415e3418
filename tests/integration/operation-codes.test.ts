import { describe, expect, it } from "vitest";
import { ConflictError, Feedback, Operation } from "@waypoint/core";
import { LeadEntity } from "@waypoint/core/intake/intake.entity";
import { OperationEntity } from "@waypoint/core/operation/operation.entity";
import { as, call, createTestOperation, system, testOperationCode } from "../support/fixtures.ts";

/**
 * Operation codes are unique across the deployment, whatever their case: the public forms name their operation by
 * its code, and a code held twice sent a person's expression of interest to another country's office.
 */

const GAMBIA = {
  name: "Gambia",
  country: "GM",
  currency: "GMD",
  timeZone: "Africa/Banjul",
  languages: ["en"],
};

const names = async () => (await as(system, () => Operation.list())).map((o) => o.name);
const holders = async (code: string) =>
  (await as(system, () => Operation.list())).filter((o) => o.code.toUpperCase() === code.toUpperCase());

const ip = () => ({
  "x-forwarded-for": `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
});

async function expressInterest(operation: string, familyName: string) {
  const consent = await call("GET", "/v1/public/interest/consent?lang=es");
  return call("POST", "/v1/public/interest", {
    headers: ip(),
    body: {
      operation,
      givenName: "Rosa",
      familyName,
      phone: "+525511112222",
      language: "es",
      consent: true,
      consentVersion: consent.json.version,
    },
  });
}

const leadsOf = async (operationID: string, familyName: string) =>
  (await LeadEntity.query.byOperation({ operationID }).go({ pages: "all" })).data.filter(
    (l) => l.familyName === familyName,
  );

const feedbackOf = async (operationID: string, message: string) =>
  (await as({ ...system, operationID }, () => Feedback.list({ limit: 500 }))).items.filter(
    (f) => f.summary === message,
  );

/** An operation stored before codes were claimed: the item alone, without its code's constraint item. */
async function storedBeforeClaims(code: string) {
  const now = new Date().toISOString();
  const operationID = `op_LEGACY${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e6)}`;
  await OperationEntity.create({
    operationID,
    code,
    name: `Legacy ${code}`,
    country: "MX",
    currency: "MXN",
    timeZone: "America/Mexico_City",
    languages: ["es"],
    version: 1,
    timeCreated: now,
    timeUpdated: now,
  }).go();
  return operationID;
}

describe("operation codes are unique", () => {
  it("a second operation with a taken code is refused on its code field (409 problem+json) and nothing is stored", async () => {
    const t = await createTestOperation();
    const code = await testOperationCode();
    const first = await call("POST", "/api/operations", {
      token: t.users.admin.token,
      body: { ...GAMBIA, code },
    });
    expect(first.status, JSON.stringify(first.json)).toBe(201);

    const name = `Gambia again ${Date.now()}`;
    const again = await call("POST", "/api/operations", {
      token: t.users.admin.token,
      body: { ...GAMBIA, name, code },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect(again.json.code).toBe("conflict.operation_code");
    expect(again.json.errors).toEqual([
      expect.objectContaining({ path: "code", code: "conflict.operation_code" }),
    ]);
    expect(await names()).not.toContain(name);
    expect(await holders(code)).toHaveLength(1);
  });

  it("codes compare without case: 'sen' is 'SEN', stored in capitals", async () => {
    const t = await createTestOperation();
    const code = await testOperationCode();
    const lower = await call("POST", "/api/operations", {
      token: t.users.admin.token,
      body: { ...GAMBIA, code: ` ${code.toLowerCase()} ` },
    });
    expect(lower.status, JSON.stringify(lower.json)).toBe(201);
    expect(lower.json.code).toBe(code);

    const upper = await call("POST", "/api/operations", {
      token: t.users.admin.token,
      body: { ...GAMBIA, code },
    });
    expect(upper.status).toBe(409);
    expect(upper.json.errors[0].path).toBe("code");
    await expect(
      as(system, () =>
        Operation.create({ name: "Mixed", country: "GM", currency: "GMD", code: code.toLowerCase() }),
      ),
    ).rejects.toMatchObject({ code: "conflict.operation_code" });
    expect(await holders(code)).toHaveLength(1);
  });

  it("of concurrent creates with one code, exactly one wins", async () => {
    const code = await testOperationCode();
    const tries = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        as(system, () =>
          Operation.create({
            name: `Race ${code} ${i}`,
            country: "GM",
            currency: "GMD",
            code: i % 2 ? code.toLowerCase() : code,
          }),
        ),
      ),
    );
    expect(tries.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of tries.filter((x) => x.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "conflict.operation_code" });
    const stored = await holders(code);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.operationID).toBe(
      (tries.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<Operation.Info>).value
        .operationID,
    );
  });

  it("a code held by an operation stored before codes were claimed is refused too", async () => {
    const code = await testOperationCode();
    await storedBeforeClaims(code);
    const refused = await as(system, () =>
      Operation.create({ name: "After upgrade", country: "GM", currency: "GMD", code }).catch(
        (e: unknown) => e,
      ),
    );
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: "conflict.operation_code", issues: [{ path: "code" }] });
    expect(await holders(code)).toHaveLength(1);
  });
});

describe("the public forms find their operation by its code", () => {
  it("an expression of interest lands in the operation its code (any case) names, not in another", async () => {
    const a = await createTestOperation();
    const b = await createTestOperation();
    const codeB = (await as(system, () => Operation.get(b.operationID))).code;
    const family = `Routed${Date.now()}`;
    const res = await expressInterest(codeB.toLowerCase(), family);
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    expect(await leadsOf(b.operationID, family)).toHaveLength(1);
    expect(await leadsOf(a.operationID, family)).toHaveLength(0);
  });

  it("with a code two stored operations share (an upgraded deployment), nothing is routed: the form is refused, nothing stored", async () => {
    const t = await createTestOperation();
    const code = (await as(system, () => Operation.get(t.operationID))).code;
    const legacyID = await storedBeforeClaims(code);

    const family = `Shared${Date.now()}`;
    const interest = await expressInterest(code, family);
    expect(interest.status).toBe(409);
    expect(interest.json.code).toBe("conflict.operation_code_shared");
    expect(interest.text).not.toContain(family);
    expect(await leadsOf(t.operationID, family)).toHaveLength(0);
    expect(await leadsOf(legacyID, family)).toHaveLength(0);

    const message = `The queue was long ${Date.now()}`;
    const feedback = await call("POST", "/v1/public/feedback", {
      headers: ip(),
      body: { operation: code, category: "service_quality", message },
    });
    expect(feedback.status).toBe(409);
    expect(await feedbackOf(t.operationID, message)).toHaveLength(0);
    expect(await feedbackOf(legacyID, message)).toHaveLength(0);
  });
});
