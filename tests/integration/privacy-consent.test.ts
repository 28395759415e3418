import { beforeAll, describe, expect, it } from "vitest";
import { Individual, Referral } from "@waypoint/core";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { OutboxEntity } from "@waypoint/core/webhook/webhook.entity";
import { as, call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let t: TestOperation;
beforeAll(async () => {
  t = await createTestOperation();
});

async function personWithReferral(partnerOrg: string, familyName = "Calderón") {
  const { record } = await as(t.users.caseworker.actor, () =>
    Individual.create(
      {
        givenName: "Esperanza",
        familyName,
        sex: "female",
        dateOfBirth: "1988-08-08",
        nationality: "SLV",
        officeID: t.officeA,
        legalStatus: "asylum_seeker",
      },
      { overrideDuplicates: { reason: "consent fixture" } },
    ),
  );
  const referral = await as(t.users.caseworker.actor, () =>
    Referral.create({
      officeID: t.officeA,
      toOrganisationID: partnerOrg,
      individualID: record.individualID,
      serviceCategory: "health",
      reason: "Medical follow-up",
      consent: { given: true, date: "2026-01-10", scope: "health partners" },
    }),
  );
  return { individualID: record.individualID, referral };
}

describe("consent by purpose", () => {
  it("consent is recorded per purpose with date, how and by whom; withdrawing sharing makes the partner's next read a 404, drops queued deliveries, and is audited", async () => {
    const partner = await createPartnerKey(t.operationID, ["referrals:read", "referrals:respond"], "Clinic");
    const hook = await call("PUT", "/v1/webhook", { token: partner.key, body: { url: "http://127.0.0.1:9/h" } });
    expect(hook.status).toBe(200);
    const { individualID, referral } = await personWithReferral(partner.organisation.organisationID);
    const token = t.users.supervisor.token;

    const given = await call("POST", `/api/individuals/${individualID}/consents`, {
      token,
      body: {
        purpose: "sharing",
        organisationID: partner.organisation.organisationID,
        date: "2026-01-10",
        how: "written",
      },
    });
    expect(given.status).toBe(200);
    const messages = await call("POST", `/api/individuals/${individualID}/consents`, {
      token,
      body: { purpose: "messages", date: "2026-01-10", how: "verbal" },
    });
    expect(messages.status).toBe(200);
    const listed = await call("GET", `/api/individuals/${individualID}/consents`, { token });
    expect(listed.json.items).toHaveLength(2);
    expect(listed.json.items.find((c: { purpose: string }) => c.purpose === "sharing")).toMatchObject({
      organisationID: partner.organisation.organisationID,
      status: "given",
      how: "written",
      givenBy: "person",
      recordedBy: t.users.supervisor.userID,
    });

    // the partner reads the referral while consent holds; a delivery is queued for it
    expect((await call("GET", `/v1/referrals/${referral.referralID}`, { token: partner.key })).status).toBe(200);
    const pending = async () =>
      (
        await OutboxEntity.query
          .byOrganisation({ organisationID: partner.organisation.organisationID })
          .go({ pages: "all" })
      ).data.filter((e) => e.state === "pending" && e.payload.includes(referral.referralID));
    expect((await pending()).length).toBeGreaterThan(0);

    const withdrawn = await call("POST", `/api/individuals/${individualID}/consents/withdraw`, {
      token,
      body: {
        purpose: "sharing",
        organisationID: partner.organisation.organisationID,
        date: "2026-02-01",
        how: "verbal",
      },
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json).toMatchObject({ referralsClosed: 1, consent: { status: "withdrawn" } });
    expect(withdrawn.json.deliveriesDropped).toBeGreaterThan(0);

    // the partner's very next read, and its inbox, no longer hold the person
    expect((await call("GET", `/v1/referrals/${referral.referralID}`, { token: partner.key })).status).toBe(404);
    const inbox = await call("GET", "/v1/referrals?box=received", { token: partner.key });
    expect(inbox.json.items.map((r: { referralID: string }) => r.referralID)).not.toContain(referral.referralID);
    expect(await pending()).toEqual([]);
    // a new referral to the same partner is refused until consent is given again
    await expect(
      as(t.users.caseworker.actor, () =>
        Referral.create({
          officeID: t.officeA,
          toOrganisationID: partner.organisation.organisationID,
          individualID,
          serviceCategory: "health",
          reason: "again",
          consent: { given: true, date: "2026-02-02" },
        }),
      ),
    ).rejects.toMatchObject({ code: "referral.consent_withdrawn" });
    // the other purpose is untouched; the withdrawal is in the person's trail
    const after = await call("GET", `/api/individuals/${individualID}/consents`, { token });
    expect(after.json.items.find((c: { purpose: string }) => c.purpose === "messages").status).toBe("given");
    const trail = (await AuditEntity.query.byRecord({ recordID: individualID }).go({ pages: "all" })).data;
    expect(trail.find((e) => e.action === "consent.withdraw")).toMatchObject({
      actorID: t.users.supervisor.userID,
    });
  });

  it("a viewer can neither record nor withdraw consent", async () => {
    const partner = await createPartnerKey(t.operationID, ["referrals:read"], "Other");
    const { individualID } = await personWithReferral(partner.organisation.organisationID, "Quintanilla");
    const res = await call("POST", `/api/individuals/${individualID}/consents/withdraw`, {
      token: t.users.viewer.token,
      body: { purpose: "sharing", serviceCategory: "health", date: "2026-02-01", how: "verbal" },
    });
    expect(res.status).toBe(403);
  });
});
