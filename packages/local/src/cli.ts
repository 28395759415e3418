import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { dataDirFrom } from "./paths.ts";
import { memoryPointer, runtimeFile, type RuntimeInfo } from "./runtime.ts";

const USAGE = `Usage: npx waypoint <command>

  token --email <staff email> [--operation <operationID>] [--ttl <minutes>]
        Print a short-lived staff bearer token (local mode only).
  partner create --name "<organisation>" --scopes referrals:write,referrals:read [--operation <operationID>]
        Create a partner organisation and print its API key (shown once).
  seed --individuals <N>
        Add N synthetic individuals (in households) to the demo operation, with a progress bar.
  admin create --email <e-mail> --name "<name>" --stage <stage> [--table <name>] [--operation <operationID>]
               [--country SN --currency XOF --time-zone Africa/Dakar --operation-name "Senegal" --languages fr,en]
        Create the first admin of a deployed stage with your AWS credentials (AWS_PROFILE / AWS_REGION), on the
        stage's table (found by its name, or --table). On an empty table, the --country… options open the first
        operation. Prints a temporary password once; it must be changed at first sign-in.
        --endpoint <url> (or WAYPOINT_DYNAMO_ENDPOINT) points at DynamoDB Local instead of AWS (tests).
  admin rotate-at-rest-key [--stage <stage> --kms-key <key ARN> [--table <name>]]
        Add a new at-rest key (the key that seals authenticator, webhook and single sign-on secrets): new values
        are sealed with it from then on; values sealed with older keys keep opening. Without --stage: the local
        instance. With --stage: a deployed stage, with your AWS credentials and the stage's KMS key (--kms-key or
        WAYPOINT_KMS_KEY_ID; --endpoint for DynamoDB Local).

Works against the instance started by \`npm start\` (same WAYPOINT_DATA), \`npm start -- --memory\` included;
\`admin create --stage\` and \`admin rotate-at-rest-key --stage\` work against a deployed stage instead.`;

/** The AWS settings (SST-linked resources, a stage) that would point core at a deployed stage. */
export function awsSettings(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(env)
    .filter((k) => k.startsWith("SST_RESOURCE_") || k === "SST_STAGE")
    .filter((k) => env[k])
    .sort();
}

