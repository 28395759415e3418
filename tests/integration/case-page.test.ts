import { beforeAll, describe, expect, it } from "vitest";
import { Organisation } from "@waypoint/core";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { MONTERREY } from "../support/relocation.ts";

let op: TestOperation;

beforeAll(async () => {
  op = await createTestOperation();
  await as(system, async () => {
    await Organisation.create({
      operationID: op.operationID,
      name: "Legal Aid Clinic",
      kind: "ngo",
      services: ["legal"],
    });
    await Organisation.create({
      operationID: op.operationID,
      name: "Community Clinic",
      services: ["health"],
    });
  });
});

describe("the case page's lookups", () => {
  it("a caseworker referring someone sees the operation's partners by name and services, nothing else", async () => {
    const res = await call("GET", "/api/organisations", { token: op.users.caseworker.token });
    expect(res.status).toBe(200);
    expect(res.json.items.map((o: { name: string }) => o.name)).toEqual([
      "Community Clinic",
      "Legal Aid Clinic",
    ]);
    const legal = res.json.items.find((o: { name: string }) => o.name === "Legal Aid Clinic");
    expect(legal).toEqual({
      organisationID: expect.stringMatching(/^org_/),
      name: "Legal Aid Clinic",
      kind: "ngo",
      services: ["legal"],
    });
  });

  it("a role that may not read referrals is not shown the partner directory", async () => {
    const res = await call("GET", "/api/organisations", { token: op.users.finance.token });
    expect(res.status).toBe(403);
  });
});

const slot = (days: number, hh: string) =>
  `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${hh}:00:00.000Z`;

describe("a person's and a household's pages", () => {
  it("list the person's cases, appointments and referrals, and the household's relocations, not other people's", async () => {
    const token = op.users.caseworker.token;
    const person = async (givenName: string, householdID?: string) =>
      (
        await call("POST", "/api/individuals", {
          token,
          body: {
            givenName,
            familyName: `Page-${givenName}`,
            sex: "female",
            estimatedAge: 30,
            nationality: "HTI",
            officeID: op.officeA,
            householdID,
          },
        })
      ).json.individualID as string;
    const hh = (await call("POST", "/api/households", { token, body: { officeID: op.officeA } })).json
      .householdID as string;
    const other = (await call("POST", "/api/households", { token, body: { officeID: op.officeA } })).json
      .householdID as string;
    const marie = await person("Marie", hh);
    const rose = await person("Rose");
    const open = async (individualIDs: string[]) =>
      (
        await call("POST", "/api/cases", {
          token,
          body: { officeID: op.officeA, type: "protection", individualIDs },
        })
      ).json.caseID as string;
    const marieCase = await open([marie]);
    await open([rose]);
    const book = async (participants: string[], room: string) =>
      expect(
        (
          await call("POST", "/api/appointments", {
            token,
            body: {
              officeID: op.officeA,
              kind: "interview",
              room,
              start: slot(2, "10"),
              end: slot(2, "11"),
              participants,
            },
          })
        ).status,
      ).toBe(201);
    await book([marie], "Sala 1");
    await book([rose], "Sala 2");
    const refer = async (individualID: string) =>
      expect(
        (
          await call("POST", "/api/referrals", {
            token,
            body: {
              officeID: op.officeA,
              individualID,
              serviceCategory: "legal",
              reason: "Asylum claim",
              consent: { given: true },
            },
          })
        ).status,
      ).toBe(201);
    await refer(marie);
    await refer(rose);
    const relocate = async (householdID: string) =>
      expect(
        (
          await call("POST", "/api/relocations", {
            token: op.users.supervisor.token,
            body: {
              householdID,
              officeID: op.officeA,
              householdSize: 2,
              destination: MONTERREY,
              earliestDate: slot(5, "00").slice(0, 10),
            },
          })
        ).status,
      ).toBe(201);
    await relocate(hh);
    await relocate(other);

    const cases = await call("GET", `/api/cases?individualID=${marie}`, { token });
    expect(cases.json.items.map((c: { caseID: string }) => c.caseID)).toEqual([marieCase]);
    const appointments = await call("GET", `/api/appointments?individualID=${marie}`, { token });
    expect(appointments.json.items.map((a: { room: string }) => a.room)).toEqual(["Sala 1"]);
    const referrals = await call("GET", `/api/referrals?individualID=${marie}`, { token });
    expect(referrals.json.items.map((r: { individualID: string }) => r.individualID)).toEqual([marie]);
    const relocations = await call("GET", `/api/relocations?householdID=${hh}`, { token });
    expect(relocations.json.items.map((r: { householdID: string }) => r.householdID)).toEqual([hh]);
  });
});

