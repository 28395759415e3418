import { beforeAll, describe, expect, it } from "vitest";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { transactWrite } from "@waypoint/core/common/db";
import { JobEntity } from "@waypoint/core/job/job.entity";
import { ReferralEntity } from "@waypoint/core/referral/referral.entity";
import { Job } from "@waypoint/core";
import {
  as,
  call,
  createPartnerKey,
  createTestOperation,
  system,
  type TestOperation,
} from "../support/fixtures.ts";

let op: TestOperation;
let partner: Awaited<ReturnType<typeof createPartnerKey>>;

const person = (familyName: string) => ({
  givenName: "Yasmin",
  familyName,
  sex: "female",
  dateOfBirth: "1991-03-14",
  nationality: "SYR",
  phone: "+525598765432",
});

async function jobsFor(ref: string) {
  const all = [
    ...(await JobEntity.query.due({ lane: "jobs", state: "pending" }).go({ pages: "all" })).data,
    ...(await JobEntity.query.due({ lane: "jobs", state: "failed" }).go({ pages: "all" })).data,
  ];
  return all.filter((j) => j.ref === ref);
}

/** Runs due jobs of `kind` until none of `ref` is left pending and due (other test files share the queue). */
async function drain(kind: string, ref: string) {
  for (let i = 0; i < 5; i++) {
    await as(system, () => Job.run({ kinds: [kind], limit: 1000 }));
    const left = (await jobsFor(ref)).filter((j) => j.state === "pending" && j.runAt <= Date.now());
    if (left.length === 0) return;
  }
}

beforeAll(async () => {
  op = await createTestOperation();
  partner = await createPartnerKey(op.operationID, ["referrals:write", "referrals:read"], "Jobs partner");
});

describe("deferred jobs", () => {
  it("links a partner's referral to the registered individual after the request, through a job committed with it", async () => {
    const familyName = `Nasser${Date.now().toString(36)}`;
    const registered = await call("POST", "/api/individuals", {
      token: op.users.caseworker.token,
      body: { officeID: op.officeA, ...person(familyName) },
    });
    expect(registered.status, JSON.stringify(registered.json)).toBe(201);
    const individualID = registered.json.individualID as string;

    const res = await call("POST", "/v1/referrals", {
      token: partner.key,
      body: {
        person: person(familyName),
        consent: { dataSharing: true, date: "2026-11-20" },
        serviceCategory: "legal",
        urgency: "urgent",
        narrative: "Needs counselling on her residence permit.",
      },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const referralID = res.json.id as string;
    // The partner's answer never says whether (or whom) it matched.
    expect(res.json).not.toHaveProperty("individualID");
    const before = (await ReferralEntity.get({ referralID }).go()).data!;
    expect(before.individualID).toBeUndefined();
    const queued = await jobsFor(referralID);
    expect(queued.map((j) => j.kind)).toEqual(["referral.match"]);
    expect(queued[0]!.operationID).toBe(op.operationID);

    await drain("referral.match", referralID);
    const after = (await ReferralEntity.get({ referralID }).go()).data!;
    expect(after.individualID).toBe(individualID);
    expect(after.version).toBe(before.version + 1);
    expect(await jobsFor(referralID)).toEqual([]);
    const events = (await AuditEntity.query.byRecord({ recordID: referralID }).go()).data;
    expect(events.map((e) => e.action).sort()).toEqual(["create", "match"]);

    // Running again changes nothing (the job is gone; a re-run of the handler would find the link made).
    await as(system, () => Job.run({ kinds: ["referral.match"], limit: 1000 }));
    expect((await ReferralEntity.get({ referralID }).go()).data!.version).toBe(after.version);
  });

  it("leaves a referral about someone not registered unlinked, and finishes its job", async () => {
    const res = await call("POST", "/v1/referrals", {
      token: partner.key,
      body: {
        // Nobody registered shares this name, birth date or phone (the first test registered a Yasmin).
        person: {
          ...person(`Unknown${Date.now().toString(36)}`),
          givenName: "Leila",
          dateOfBirth: "1984-09-30",
          phone: "+525511122233",
        },
        consent: { dataSharing: true, date: "2026-11-20" },
        serviceCategory: "health",
        urgency: "normal",
        narrative: "Needs a medical check-up.",
      },
    });
    expect(res.status).toBe(201);
    await drain("referral.match", res.json.id);
    expect((await ReferralEntity.get({ referralID: res.json.id }).go()).data!.individualID).toBeUndefined();
    expect(await jobsFor(res.json.id)).toEqual([]);
  });

  it("retries a failing job with backoff, then keeps it as failed with the error's name only", async () => {
    const ref = `test-${Date.now()}`;
    let calls = 0;
    Job.register("test.always-fails", async () => {
      calls++;
      throw new TypeError("would quote a record value: Yasmin");
    });
    await transactWrite([Job.txItem({ kind: "test.always-fails", ref, operationID: op.operationID })]);
    for (let i = 0; i < Job.MAX_ATTEMPTS + 2; i++) {
      await as(system, () => Job.run({ kinds: ["test.always-fails"], backoffBaseMs: 1, limit: 1000 }));
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(calls).toBe(Job.MAX_ATTEMPTS);
    const [job] = await jobsFor(ref);
    expect(job).toMatchObject({ state: "failed", attempts: Job.MAX_ATTEMPTS, lastError: "TypeError" });
    expect(JSON.stringify(job)).not.toContain("Yasmin");
    expect((await Job.failed(1000)).some((j) => j.ref === ref)).toBe(true);
  });

  it("runs a job once when two runners take the queue at the same time", async () => {
    const ref = `race-${Date.now()}`;
    let calls = 0;
    Job.register("test.count", async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 50));
    });
    await transactWrite([Job.txItem({ kind: "test.count", ref, operationID: op.operationID })]);
    await Promise.all([
      as(system, () => Job.run({ kinds: ["test.count"], limit: 1000 })),
      as(system, () => Job.run({ kinds: ["test.count"], limit: 1000 })),
    ]);
    expect(calls).toBe(1);
    expect(await jobsFor(ref)).toEqual([]);
  });
});