const isLoopback = (endpoint: string | undefined) => {
  try {
    const host = new URL(endpoint ?? "").hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
};

/**
 * Connects core to the running local instance described by its runtime file. Local mode only: with AWS settings
 * in the environment core would sign tokens with the stage's secret and write to its table, so the CLI refuses,
 * and it refuses a runtime file whose database is not on this machine.
 */
async function connect(): Promise<RuntimeInfo> {
  const aws = awsSettings();
  if (aws.length)
    throw new Error(
      `local mode only: AWS settings are present (${aws.join(", ")}); run this outside \`sst shell\` / without them`,
    );
  const dataDir = dataDirFrom();
  let file = runtimeFile(dataDir);
  // `npm start -- --memory` keeps its data in a temporary folder and says where in a pointer file of this user's
  if (!existsSync(file) && memoryInstance()) file = memoryPointer();
  if (!existsSync(file))
    throw new Error(
      `No running Waypoint found in ${dataDir} (nor one started with --memory): start it with \`npm start\` first.`,
    );
  const info = JSON.parse(readFileSync(file, "utf8")) as RuntimeInfo;
  // the instance's master key (privacy/keys.ts: the key file in its data folder) wraps its at-rest keys
  process.env.WAYPOINT_KEY_FILE ??= `${info.dataDir ?? dataDir}/master.key`;
  process.env.WAYPOINT_DYNAMO_ENDPOINT = info.dynamoEndpoint;
  process.env.WAYPOINT_TABLE = info.tableName;
  process.env.WAYPOINT_AUTH_SECRET = readFileSync(`${info.dataDir ?? dataDir}/auth-secret`, "utf8").trim();
  const { config, resetConfig } = await import("@waypoint/core");
  resetConfig();
  if (config().mode !== "local" || !isLoopback(config().dynamoEndpoint))
    throw new Error(`local mode only: ${file} does not describe a database on this machine`);
  return info;
}

/** Is there a live `--memory` instance of this user (its pointer is theirs, 0600, and its process runs)? */
function memoryInstance(): boolean {
  const p = memoryPointer();
  if (!existsSync(p)) return false;
  const st = statSync(p);
  if ((process.getuid && st.uid !== process.getuid()) || (st.mode & 0o077) !== 0) return false;
  try {
    const info = JSON.parse(readFileSync(p, "utf8")) as RuntimeInfo;
    process.kill(info.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Points core at a deployed stage's table with the operator's AWS credentials (or at DynamoDB Local with
 * `--endpoint`, for tests). The table is the one SST named `waypoint-<stage>-TableTable-<suffix>`, or `--table`.
 */
async function connectStage(opts: { stage: string; table?: string; endpoint?: string }): Promise<string> {
  const { DynamoDBClient, ListTablesCommand } = await import("@aws-sdk/client-dynamodb");
  const client = new DynamoDBClient(
    opts.endpoint
      ? { endpoint: opts.endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {},
  );
  let table = opts.table;
  if (!table) {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    const found = names.filter((n) => n.startsWith(`waypoint-${opts.stage}-TableTable`));
    if (found.length !== 1)
      throw new Error(
        found.length
          ? `Several tables match stage ${opts.stage} (${found.join(", ")}): pass --table`
          : `No Waypoint table for stage ${opts.stage} in this account and region: deploy it first, or pass --table (the \`table\` output of \`sst deploy\`)`,
      );
    table = found[0]!;
  }
  client.destroy();
  for (const k of Object.keys(process.env)) if (k.startsWith("SST_RESOURCE_")) delete process.env[k];
  if (opts.endpoint) {
    process.env.WAYPOINT_DYNAMO_ENDPOINT = opts.endpoint;
    process.env.WAYPOINT_TABLE = table;
  } else {
    // AWS mode through the same settings the Lambda gets; the CLI signs no token, so the secret is a throwaway
    process.env.SST_RESOURCE_Table = JSON.stringify({ name: table });
    process.env.SST_RESOURCE_AuthSecret = JSON.stringify({ value: randomBytes(32).toString("hex") });
    process.env.SST_STAGE = opts.stage;
  }
  const { resetConfig } = await import("@waypoint/core");
  const { resetDynamo } = await import("@waypoint/core/dynamo");
  resetConfig();
  resetDynamo();
  return table;
}

/** A temporary password: 20 characters from an alphabet without look-alikes. */
function temporaryPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join("");
}

async function adminCreate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      stage: { type: "string" },
      table: { type: "string" },
      endpoint: { type: "string" },
      operation: { type: "string" },
      "operation-name": { type: "string" },
      country: { type: "string" },
      currency: { type: "string" },
      "time-zone": { type: "string" },
      languages: { type: "string" },
    },
  });
  if (!values.email || !values.stage)
    throw new Error('--email and --stage are required, e.g. admin create --email ana@agency.org --name "Ana" --stage production');
  const table = await connectStage({
    stage: values.stage,
    table: values.table,
    endpoint: values.endpoint ?? process.env.WAYPOINT_DYNAMO_ENDPOINT,
  });
  const { Actor, Operation, User } = await import("@waypoint/core");
  const password = temporaryPassword();
  const result = await Actor.provide({ type: "system", reason: "cli:admin-create" }, async () => {
    if (await User.byEmail(values.email!)) throw new Error(`A staff account with e-mail ${values.email} already exists`);
    let operationID = values.operation;
    let opened: string | undefined;
    if (!operationID) {
      const ops = await Operation.list();
      if (ops.length === 1) operationID = ops[0]!.operationID;
      else if (ops.length > 1)
        throw new Error(`This stage has ${ops.length} operations: say which with --operation (${ops.map((o) => `${o.operationID} ${o.name}`).join(", ")})`);
      else {
        if (!values.country || !values.currency || !values["time-zone"])
          throw new Error(
            "The stage has no operation yet: open the first one with --country <ISO 3166 alpha-2> --currency <ISO 4217> --time-zone <IANA zone> [--operation-name …] [--languages en,fr]",
          );
        const op = await Operation.create({
          name: values["operation-name"] ?? values.country,
          country: values.country,
          currency: values.currency,
          timeZone: values["time-zone"],
          languages: (values.languages ?? "en").split(",").map((l) => l.trim()) as never,
        });
        operationID = op.operationID;
        opened = op.name;
      }
    } else await Operation.get(operationID);
    const user = await User.create({
      email: values.email!,
      name: values.name ?? values.email!,
      password,
      mustChangePassword: true,
      grants: [{ operationID, role: "admin", officeIDs: [] }],
    });
    return { user, operationID, opened };
  });
  console.log(
    [
      `stage ${values.stage}, table ${table}`,
      ...(result.opened ? [`opened operation "${result.opened}" (${result.operationID})`] : []),
      `admin ${result.user.email} (${result.user.userID}) of operation ${result.operationID}`,
      "temporary password (shown once; sign in with it and change it at once):",
      password,
    ].join("\n"),
  );
  return 0;
}

