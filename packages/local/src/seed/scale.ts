/**
 * Synthetic individuals at scale for `npx waypoint seed --individuals N` and the benchmarks.
 * Implemented with the registry module (issue 3).
 */
export async function seedIndividuals(_n: number, _progress: (done: number) => void): Promise<number> {
  throw new Error("seeding individuals needs the registry module, which is not built yet");
}
