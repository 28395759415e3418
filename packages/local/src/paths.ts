import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (packages/local/src → ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const webDist = join(repoRoot, "web", "dist");

export function dataDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.WAYPOINT_DATA ?? join(repoRoot, ".waypoint"));
}
