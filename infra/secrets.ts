/**
 * Secrets are set per stage with `npx sst secret set <Name> <value> --stage <stage>` and never live in the repo.
 *
 * AuthSecret signs staff session tokens (JWT, HS256): at least 32 random bytes, e.g. `openssl rand -hex 32`.
 * A deploy without it fails with "Set a value for AuthSecret", which is what we want.
 */
export const authSecret = new sst.Secret("AuthSecret");

/**
 * After rotating AuthSecret: the value it had and when it was replaced, `<previous value> <ISO time>`, e.g.
 * `npx sst secret set AuthSecretPrevious "<old> $(date -u +%FT%TZ)"` before deploying the new AuthSecret. Tokens
 * signed with it stay valid for an hour after that time (packages/core/src/auth/keys.ts), then are refused.
 * "none" (the default) when there is no rotation to bridge.
 */
export const authSecretPrevious = new sst.Secret("AuthSecretPrevious", "none");

/**
 * Messages to people (SMS, WhatsApp) go through Twilio's REST API with the account's SID and Auth Token (the token
 * also checks the signature of Twilio's status and reply callbacks). Set both to send:
 * `npx sst secret set TwilioAccountSid AC… --stage <stage>` and `npx sst secret set TwilioAuthToken … --stage <stage>`.
 * "none" (the default): no provider; messages are queued and stay queued (the sender refuses to run on AWS without
 * one), and callbacks are refused.
 */
export const twilioAccountSid = new sst.Secret("TwilioAccountSid", "none");
export const twilioAuthToken = new sst.Secret("TwilioAuthToken", "none");
