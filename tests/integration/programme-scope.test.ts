import { describe, expect, it } from "vitest";
import { call, createTestOperation } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

describe("scope is taken from the real target, not from the caller", () => {
  it("a caseworker of office A cannot file a resettlement submission in office B", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 35 }]);
    const c = await caseWith(op, "resettlement", [p!.individualID]);
    const body = {
      caseID: c.caseID,
      programme: "rst",
      country: "CAN",
      quotaYear: 2026,
      primaryCategory: "LPN",
    };
    const elsewhere = await call("POST", "/api/resettlement", {
      token: op.users.caseworker.token,
      body: { ...body, officeID: op.officeB },
    });
    expect(elsewhere.status).toBe(403);
    // office B's caseworker cannot file on office A's case either
    const fromB = await call("POST", "/api/resettlement", { token: op.caseworkerB.token, body });
    expect(fromB.status).toBe(403);
    const stored = await call("GET", `/api/resettlement?caseID=${c.caseID}`, { token: op.users.admin.token });
    expect(stored.json.items).toHaveLength(0);
    // in their own office the caseworker files it
    const ok = await call("POST", "/api/resettlement", { token: op.users.caseworker.token, body });
    expect(ok.status).toBe(201);
  });

  it("a caseworker of office B cannot register a return in office A", async () => {
    const op = await createTestOperation();
    // people() registers as office A's caseworker: register office B's person as office B's caseworker
    const [p] = await people(
      { ...op, users: { ...op.users, caseworker: op.caseworkerB } } as never,
      [{ age: 28 }],
      op.officeB,
    );
    const body = { individualIDs: [p!.individualID], countryOfReturn: "SEN" };
    const inA = await call("POST", "/api/returns", {
      token: op.caseworkerB.token,
      body: { ...body, officeID: op.officeA },
    });
    expect(inA.status).toBe(403);
    const all = await call("GET", "/api/returns", { token: op.users.admin.token });
    expect(all.json.items).toHaveLength(0);
    const inB = await call("POST", "/api/returns", {
      token: op.caseworkerB.token,
      body: { ...body, officeID: op.officeB },
    });
    expect(inB.status).toBe(201);
  });

  it("the receiving office sees and answers an internal referral; the sending office does not answer it", async () => {
    const op = await createTestOperation();
    const sender = op.users.caseworker;
    const created = await call("POST", "/api/referrals", {
      token: sender.token,
      body: {
        officeID: op.officeA,
        toOfficeID: op.officeB,
        serviceCategory: "legal",
        reason: "Asylum claim advice",
        consent: { given: false },
      },
    });
    expect(created.status).toBe(201);
    const id = created.json.referralID;
    const b = op.caseworkerB.token;
    const inbox = await call("GET", `/api/referrals?officeID=${op.officeB}`, { token: b });
    expect(inbox.status).toBe(200);
    expect(inbox.json.items.map((r: { referralID: string }) => r.referralID)).toEqual([id]);
    expect((await call("GET", `/api/referrals/${id}`, { token: b })).status).toBe(200);
    // the receiver neither edits nor withdraws what it did not send
    const edit = await call("PATCH", "/api/referrals", {
      token: b,
      body: { rows: [{ id, version: 1, changes: { urgency: "urgent" } }] },
    });
    expect(edit.json.results[0].status).toBe("forbidden");
    expect(
      (await call("POST", `/api/referrals/${id}/withdraw`, { token: b, body: { version: 1 } })).status,
    ).toBe(403);
    // the sender cannot accept it for the other office
    expect(
      (await call("POST", `/api/referrals/${id}/accept`, { token: sender.token, body: { version: 1 } }))
        .status,
    ).toBe(403);
    const declined = await call("POST", `/api/referrals/${id}/decline`, {
      token: b,
      body: { version: 1, note: "No lawyer available this month" },
    });
    expect(declined.status).toBe(200);
    expect(declined.json).toMatchObject({ status: "declined", respondedBy: op.caseworkerB.userID });
    // the sending office still follows it
    const sent = await call("GET", `/api/referrals?officeID=${op.officeA}`, { token: sender.token });
    expect(
      sent.json.items.map((r: { referralID: string; status: string }) => [r.referralID, r.status]),
    ).toEqual([[id, "declined"]]);
  });

  it("the author of a referral within one office cannot accept it; a colleague can", async () => {
    const op = await createTestOperation();
    const author = op.users.caseworker;
    const created = await call("POST", "/api/referrals", {
      token: author.token,
      body: {
        officeID: op.officeA,
        serviceCategory: "psychosocial",
        reason: "Counselling after detention",
        consent: { given: false },
      },
    });
    expect(created.status).toBe(201);
    const id = created.json.referralID;
    const own = await call("POST", `/api/referrals/${id}/accept`, {
      token: author.token,
      body: { version: 1 },
    });
    expect(own.status).toBe(422);
    expect(own.json.code).toBe("referral.own_answer");
    const colleague = await extraUser(op, "caseworker");
    const acc = await call("POST", `/api/referrals/${id}/accept`, {
      token: colleague.token,
      body: { version: 1 },
    });
    expect(acc.status).toBe(200);
    expect(acc.json.status).toBe("accepted");
  });
});
