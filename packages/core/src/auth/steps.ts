import { ChallengeCode, ChallengeOnly, ChallengePassword } from "@waypoint/schema/identity";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "../common/errors.ts";
import { batchGetEach } from "../common/batch-get.ts";
import { fn } from "../common/fn.ts";
import { Accounts } from "../user/accounts.ts";
import { User } from "../user/index.ts";
import { UserEntity } from "../user/user.entity.ts";
import { Auth } from "./index.ts";
import { SecondFactor } from "./totp.ts";

/** The user as the actor of their own sign-in steps (audit events name them), in the operation signed into. */
function selfActor(user: User.Info, operationID: string): Actor.User {
  const g = user.grants.find((x) => x.operationID === operationID);
  if (!g) throw new ForbiddenError("operation.access", "No access to this operation");
  return { type: "user", userID: user.userID, email: user.email, operationID, role: g.role, officeIDs: g.officeIDs };
}

/**
 * The second step of a sign-in (after the password, or an SSO sign-in without MFA asserted): the challenge from
 * step one and a code turn into a session; a required user without an authenticator enrols with the challenge.
 */
export namespace SignInSteps {
  /** Code (or recovery code) → session. A wrong or replayed code is a field error; nothing is issued. */
  export const code = fn(ChallengeCode, async (input) => {
    const c = await SecondFactor.readChallenge(input.challenge);
    if (c.step !== "verify")
      throw InvalidError.field("code", "invalid.second_factor", "Set up the authenticator app first");
    // the user and their authenticator in one consistent batch read (one DynamoDB call instead of two)
    const [users, factors] = await batchGetEach(
      [{ entity: UserEntity, keys: [{ userID: c.userID }] }, SecondFactor.readRequest(c.userID)],
      { consistent: true },
    );
    if (!users?.[0]) throw new NotFoundError("user", c.userID);
    const user = User.fromItem(users[0] as Parameters<typeof User.fromItem>[0]);
    const actor = selfActor(user, c.operationID);
    const used = await SecondFactor.spend(user.userID, input.code, Date.now(), {
      factor: factors?.[0] as SecondFactor.Stored | undefined,
    });
    if (used === "recovery")
      await Actor.provide(actor, () =>
        Audit.record({
          recordID: user.userID,
          recordType: "user",
          action: "secondFactor.recoveryCodeUsed",
          operationID: c.operationID,
        }),
      );
    return Auth.issue(user, c.operationID);
  });

  /**
   * A temporary password replaced (the challenge's step is `password`): then the sign-in goes on as after a
   * password, to the second factor if the account needs one, or straight to a session.
   */
  export const newPassword = fn(ChallengePassword, async (input) => {
    const c = await SecondFactor.readChallenge(input.challenge);
    if (c.step !== "password")
      throw new ForbiddenError("password.notTemporary", "This sign-in does not ask for a new password");
    await Accounts.replaceTemporaryPassword(c.userID, c.operationID, input.password);
    const user = await User.get(c.userID);
    const pending = await SecondFactor.gate(user, c.operationID);
    if (pending) return pending;
    return Auth.issue(user, c.operationID);
  });

  /** Enrolment at sign-in: the new secret and its otpauth URI (for the QR code), shown this once. */
  export const enrol = fn(ChallengeOnly, async (input) => {
    const c = await SecondFactor.readChallenge(input.challenge);
    if (c.step !== "enrol")
      throw new ForbiddenError("second_factor.enrolled", "A second factor is already set up for this account");
    const user = await User.get(c.userID);
    selfActor(user, c.operationID);
    return SecondFactor.startEnrolment(user);
  });

  /** The first code confirms the enrolment: a session, and the ten recovery codes (shown once). */
  export const confirm = fn(ChallengeCode, async (input) => {
    const c = await SecondFactor.readChallenge(input.challenge);
    if (c.step !== "enrol")
      throw new ForbiddenError("second_factor.enrolled", "A second factor is already set up for this account");
    const user = await User.get(c.userID);
    const actor = selfActor(user, c.operationID);
    if (user.disabled) throw new ForbiddenError("user.disabled", "This account is disabled");
    const recoveryCodes = await Actor.provide(actor, () =>
      SecondFactor.confirmEnrolment(user.userID, input.code, c.operationID),
    );
    return { ...(await Auth.issue(user, c.operationID)), recoveryCodes };
  });
}
