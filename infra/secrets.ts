/**
 * Secrets are set per stage with `npx sst secret set <Name> <value> --stage <stage>` and never live in the repo.
 *
 * AuthSecret signs staff session tokens (JWT, HS256): at least 32 random bytes, e.g. `openssl rand -hex 32`.
 * A deploy without it fails with "Set a value for AuthSecret", which is what we want.
 */
export const authSecret = new sst.Secret("AuthSecret");
