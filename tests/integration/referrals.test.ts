import { describe, expect, it } from "vitest";
import { Individual, Organisation, Referral } from "@waypoint/core";
import { as, call, createPartnerKey, createTestOperation, system } from "../support/fixtures.ts";

async function setup() {
  const op = await createTestOperation();
  const partner = await createPartnerKey(
    op.operationID,
    ["referrals:read", "referrals:write", "referrals:respond"],
    "Clinic",
  );
  const other = await createPartnerKey(op.operationID, ["referrals:read", "referrals:respond"], "Other NGO");
  const partnerActor = await Organisation.authenticate(partner.key);
  const otherActor = await Organisation.authenticate(other.key);
  const { record: person } = await as(op.users.caseworker.actor, () =>
    Individual.create(
      {
        givenName: "Marie",
        familyName: "Joseph",
        sex: "female",
        dateOfBirth: "1990-04-02",
        nationality: "HTI",
        officeID: op.officeA,
        phone: "+525512345678",
        languages: ["hat"],
        legalStatus: "asylum_seeker",
      },
      { overrideDuplicates: { reason: "test fixture person" } },
    ),
  );
  return { op, partner, partnerActor, otherActor, person };
}

const outgoing = (op: { officeA: string }, toOrganisationID: string, individualID: string, given = true) => ({
  officeID: op.officeA,
  toOrganisationID,
  individualID,
  serviceCategory: "health" as const,
  reason: "Needs medical follow-up",
  consent: given ? { given: true, date: "2026-01-10", scope: "health partners" } : { given: false },
});

