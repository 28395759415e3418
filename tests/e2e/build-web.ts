import { execFileSync } from "node:child_process";
import { repoRoot } from "../../packages/local/src/paths.ts";

/**
 * Builds web/dist so the browser sees the UI as it is in the working tree, not a stale build. Once per run: the
 * e2e global setup builds and sets WAYPOINT_WEB_BUILT, and a file's own call is then a no-op.
 */
export function buildWeb() {
  if (process.env.WAYPOINT_WEB_BUILT) return;
  // vitest runs with NODE_ENV=test, which would make Vite bundle React's development build: test what users get
  execFileSync("npm", ["run", "build", "-w", "web"], {
    cwd: repoRoot,
    stdio: "ignore",
    env: { ...process.env, NODE_ENV: "production" },
  });
}
