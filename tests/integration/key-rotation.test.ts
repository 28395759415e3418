import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "@waypoint/core/config";
import { SigningKeys } from "@waypoint/core/auth/keys";
import { call, createTestOperation } from "../support/fixtures.ts";

/**
 * Rotating the signing secret: tokens signed with the previous secret stay valid for the grace period after the
 * rotation (the open app refreshes and gets a token signed with the new one), then are refused; tokens forged
 * with any other secret never were.
 */
const OLD = process.env.WAYPOINT_AUTH_SECRET!;
const NEW = "rotated-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0";

function rotate(rotatedAt: number | undefined) {
  process.env.WAYPOINT_AUTH_SECRET = NEW;
  if (rotatedAt === undefined) {
    delete process.env.WAYPOINT_AUTH_SECRET_PREVIOUS;
    delete process.env.WAYPOINT_AUTH_SECRET_ROTATED_AT;
  } else {
    process.env.WAYPOINT_AUTH_SECRET_PREVIOUS = OLD;
    process.env.WAYPOINT_AUTH_SECRET_ROTATED_AT = new Date(rotatedAt).toISOString();
  }
  resetConfig();
}

afterEach(() => {
  process.env.WAYPOINT_AUTH_SECRET = OLD;
  delete process.env.WAYPOINT_AUTH_SECRET_PREVIOUS;
  delete process.env.WAYPOINT_AUTH_SECRET_ROTATED_AT;
  resetConfig();
});

describe("signing secret rotation", () => {
  it("accepts tokens of the previous secret during the grace period, then refuses them", async () => {
    const t = await createTestOperation();
    const before = t.users.caseworker.token; // signed with the secret before the rotation
    expect((await call("GET", "/api/me", { token: before })).status).toBe(200);

    // rotated a minute ago: the old token still works, and refreshing it gives a token of the new secret
    rotate(Date.now() - 60_000);
    const me = await call("GET", "/api/me", { token: before });
    expect(me.status, me.text).toBe(200);
    expect(me.json.userID).toBe(t.users.caseworker.userID);
    const refreshed = await call("POST", "/auth/refresh", { token: before });
    expect(refreshed.status, refreshed.text).toBe(200);
    const fresh = refreshed.json.token as string;

    // the grace period is over: the old token is refused, the refreshed one works
    rotate(Date.now() - SigningKeys.GRACE_SECONDS * 1000 - 1000);
    const late = await call("GET", "/api/me", { token: before });
    expect(late.status).toBe(401);
    expect(late.json.code).toBe("session.expired");
    expect((await call("POST", "/auth/refresh", { token: before })).status).toBe(401);
    expect((await call("GET", "/api/me", { token: fresh })).status).toBe(200);

    // a rotation without the previous secret kept: old tokens are refused at once
    rotate(undefined);
    expect((await call("GET", "/api/me", { token: before })).status).toBe(401);
    expect((await call("GET", "/api/me", { token: fresh })).status).toBe(200);
  });

  it("keeps a sign-in's second step (the challenge) working across the rotation during the grace period", async () => {
    const t = await createTestOperation();
    const { SecondFactor } = await import("@waypoint/core/auth/totp");
    const challenge = await SecondFactor.challenge(t.users.supervisor.userID, t.operationID, "enrol");
    rotate(Date.now() - 60_000);
    await expect(SecondFactor.readChallenge(challenge.challenge)).resolves.toMatchObject({ step: "enrol" });
    rotate(Date.now() - SigningKeys.GRACE_SECONDS * 1000 - 1000);
    await expect(SecondFactor.readChallenge(challenge.challenge)).rejects.toThrow(/expired/);
  });
});