/**
 * `admin rotate-at-rest-key`: adds the next key of the deployment's at-rest key ring (common/seal.ts SealKeys.rotate),
 * on the local instance or, with --stage, on a deployed stage (its KMS master key wraps the new key). Prints the
 * key that sealed until now and the new one.
 */
async function rotateAtRestKey(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stage: { type: "string" },
      table: { type: "string" },
      endpoint: { type: "string" },
      "kms-key": { type: "string" },
    },
  });
  let where: string;
  if (values.stage) {
    const endpoint = values.endpoint ?? process.env.WAYPOINT_DYNAMO_ENDPOINT;
    const kmsKey = values["kms-key"] ?? process.env.WAYPOINT_KMS_KEY_ID;
    if (!endpoint && !kmsKey)
      throw new Error(
        "--kms-key is required with --stage: the ARN of the stage's KMS key (the WAYPOINT_KMS_KEY_ID of its API function)",
      );
    if (kmsKey) process.env.WAYPOINT_KMS_KEY_ID = kmsKey;
    const table = await connectStage({ stage: values.stage, table: values.table, endpoint });
    where = `stage ${values.stage}, table ${table}`;
  } else {
    const info = await connect();
    where = `local instance, table ${info.tableName}`;
  }
  const { SealKeys } = await import("@waypoint/core/common/seal");
  SealKeys.forget();
  const before = await SealKeys.current();
  const after = await SealKeys.rotate();
  console.log(
    [
      where,
      `at-rest key ${after} added: new secrets are sealed with it (functions already running keep the previous key until they start again)`,
      `values sealed with ${before} and older keys still open`,
    ].join("\n"),
  );
  return 0;
}

export function progressBar(total: number, label: string) {
  const width = 30;
  let last = -1;
  return (done: number) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === last && done !== total) return;
    last = pct;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} (${pct}%)`,
    );
    if (done >= total) process.stderr.write("\n");
  };
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub] = argv;
  try {
    if (cmd === "token") {
      const { values } = parseArgs({
        args: argv.slice(1),
        options: {
          email: { type: "string" },
          operation: { type: "string" },
          ttl: { type: "string", default: "60" },
        },
      });
      if (!values.email) throw new Error("--email is required");
      await connect();
      const { Auth, User } = await import("@waypoint/core");
      const user = await User.byEmail(values.email);
      if (!user) throw new Error(`No staff user with e-mail ${values.email}`);
      const { token } = await Auth.issue(user, values.operation, Number(values.ttl) * 60);
      console.log(token);
      return 0;
    }
    if (cmd === "partner" && sub === "create") {
      const { values } = parseArgs({
        args: argv.slice(2),
        options: { name: { type: "string" }, scopes: { type: "string" }, operation: { type: "string" } },
      });
      if (!values.name || !values.scopes)
        throw new Error(
          '--name and --scopes are required, e.g. --name "Casa Refugiados" --scopes referrals:write,referrals:read',
        );
      await connect();
      const { Actor, Operation, Organisation } = await import("@waypoint/core");
      const result = await Actor.provide({ type: "system", reason: "cli" }, async () => {
        const operationID = values.operation ?? (await Operation.list())[0]?.operationID;
        if (!operationID) throw new Error("No operation exists yet");
        const org = await Organisation.create({ operationID, name: values.name! });
        return Organisation.createKey({
          organisationID: org.organisationID,
          name: "cli",
          scopes: values.scopes!.split(",").map((s) => s.trim()) as never,
        });
      });
      console.log(
        `organisation: ${result.organisationID}\nscopes: ${result.scopes.join(", ")}\napi key (shown once, store it now):\n${result.key}`,
      );
      return 0;
    }
    if (cmd === "admin" && sub === "create") return await adminCreate(argv.slice(2));
    if (cmd === "admin" && sub === "rotate-at-rest-key") return await rotateAtRestKey(argv.slice(2));
    if (cmd === "seed") {
      const { values } = parseArgs({ args: argv.slice(1), options: { individuals: { type: "string" } } });
      const n = Number(values.individuals);
      if (!Number.isInteger(n) || n < 1) throw new Error("--individuals must be a positive whole number");
      await connect();
      const { seedIndividuals } = await import("./seed/scale.ts");
      const bar = progressBar(n, "seeding individuals");
      const { Actor } = await import("@waypoint/core");
      const made = await Actor.provide({ type: "system", reason: "seed" }, () => seedIndividuals(n, bar));
      console.log(`added ${made} individuals`);
      return 0;
    }
    console.log(USAGE);
    return cmd && cmd !== "help" && cmd !== "--help" ? 2 : 0;
  } catch (err) {
    console.error(`waypoint: ${(err as Error).message}`);
    return 1;
  }
}
