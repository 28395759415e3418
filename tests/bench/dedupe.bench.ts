/**
 * Duplicate search at registration among 100,000 seeded individuals (DynamoDB Local in memory, seeded with the
 * same records and blocking keys a registration writes). Each probe runs `Individual.duplicates`, the exact call a
 * registration makes before writing: one key query per document number, phone and name-key pair (birth-year range),
 * one batch read of the matched records, scoring. Probes: re-registrations of seeded people with a changed
 * spelling (transliteration variant, swapped word order, dropped particle, birth date ±1 year) and new people.
 * Reported: ms per registration (p50/p95/max) and how many variants found their original. Then full registrations
 * (`Individual.create`: search + number + transaction). Target (issue 3): < 300 ms per registration.
 */
import { benchStack, percentile } from "./support/registry.ts";

export const description = "Duplicate search per registration among 100,000 individuals (p50/p95 ms)";

const N = Number(process.env.BENCH_INDIVIDUALS ?? 100_000);
const PROBES = 200;
const TARGET_MS = 300;

const VARIANTS: [RegExp, string][] = [
  [/^Mohammed$/, "Muhammad"],
  [/^Mohammad$/, "Mohamad"],
  [/^Yusuf$/, "Youssef"],
  [/^Ahmad$/, "Ahmed"],
  [/^Khaled$/, "Khalid"],
  [/^Al-/, ""],
  [/ez\b/, "es"],
  [/^Jean-/, "Jean "],
  [/y/, "i"],
  [/ll/, "y"],
  [/v/, "b"],
];

function misspell(name: string): string {
  for (const [re, to] of VARIANTS) if (re.test(name)) return name.replace(re, to);
  return name.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-dedupe-${Date.now()}`);
  const { core, op, offices, admin } = stack;
  try {
    const { seedIndividuals } = await import("../../packages/local/src/seed/scale.ts");
    const { makeHousehold, seedFaker } = await import("../../packages/local/src/seed/people.ts");
    const t0 = performance.now();
    let last = 0;
    await seedIndividuals(
      N,
      (done) => {
        if (done - last >= 10_000) {
          last = done;
          console.error(`  seeded ${done}`);
        }
      },
      { operationID: op.operationID, officeIDs: offices.map((o) => o.officeID), seed: 11, concurrency: 12 },
    );
    const seedSeconds = (performance.now() - t0) / 1000;
    const actor = await core.Auth.verify(admin.token);

    return await core.Actor.provide(actor, async () => {
      const pool = (await core.Individual.list({ limit: 1000, sort: "timeUpdated" })).items.filter(
        (r) => r.dateOfBirth,
      );
      const originals = Array.from({ length: PROBES / 2 }, (_, i) => pool[(i * 37) % pool.length]!);
      const f = seedFaker(99);
      const fresh = Array.from({ length: PROBES / 2 }, () => makeHousehold(f).members[0]!);
      const probes = [
        ...originals.map((r, i) => {
          const year = Number(r.dateOfBirth!.slice(0, 4)) + (i % 3 === 0 ? 1 : 0);
          const swap = i % 4 === 1;
          return {
            original: r.individualID,
            person: {
              givenName: swap ? r.familyName : misspell(r.givenName),
              familyName: swap ? r.givenName : misspell(r.familyName),
              sex: r.sex,
              dateOfBirth: `${year}${r.dateOfBirth!.slice(4)}`,
              nationality: r.nationality,
            },
          };
        }),
        ...fresh.map((m) => ({
          original: undefined,
          person: { ...m, documents: m.documents, phone: m.phone },
        })),
      ];
      await core.Individual.duplicates(probes[0]!.person); // warm-up (connections, JIT)
      const ms: number[] = [];
      let found = 0;
      let freshFlagged = 0;
      for (const p of probes) {
        const t = performance.now();
        const candidates = await core.Individual.duplicates(p.person);
        ms.push(performance.now() - t);
        if (p.original && candidates.some((c) => c.individualID === p.original)) found++;
        if (!p.original && candidates.some((c) => c.strength === "strong")) freshFlagged++;
      }
      const create: number[] = [];
      for (const m of fresh.slice(0, 50)) {
        const t = performance.now();
        const { head: _h, ...values } = m;
        await core.Individual.create(
          { ...values, officeID: offices[0]!.officeID },
          { overrideDuplicates: { reason: "bench: fresh person" } },
        );
        create.push(performance.now() - t);
      }
      const p50 = percentile(ms, 50);
      const p95 = percentile(ms, 95);
      return [
        `${N.toLocaleString("en")} individuals seeded in ${seedSeconds.toFixed(0)} s with \`seedIndividuals\` (records, number claims and blocking keys by BatchWrite); DynamoDB Local in memory.`,
        "",
        "| measure | p50 | p95 | max |",
        "| ------- | --: | --: | --: |",
        `| duplicate search (\`Individual.duplicates\`), ${PROBES} probes | ${p50.toFixed(1)} ms | ${p95.toFixed(1)} ms | ${Math.max(...ms).toFixed(1)} ms |`,
        `| full registration (\`Individual.create\`: search + number + transaction), 50 | ${percentile(create, 50).toFixed(1)} ms | ${percentile(create, 95).toFixed(1)} ms | ${Math.max(...create).toFixed(1)} ms |`,
        "",
        `- re-registrations with a changed spelling, order or birth year that found their original: ${found}/${PROBES / 2}`,
        `- new people flagged as a strong duplicate: ${freshFlagged}/${PROBES / 2}`,
        `- target < ${TARGET_MS} ms per registration (p95 of the search, and p95 of the full registration): ${p95 < TARGET_MS && percentile(create, 95) < TARGET_MS ? "✅" : "❌"}`,
      ].join("\n");
    });
  } finally {
    await stack.stop();
  }
}
