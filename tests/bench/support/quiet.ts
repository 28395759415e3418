import { spawn, type ChildProcess } from "node:child_process";

/**
 * Waits for a quiet machine before a benchmark measures, when `BENCH_QUIET_LOCK` names a lock file: takes that file's
 * exclusive flock(1) lock (so test runs that take it shared finish first and new ones wait) and holds it until
 * `release()`. A long preparation (seeding 100,000 records) can then share the machine while only the measuring
 * has it alone. Without the variable it does nothing.
 */
export async function quietMachine(): Promise<{ release: () => void; waitedMs: number }> {
  const file = process.env.BENCH_QUIET_LOCK;
  if (!file) return { release: () => undefined, waitedMs: 0 };
  const t0 = performance.now();
  // the lock is held while the child reads its stdin: ending it (or this process dying) lets the lock go
  const child: ChildProcess = spawn("flock", ["-x", file, "-c", "echo locked; cat > /dev/null"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (b: Buffer) => b.toString().includes("locked") && resolve());
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`flock exited with ${code}`)));
  });
  const release = () => {
    child.stdin!.end();
  };
  process.once("exit", release);
  return { release, waitedMs: performance.now() - t0 };
}
