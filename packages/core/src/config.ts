/**
 * The only way configuration reaches code. On AWS, SST links resources into the Lambda as
 * `SST_RESOURCE_<Name>` environment variables holding JSON (what `Resource` from "sst" reads); we read them
 * directly so the Lambda bundle does not carry the SST SDK. Locally, `WAYPOINT_*` variables and defaults apply.
 */
import { Table } from "./table.ts";

export interface WaypointConfig {
  mode: "aws" | "local";
  stage: string;
  tableName: string;
  region: string;
  /** DynamoDB endpoint; undefined on AWS. */
  dynamoEndpoint?: string;
  authSecret: string;
  /**
   * The secret before the last rotation and when it was replaced (epoch ms): tokens it signed are accepted for
   * `SigningKeys.GRACE_SECONDS` after that, then refused (auth/keys.ts). AWS: the `AuthSecretPrevious` secret,
   * `<previous value> <ISO time of the rotation>`; locally `WAYPOINT_AUTH_SECRET_PREVIOUS` and
   * `WAYPOINT_AUTH_SECRET_ROTATED_AT`.
   */
  previousAuthSecret?: { value: string; rotatedAt: number };
  /** Where exports and documents go: a folder locally, a bucket on AWS. */
  objectStore: { kind: "folder"; path: string } | { kind: "s3"; bucket: string; endpoint?: string };
  stateMachineArn?: string;
  /** Multiplier for workflow waits (local demos and tests); 1 on AWS. */
  waitScale: number;
  /** Demo accounts the sign-in page may show: set by the local runtime only (`WAYPOINT_DEMO`), never on AWS. */
  demo?: { accounts: string[]; password: string };
}

function demoAccounts(): WaypointConfig["demo"] {
  const raw = process.env.WAYPOINT_DEMO;
  if (!raw) return undefined;
  try {
    const d = JSON.parse(raw) as { accounts?: unknown; password?: unknown };
    if (!Array.isArray(d.accounts) || typeof d.password !== "string") return undefined;
    return { accounts: d.accounts.map(String), password: d.password };
  } catch {
    return undefined;
  }
}

/** `<secret> <ISO time>` (or the two apart): the previous secret and when it was rotated, if both are readable. */
function previousSecret(
  value: string | undefined,
  at: string | undefined,
): WaypointConfig["previousAuthSecret"] {
  if (!value || value === "none") return undefined;
  const [secret, when] = at === undefined ? value.trim().split(/\s+/) : [value.trim(), at];
  const rotatedAt = Date.parse(when ?? "");
  if (!secret || !Number.isFinite(rotatedAt)) return undefined;
  return { value: secret, rotatedAt };
}

/** A linked resource's value on AWS (`SST_RESOURCE_<Name>`), or undefined. */
export function sstResource<T>(name: string): T | undefined {
  const raw = process.env[`SST_RESOURCE_${name}`];
  return raw ? (JSON.parse(raw) as T) : undefined;
}

let cached: WaypointConfig | undefined;

export function config(): WaypointConfig {
  if (cached) return cached;
  const table = sstResource<{ name: string }>("Table");
  if (table) {
    const secret = sstResource<{ value: string }>("AuthSecret");
    const bucket = sstResource<{ name: string }>("Files");
    const machine = sstResource<{ arn: string }>("RelocationMachine");
    if (!secret?.value) throw new Error("AuthSecret is not linked: run `npx sst secret set AuthSecret …`");
    cached = {
      mode: "aws",
      stage: process.env.SST_STAGE ?? "aws",
      tableName: table.name,
      region: process.env.AWS_REGION ?? "us-east-1",
      authSecret: secret.value,
      previousAuthSecret: previousSecret(
        sstResource<{ value: string }>("AuthSecretPrevious")?.value,
        undefined,
      ),
      objectStore: { kind: "s3", bucket: bucket?.name ?? "" },
      stateMachineArn: machine?.arn,
      waitScale: 1,
    };
    return cached;
  }
  const dataDir = process.env.WAYPOINT_DATA ?? ".waypoint";
  cached = {
    mode: "local",
    stage: "local",
    tableName: process.env.WAYPOINT_TABLE ?? Table.name,
    region: "local",
    dynamoEndpoint: process.env.WAYPOINT_DYNAMO_ENDPOINT ?? "http://127.0.0.1:8000",
    authSecret: process.env.WAYPOINT_AUTH_SECRET ?? "local-development-secret-not-for-production-use",
    previousAuthSecret: previousSecret(
      process.env.WAYPOINT_AUTH_SECRET_PREVIOUS,
      process.env.WAYPOINT_AUTH_SECRET_ROTATED_AT ?? "",
    ),
    // An S3-compatible store (MinIO, tests) instead of the folder when WAYPOINT_S3_BUCKET names a bucket.
    objectStore: process.env.WAYPOINT_S3_BUCKET
      ? { kind: "s3", bucket: process.env.WAYPOINT_S3_BUCKET, endpoint: process.env.WAYPOINT_S3_ENDPOINT }
      : { kind: "folder", path: process.env.WAYPOINT_FILES ?? `${dataDir}/files` },
    waitScale: Number(process.env.WAYPOINT_WAIT_SCALE ?? "1"),
    demo: demoAccounts(),
  };
  return cached;
}

/** Tests and the local runtime change the environment before first use; this forgets the cached value. */
export function resetConfig(): void {
  cached = undefined;
}
