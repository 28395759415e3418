import { killAllDynamo, StartupError } from "./dynamo-local.ts";
import { startLocal, type LocalStack } from "./runtime.ts";

const args = process.argv.slice(2);
const memory = args.includes("--memory");
const portArg = args.find((a) => a.startsWith("--port="));

let stack: LocalStack | undefined;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  // A stop that hangs (or a second Ctrl-C) must still end the process and its Java child.
  setTimeout(() => process.exit(code), 8000).unref();
  try {
    await stack?.stop();
  } finally {
    process.exit(code);
  }
}

process.on("exit", killAllDynamo);

process.on("SIGINT", () => (stopping ? process.exit(130) : void shutdown(0)));
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0));
process.on("uncaughtException", (err) => {
  console.error(`waypoint: crashed: ${err.name}: ${err.message}`);
  void shutdown(1);
});
process.on("unhandledRejection", (err) => {
  console.error(`waypoint: crashed: ${(err as Error)?.name}: ${(err as Error)?.message}`);
  void shutdown(1);
});

try {
  const t0 = performance.now();
  stack = await startLocal({
    memory,
    seedInBackground: true,
    announce: true,
    port: portArg ? Number(portArg.split("=")[1]) : undefined,
    onProgress: (m) =>
      console.log(`waypoint: ${m}${m.endsWith("ready") || m.startsWith("resumed") ? "" : "…"}`),
  });
  // Imported after start so a busy port or missing Java is reported before the domain code loads.
  const { DEMO_PASSWORD, DEMO_USERS } = await import("./seed/foundation.ts");
  const { COUNTRY_USERS } = await import("./seed/countries.ts");
  const users = [
    ...DEMO_USERS.map((u) => `    ${u.email.padEnd(26)} ${u.role} (Mexico)`),
    ...COUNTRY_USERS.map((u) => `    ${u.email.padEnd(26)} ${u.role} (${u.operation})`),
  ].join("\n");
  console.log(`
  Waypoint is running at ${stack.url}  (started in ${((performance.now() - t0) / 1000).toFixed(1)} s)

  Sign in with any demo user, password "${DEMO_PASSWORD}":
${users}

  Data: ${memory ? "in memory (discarded on exit)" : stack.dataDir}${stack.seeded ? "  (demo operation seeded; more demo data is loading, see below)" : ""}
  API token for scripts:  npx waypoint token --email admin@example.org
  Stop with Ctrl-C.
`);
} catch (err) {
  console.error(
    `waypoint: ${err instanceof StartupError ? err.message : `could not start: ${(err as Error).message}`}`,
  );
  await shutdown(1);
}