describe("finding a person for a form", () => {
  it("a registration number or a phone number finds the person exactly, within the offices the caseworker may see", async () => {
    const register = async (token: string, officeID: string, givenName: string) =>
      (
        await call("POST", "/api/individuals", {
          token,
          body: {
            givenName,
            familyName: "Phone-Search",
            sex: "male",
            estimatedAge: 41,
            nationality: "HND",
            phone: "+529621234567",
            officeID,
            overrideDuplicates: { reason: "brothers sharing one phone" },
          },
        })
      ).json as { individualID: string; registrationNumber: string };
    const token = op.users.caseworker.token;
    const luis = await register(token, op.officeA, "Luis");
    const pedro = await register(op.users.admin.token, op.officeB, "Pedro");
    expect(pedro.individualID).toMatch(/^ind_/);
    const search = async (q: string) =>
      (await call("GET", `/api/individuals?q=${encodeURIComponent(q)}`, { token })).json.items.map(
        (r: { individualID: string }) => r.individualID,
      );
    expect(await search(luis.registrationNumber)).toEqual([luis.individualID]);
    expect(await search(luis.registrationNumber.toLowerCase())).toEqual([luis.individualID]);
    expect(await search("+52 962 123 4567")).toEqual([luis.individualID]);
    expect(await search("MEX-XXX-26-999999")).toEqual([]);
  });
});

describe("cash for protection on the case page", () => {
  it("lists the payments decided in a case, not the operation's others", async () => {
    const fin = op.users.finance.token;
    const kase = (
      await call("POST", "/api/cases", {
        token: op.users.caseworker.token,
        body: { officeID: op.officeA, type: "cash_for_protection" },
      })
    ).json.caseID as string;
    const payee = (
      await call("POST", "/api/payees", {
        token: fin,
        body: {
          kind: "individual",
          name: "Rosa Cruz",
          channel: { type: "bank", accountNumber: "012180001234567897" },
        },
      })
    ).json.payeeID as string;
    const pay = async (amount: number, caseID?: string) => {
      const r = await call("POST", "/api/payments", {
        token: fin,
        body: {
          rows: [
            { values: { payeeID: payee, purpose: "cash_for_protection", amount, currency: "MXN", caseID } },
          ],
        },
      });
      expect(r.json.results?.[0]?.status, JSON.stringify(r.json)).toBe("created");
    };
    await pay(150000, kase);
    await pay(90000);
    const res = await call("GET", `/api/payments?caseID=${kase}`, { token: fin });
    expect(res.status).toBe(200);
    expect(res.json.items.map((p: { amount: number; caseID: string }) => [p.amount, p.caseID])).toEqual([
      [150000, kase],
    ]);
  });
});

describe("a case's sections hold all of its records", () => {
  it("finds a case's referrals, appointments and incidents even when newer records of the office fill the first page", async () => {
    const token = op.users.caseworker.token;
    const open = async () =>
      (await call("POST", "/api/cases", { token, body: { officeID: op.officeA, type: "protection" } })).json
        .caseID as string;
    const kase = await open();
    const other = await open();
    const refer = (caseID: string) =>
      call("POST", "/api/referrals", {
        token,
        body: {
          officeID: op.officeA,
          caseID,
          serviceCategory: "health",
          reason: "Check-up",
          consent: { given: true },
        },
      });
    const book = (caseID: string, hour: string) =>
      call("POST", "/api/appointments", {
        token,
        body: {
          officeID: op.officeA,
          caseID,
          kind: "counselling",
          room: "Sala C",
          start: slot(4, hour),
          end: slot(4, String(Number(hour) + 1).padStart(2, "0")),
        },
      });
    const incident = (caseID: string) =>
      call("POST", "/api/incidents", {
        token,
        body: {
          officeID: op.officeA,
          caseID,
          kind: "extortion",
          dateOfIncident: "2026-01-15",
          description: "Threatened at the border",
        },
      });
    expect((await refer(kase)).status).toBe(201);
    expect((await book(kase, "08")).status).toBe(201);
    expect((await incident(kase)).status).toBe(201);
    for (const hour of ["10", "12", "14"]) {
      expect((await refer(other)).status).toBe(201);
      expect((await book(other, hour)).status).toBe(201);
      expect((await incident(other)).status).toBe(201);
    }
    for (const list of ["referrals", "appointments", "incidents"]) {
      const res = await call("GET", `/api/${list}?caseID=${kase}&limit=2`, { token });
      expect([list, res.json.items.map((r: { caseID: string }) => r.caseID)]).toEqual([list, [kase]]);
    }
  });
});

describe("the session says how far each action reaches", () => {
  it("a caseworker's session says they move only their own cases but note on any case of their office", async () => {
    const login = await call("POST", "/auth/login", {
      body: { email: op.users.caseworker.email, password: "pw-test" },
    });
    expect(login.status).toBe(200);
    expect(login.json.me.scopes).toMatchObject({ "case.transition": "own", "note.create": "office" });
    expect(login.json.me.scopes["case.approve"]).toBeUndefined();
    const me = await call("GET", "/api/me", { token: op.users.caseworker.token });
    expect(me.json.scopes).toEqual(login.json.me.scopes);
  });
});
