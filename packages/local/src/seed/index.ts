import { Actor, log } from "@waypoint/core";
import { UniqueEntity } from "@waypoint/core/common/unique";
import { seedFoundation } from "./foundation.ts";
import { seedRegistry } from "./registry.ts";
import { seedCases } from "./cases.ts";
import { seedRelocation } from "./relocation.ts";

/**
 * Demo-data seeders, run in order on first start. Each module adds one (registry, payments, relocation…);
 * a seeder must only use core operations so the demo data obeys the same rules as real data.
 */
export const seeders: { name: string; run: () => Promise<void> }[] = [
  { name: "foundation", run: seedFoundation },
  { name: "registry", run: seedRegistry },
  // after the registry seeder: links cases, referrals and appointments to registered people
  { name: "cases", run: seedCases },
  // after the registry seeder: relocations of registered households
  { name: "relocation", run: seedRelocation },
];

const MARK = { namespace: "seed", value: "demo", ownerID: "demo" };

export async function isSeeded(): Promise<boolean> {
  return Boolean((await UniqueEntity.get({ namespace: MARK.namespace, value: MARK.value }).go()).data);
}

/** Seeds the demo operation once; returns false when it was already there. */
export async function seedDemo(progress: (name: string) => void = () => undefined): Promise<boolean> {
  if (await isSeeded()) return false;
  await Actor.provide({ type: "system", reason: "seed" }, async () => {
    for (const s of seeders) {
      progress(s.name);
      const t = performance.now();
      await s.run();
      log.debug({ seeder: s.name, ms: Math.round(performance.now() - t) }, "seeded");
    }
  });
  await UniqueEntity.create(MARK).go();
  return true;
}
