import { log } from "../common/log.ts";
import { open, SealKeys, sealedTheOldWay } from "../common/seal.ts";
import { AtRestKeyEntity } from "./at-rest-key.entity.ts";

/**
 * Secrets sealed the old way (`sealed.v1.`: under a key derived from the AuthSecret, which is rotated) sealed
 * again with the at-rest key ring (common/seal.ts), so a later AuthSecret rotation cannot make them unreadable:
 * authenticator secrets, partners' webhook signing secrets, single sign-on client secrets. Each is also sealed
 * again when it is next used (sign-in, a delivery, a provider discovery); this walks the rest, once per
 * deployment (the scheduled retention job calls it; the ring's current key records that it was done).
 *
 * Each write is conditional on the value read, so a secret changed meanwhile is left as it is. A value that no
 * accepted AuthSecret opens any more (sealed before a rotation whose grace is over) cannot be saved: it is
 * counted and logged, and stays as it is (an administrator resets that authenticator, the partner sets its
 * webhook again, the SSO client secret is entered again).
 */
export interface ResealReport {
  secondFactors: number;
  webhooks: number;
  sso: number;
  /** Values that no accepted AuthSecret opens any more. */
  unreadable: number;
  /** Writes that failed (tried again at next use, or by the next run while the job is not marked done). */
  failed: number;
}

export async function resealLegacySecrets(): Promise<ResealReport> {
  const [{ SecondFactorEntity }, { SecondFactor }, { OrganisationEntity }, { Webhook }, { SsoConfigEntity }, { Sso }] =
    await Promise.all([
      import("../auth/second-factor.entity.ts"),
      import("../auth/totp.ts"),
      import("../organisation/organisation.entity.ts"),
      import("../webhook/index.ts"),
      import("../auth/sso-config.entity.ts"),
      import("../auth/oidc.ts"),
    ]);
  const report: ResealReport = { secondFactors: 0, webhooks: 0, sso: 0, unreadable: 0, failed: 0 };
  const one = async (
    kind: "secondFactors" | "webhooks" | "sso",
    purpose: string,
    stored: string | undefined,
    reseal: (stored: string, plaintext: string) => Promise<boolean>,
  ) => {
    if (!stored || !sealedTheOldWay(stored)) return;
    let plaintext: string;
    try {
      plaintext = (await open(purpose, stored)).plaintext;
    } catch {
      report.unreadable++;
      return;
    }
    if (await reseal(stored, plaintext)) report[kind]++;
    else report.failed++;
  };

  // one authenticator per user, keyed by user: a scan of that entity (once per deployment)
  for (const f of (await SecondFactorEntity.scan.go({ pages: "all" })).data)
    await one("secondFactors", "totp-secret", f.secret, (s, p) => SecondFactor.resealSecret(f.userID, s, p));
  for (const o of (await OrganisationEntity.scan.go({ pages: "all" })).data)
    await one("webhooks", "webhook-secret", o.webhookSecret, (s, p) => Webhook.resealSecret(o.organisationID, s, p));
  for (const c of (await SsoConfigEntity.query.listed({ listed: "sso" }).go({ pages: "all" })).data)
    await one("sso", "oidc-client-secret", c.clientSecret, (s, p) => Sso.resealSecret(c.operationID, s, p));
  return report;
}

/** `resealLegacySecrets` once per deployment (recorded on the ring's current key); undefined when done before. */
export async function resealLegacySecretsOnce(): Promise<ResealReport | undefined> {
  const keyID = await SealKeys.current(); // makes the ring's first key if there is none yet
  const keys = (await AtRestKeyEntity.query.primary({ ring: "atrest" }).go({ pages: "all", consistent: true })).data;
  if (keys.some((k) => k.legacyResealedAt)) return undefined;
  const report = await resealLegacySecrets();
  const sealed = report.secondFactors + report.webhooks + report.sso;
  log.info({ ...report }, "secrets sealed the old way sealed again");
  if (report.failed === 0)
    await AtRestKeyEntity.patch({ ring: "atrest", keyID })
      .set({ legacyResealedAt: new Date().toISOString(), legacyResealed: sealed })
      .go({ response: "none" });
  return report;
}