describe("referrals", () => {
  it("refuses a referral to a partner without the person's consent, and stores nothing", async () => {
    const { op, partner, partnerActor, person } = await setup();
    const res = await call("POST", "/api/referrals", {
      token: op.users.caseworker.token,
      body: outgoing(op, partner.organisationID, person.individualID, false),
    });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe("referral.consent_required");
    const inbox = await as(partnerActor, () => Referral.listForPartner({}));
    expect(inbox.items).toHaveLength(0);
    const staff = await call("GET", `/api/referrals?officeID=${op.officeA}`, {
      token: op.users.caseworker.token,
    });
    expect(staff.json.items).toHaveLength(0);
  });

  it("an internal referral needs no partner consent gate and runs pending → accepted → completed", async () => {
    const { op, person } = await setup();
    const token = op.users.caseworker.token;
    const created = await call("POST", "/api/referrals", {
      token,
      body: {
        officeID: op.officeA,
        toOfficeID: op.officeB,
        individualID: person.individualID,
        serviceCategory: "legal",
        reason: "Asylum claim advice",
        consent: { given: false },
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      direction: "internal",
      status: "pending",
      referralNumber: expect.stringMatching(/-TAP-\d\d-R\d{5}$/),
    });
    const id = created.json.referralID;
    const receiver = op.caseworkerB.token;
    const early = await call("POST", `/api/referrals/${id}/complete`, {
      token: receiver,
      body: { version: 1, note: "done" },
    });
    expect(early.status).toBe(422);
    expect(early.json.code).toBe("referral.transition_not_allowed");
    // the receiving office answers, not the sender
    const own = await call("POST", `/api/referrals/${id}/accept`, { token, body: { version: 1 } });
    expect(own.status).toBe(403);
    const acc = await call("POST", `/api/referrals/${id}/accept`, { token: receiver, body: { version: 1 } });
    expect(acc.json.status).toBe("accepted");
    const noNote = await call("POST", `/api/referrals/${id}/complete`, {
      token: receiver,
      body: { version: 2 },
    });
    expect(noNote.status).toBe(422);
    const done = await call("POST", `/api/referrals/${id}/complete`, {
      token: receiver,
      body: { version: 2, note: "Legal advice given" },
    });
    expect(done.json).toMatchObject({ status: "completed", serviceNote: "Legal advice given", version: 3 });
    const stale = await call("POST", `/api/referrals/${id}/withdraw`, { token, body: { version: 2 } });
    expect(stale.status).toBe(409);
    expect(stale.json.current).toMatchObject({ status: "completed", version: 3 });
  });

  it("the partner sees a consented referral in its inbox with only the fields its agreement allows, and answers it", async () => {
    const { op, partner, partnerActor, otherActor, person } = await setup();
    const r = await as(op.users.caseworker.actor, () =>
      Referral.create(outgoing(op, partner.organisationID, person.individualID)),
    );
    expect(r.person).toMatchObject({ givenName: "Marie", nationality: "HTI" });
    const inbox = await as(partnerActor, () => Referral.listForPartner({ box: "received" }));
    expect(inbox.items.map((i) => i.referralID)).toEqual([r.referralID]);
    const seen = inbox.items[0]!;
    // default agreement: givenName, familyName, sex, dateOfBirth, phone, languages — not nationality
    expect(Object.keys(seen.person ?? {}).sort()).toEqual([
      "dateOfBirth",
      "familyName",
      "givenName",
      "languages",
      "phone",
      "sex",
    ]);
    expect(seen).not.toHaveProperty("caseID");
    expect(seen).not.toHaveProperty("individualID");
    // another partner neither sees nor answers it
    expect((await as(otherActor, () => Referral.listForPartner({}))).items).toHaveLength(0);
    await expect(
      as(otherActor, () =>
        Referral.respondAsPartner({ referralID: r.referralID, outcome: "accept", version: 1 }),
      ),
    ).rejects.toMatchObject({ status: 404 });
    const declined = await as(partnerActor, () =>
      Referral.respondAsPartner({
        referralID: r.referralID,
        outcome: "decline",
        version: 1,
        note: "No capacity this month",
      }),
    );
    expect(declined).toMatchObject({ status: "declined", declineReason: "No capacity this month" });
    const staffView = await as(op.users.caseworker.actor, () => Referral.get(r.referralID));
    expect(staffView.status).toBe("declined");
    // the receiving partner cannot withdraw what it did not send
    await expect(
      as(partnerActor, () => Referral.withdrawAsPartner({ referralID: r.referralID, version: 2 })),
    ).rejects.toMatchObject({ code: "referral.not_sender" });
  });

  it("a partner refers someone to the operation; staff accept it; the partner follows the status and may withdraw its own", async () => {
    const { op, partnerActor } = await setup();
    const sent = await as(partnerActor, () =>
      Referral.createFromPartner({
        officeID: op.officeA,
        serviceCategory: "shelter",
        reason: "Family sleeping outdoors",
        consent: { given: true, date: "2026-02-01" },
        person: { givenName: "Ali", familyName: "Hassan", sex: "male", languages: ["ara"] },
      }),
    );
    expect(sent).toMatchObject({ box: "sent", status: "pending" });
    await expect(
      as(partnerActor, () =>
        Referral.createFromPartner({
          officeID: op.officeA,
          serviceCategory: "shelter",
          reason: "x",
          consent: { given: false },
          person: {},
        }),
      ),
    ).rejects.toMatchObject({ code: "referral.consent_required" });
    const list = await call("GET", `/api/referrals?officeID=${op.officeA}`, {
      token: op.users.caseworker.token,
    });
    const incoming = list.json.items.find((i: { referralID: string }) => i.referralID === sent.referralID);
    expect(incoming).toMatchObject({
      direction: "incoming",
      fromOrganisationID: partnerActor.organisationID,
    });
    const staffWithdraw = await call("POST", `/api/referrals/${sent.referralID}/withdraw`, {
      token: op.users.caseworker.token,
      body: { version: 1 },
    });
    expect(staffWithdraw.json.code).toBe("referral.not_sender");
    const acc = await call("POST", `/api/referrals/${sent.referralID}/accept`, {
      token: op.users.caseworker.token,
      body: { version: 1 },
    });
    expect(acc.status).toBe(200);
    const outbox = await as(partnerActor, () => Referral.listForPartner({ box: "sent" }));
    expect(outbox.items.map((i) => [i.referralID, i.status])).toEqual([[sent.referralID, "accepted"]]);
    const w = await as(partnerActor, () =>
      Referral.withdrawAsPartner({ referralID: sent.referralID, version: 2, note: "Found other shelter" }),
    );
    expect(w.status).toBe("withdrawn");
  });

  it("a key without the respond scope cannot answer; staff of another office cannot see the referral", async () => {
    const { op, partner, person } = await setup();
    const readOnly = await as(system, () =>
      Organisation.createKey({
        organisationID: partner.organisationID,
        name: "ro",
        scopes: ["referrals:read"],
      }),
    );
    const ro = await Organisation.authenticate(readOnly.key);
    const r = await as(op.users.caseworker.actor, () =>
      Referral.create(outgoing(op, partner.organisationID, person.individualID)),
    );
    await expect(
      as(ro, () => Referral.respondAsPartner({ referralID: r.referralID, outcome: "accept", version: 1 })),
    ).rejects.toMatchObject({ status: 403 });
    const b = await call("GET", `/api/referrals/${r.referralID}`, { token: op.caseworkerB.token });
    expect(b.status).toBe(403);
  });
});
