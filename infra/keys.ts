/**
 * The stage's master key in AWS KMS (packages/core/src/privacy/keys.ts): it wraps each operation's narrative data
 * key (restricted case notes, incident descriptions, BID reasons) and the at-rest keys that seal authenticator
 * secrets, partners' webhook signing secrets and single sign-on client secrets (packages/core/src/common/seal.ts).
 * Only wrapped keys reach the table; a function unwraps them with `kms:Decrypt` under an encryption context that
 * names the operation or key and the purpose. KMS rotates the key material every year and keeps the old material
 * to decrypt, so nothing sealed ever needs the stage's AuthSecret (which signs sessions and is rotated on its own).
 *
 * Functions that seal or open such values get `WAYPOINT_KMS_KEY_ID` and these permissions (`kmsAccess`); on AWS
 * the code refuses to run without the variable rather than seal with a weaker key.
 */
export const masterKey = new aws.kms.Key("MasterKey", {
  description: `Waypoint ${$app.stage}: wraps data keys (narratives, secrets at rest)`,
  enableKeyRotation: true,
  // a deleted key makes every sealed value unreadable: the longest waiting period KMS allows
  deletionWindowInDays: 30,
});

/** Environment and IAM statement for a function that seals or opens values (see above). */
export const kmsAccess = {
  environment: { WAYPOINT_KMS_KEY_ID: masterKey.arn },
  permission: { actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [masterKey.arn] },
};
