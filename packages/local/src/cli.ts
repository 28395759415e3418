import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { dataDirFrom } from "./paths.ts";
import { runtimeFile, type RuntimeInfo } from "./runtime.ts";

const USAGE = `Usage: npx waypoint <command>

  token --email <staff email> [--operation <operationID>] [--ttl <minutes>]
        Print a short-lived staff bearer token (local mode only).
  partner create --name "<organisation>" --scopes referrals:write,referrals:read [--operation <operationID>]
        Create a partner organisation and print its API key (shown once).
  seed --individuals <N>
        Add N synthetic individuals (in households) to the demo operation, with a progress bar.

Works against the instance started by \`npm start\` (same WAYPOINT_DATA).`;

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
  const file = runtimeFile(dataDir);
  if (!existsSync(file))
    throw new Error(`No running Waypoint found in ${dataDir}: start it with \`npm start\` first.`);
  const info = JSON.parse(readFileSync(file, "utf8")) as RuntimeInfo;
  process.env.WAYPOINT_DYNAMO_ENDPOINT = info.dynamoEndpoint;
  process.env.WAYPOINT_TABLE = info.tableName;
  process.env.WAYPOINT_AUTH_SECRET = readFileSync(`${dataDir}/auth-secret`, "utf8").trim();
  const { config, resetConfig } = await import("@waypoint/core");
  resetConfig();
  if (config().mode !== "local" || !isLoopback(config().dynamoEndpoint))
    throw new Error(`local mode only: ${file} does not describe a database on this machine`);
  return info;
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
