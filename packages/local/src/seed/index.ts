import { Actor, log } from "@waypoint/core";
import { UniqueEntity } from "@waypoint/core/common/unique";
import { seedFoundation } from "./foundation.ts";
import { seedCountries } from "./countries.ts";
import { seedRegistry } from "./registry.ts";
import { seedCases } from "./cases.ts";
import { seedRelocation } from "./relocation.ts";
import { seedPayments } from "./payments.ts";
import { seedProgrammes } from "./programmes.ts";
import { seedCommunity } from "./community.ts";
import { seedMessages } from "./messages.ts";
import { seedFeedback } from "./feedback.ts";
import { seedCountryData } from "./country-data.ts";

/**
 * Demo-data seeders, run in order on first start. Each module adds one (registry, payments, relocation…);
 * a seeder must only use core operations so the demo data obeys the same rules as real data.
 */
export const seeders: { name: string; run: () => Promise<void> }[] = [
  { name: "foundation", run: seedFoundation },
  // Mexico's areas, and the Guatemala, Libya, Afghanistan and Senegal operations with their areas, offices and users
  { name: "countries", run: seedCountries },
  { name: "registry", run: seedRegistry },
  // after the registry seeder: links cases, referrals and appointments to registered people
  { name: "cases", run: seedCases },
  // after the registry seeder: relocations of registered households
  { name: "relocation", run: seedRelocation },
  // after the registry seeder: payees linked to registered individuals
  { name: "payments", run: seedPayments },
  // after registry, cases and payments: resettlement, BIP, hosting (allowances as payments) and AVRR
  { name: "programmes", run: seedProgrammes },
  // after the registry seeder: sessions with registered attendees, enquiries, the service directory and FAQ
  { name: "community", run: seedCommunity },
  // after registry, cases and community: messages in the outbox (sent, delivered, failed), Kobo leads in the queue
  { name: "messages", run: seedMessages },
  // after the registry seeder: complaints (one asks to correct a registered person's name), focal point, incidents
  { name: "feedback", run: seedFeedback },
  // last, so Mexico's data is complete first: registry, casework and the office's programme of Guatemala, Libya,
  // Afghanistan and Senegal (each piece remembered once done, so an interrupted start resumes inside it)
  { name: "country-data", run: seedCountryData },
];

const mark = (name: string) => ({ namespace: "seed", value: name, ownerID: "demo" });

async function done(name: string): Promise<boolean> {
  return Boolean((await UniqueEntity.get({ namespace: "seed", value: name }).go()).data);
}

/** Has every demo seeder run to completion? */
export async function isSeeded(): Promise<boolean> {
  for (const s of seeders) if (!(await done(s.name))) return false;
  return true;
}

/**
 * Runs the demo seeders that have not completed yet, in order, and marks each one when it finishes, so a start
 * interrupted while seeding picks up at the seeder it was in. `only` limits the run to the first seeders (the
 * foundation, which sign-in needs, runs before the server opens; the rest may follow in the background).
 * `skip` leaves out the seeders of those names (a test that needs part of the demo).
 * Returns false when there was nothing left to seed.
 */
export async function seedDemo(
  progress: (name: string) => void = () => undefined,
  only?: number,
  skip?: string[],
): Promise<boolean> {
  const unknown = skip?.filter((n) => !seeders.some((s) => s.name === n)) ?? [];
  if (unknown.length) throw new Error(`unknown demo seeder(s): ${unknown.join(", ")}`);
  let ran = false;
  await Actor.provide({ type: "system", reason: "seed" }, async () => {
    for (const s of seeders.slice(0, only ?? seeders.length)) {
      if (skip?.includes(s.name)) continue;
      if (await done(s.name)) continue;
      progress(s.name);
      const t = performance.now();
      await s.run();
      await UniqueEntity.put(mark(s.name)).go();
      ran = true;
      log.debug({ seeder: s.name, ms: Math.round(performance.now() - t) }, "seeded");
    }
  });
  return ran;
}
