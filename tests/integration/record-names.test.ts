import { describe, expect, it } from "vitest";
import { Audit, Case, Household, Individual, Payee } from "@waypoint/core";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";
import { people } from "../support/programmes.ts";

type Named = { id: string; givenName?: string; familyName?: string; caseNumber?: string; name?: string };
const names = (r: { json: { items: Named[] } }) => new Map(r.json.items.map((i) => [i.id, i]));

/**
 * A grid column of references is filtered and sorted by the names it shows, for every row: the screen asks for
 * the names of many records at once (POST /api/record-names). Only what names a record comes back, and only for
 * records the reader may open; any other ID gets no name.
 */
describe("names of many records at once", () => {
  it("a caseworker gets the names of the people of their office, and none for others' or unknown IDs", async () => {
    const op = await createTestOperation();
    const other = await createTestOperation();
    const [amina, beto] = await people(op, [{ age: 30 }, { age: 40 }]);
    const inB = await as({ ...system, operationID: op.operationID }, async () => {
      const { record } = await Individual.create({
        officeID: op.officeB,
        givenName: "Nadia",
        familyName: `Office-B-${op.operationID.slice(-6)}`,
        sex: "female",
        dateOfBirth: "1991-02-03",
        nationality: "SYR",
      });
      return record;
    });
    const [elsewhere] = await people(other, [{ age: 35 }]);
    const ids = [amina!, beto!, inB!, elsewhere!].map((p) => p.individualID);
    const r = await call("POST", "/api/record-names", {
      token: op.users.caseworker.token,
      body: {
        type: "individual",
        ids: [...ids, "ind_01JNOSUCHPERSON00000000000", "hh_x", amina!.individualID],
      },
    });
    expect(r.status).toBe(200);
    const got = names(r);
    expect([...got.keys()].sort()).toEqual([amina!.individualID, beto!.individualID].sort());
    // what names the person, nothing else (no birth date, phone or documents)
    expect(got.get(amina!.individualID)).toEqual({
      id: amina!.individualID,
      givenName: amina!.givenName,
      familyName: amina!.familyName,
      registrationNumber: amina!.registrationNumber,
    });
    // an office-B caseworker reads the office-B person only
    const b = await call("POST", "/api/record-names", {
      token: op.caseworkerB.token,
      body: { type: "individual", ids },
    });
    expect([...names(b).keys()]).toEqual([inB!.individualID]);
  });

  it("a role without read on a type gets no names of it", async () => {
    const op = await createTestOperation();
    const [person] = await people(op, [{ age: 30 }]);
    const payee = await as({ ...system, operationID: op.operationID }, () =>
      Payee.create({
        kind: "individual",
        individualID: person!.individualID,
        name: "Amina Haddad",
        officeID: op.officeA,
        channel: { type: "bank", accountNumber: "012180001111222233" },
      }),
    );
    // a finance approver reads payees but no registry; a caseworker reads the registry but no payees
    const approver = await call("POST", "/api/record-names", {
      token: op.users.finance_approver.token,
      body: { type: "individual", ids: [person!.individualID] },
    });
    expect(approver.status).toBe(403);
    expect(approver.json.items).toBeUndefined();
    expect(JSON.stringify(approver.json)).not.toContain(person!.givenName);
    const caseworker = await call("POST", "/api/record-names", {
      token: op.users.caseworker.token,
      body: { type: "payee", ids: [payee.payeeID] },
    });
    expect(caseworker.status).toBe(403);
    expect(JSON.stringify(caseworker.json)).not.toContain("Amina Haddad");
    const finance = await call("POST", "/api/record-names", {
      token: op.users.finance_approver.token,
      body: { type: "payee", ids: [payee.payeeID] },
    });
    expect(names(finance).get(payee.payeeID)?.name).toBe("Amina Haddad");
  });

  it("a restricted case's number only for who may open it (audited), a deleted household's number for nobody who may not delete it", async () => {
    const op = await createTestOperation();
    const sys = { ...system, operationID: op.operationID };
    const [open, restricted] = await as(sys, () =>
      Promise.all([
        Case.create({ officeID: op.officeA, type: "protection" }),
        Case.create({ officeID: op.officeA, type: "protection", subType: "sgbv" }),
      ]),
    );
    const ids = [open!.caseID, restricted!.caseID];
    const caseworker = await call("POST", "/api/record-names", {
      token: op.users.caseworker.token,
      body: { type: "case", ids },
    });
    expect([...names(caseworker).keys()]).toEqual([open!.caseID]);
    const supervisor = await call("POST", "/api/record-names", {
      token: op.users.supervisor.token,
      body: { type: "case", ids },
    });
    expect(names(supervisor).get(restricted!.caseID)?.caseNumber).toBe(restricted!.caseNumber);
    const trail = await as(op.users.supervisor.actor, () => Audit.history({ recordID: restricted!.caseID }));
    const reads = trail.items.filter((e) => e.action === "read");
    expect(reads.map((e) => e.actorID)).toContain(op.users.supervisor.userID);

    const [kept, gone] = await as(sys, () =>
      Promise.all([Household.create({ officeID: op.officeA }), Household.create({ officeID: op.officeA })]),
    );
    await as(sys, () => Household.softDelete(gone!.householdID, gone!.version, "test"));
    const hh = await call("POST", "/api/record-names", {
      token: op.users.caseworker.token,
      body: { type: "household", ids: [kept!.householdID, gone!.householdID] },
    });
    expect(names(hh).get(kept!.householdID)).toEqual({
      id: kept!.householdID,
      registrationNumber: kept!.registrationNumber,
    });
    expect(names(hh).has(gone!.householdID)).toBe(false);
  });

  it("asks for at most 1,000 IDs of one known type", async () => {
    const op = await createTestOperation();
    const token = op.users.admin.token;
    const many = Array.from({ length: 1001 }, (_, i) => `ind_01J${String(i).padStart(23, "0")}`);
    expect(
      (await call("POST", "/api/record-names", { token, body: { type: "individual", ids: many } })).status,
    ).toBe(422);
    expect(
      (await call("POST", "/api/record-names", { token, body: { type: "referral", ids: ["ref_x"] } })).status,
    ).toBe(422);
    expect(
      (await call("POST", "/api/record-names", { body: { type: "individual", ids: ["ind_x"] } })).status,
    ).toBe(401);
  });
});
