import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dictionaries } from "./dictionary.ts";
import { Languages, Messages } from "./messages.ts";

/**
 * Every word the app can show exists in the four languages: the shared messages and every screen dictionary
 * (`*Text.ts` files register theirs with `textFrom`). A word missing in one language falls back to English on
 * screen; the screen crawl opens each dialog in one language only, so this is what keeps the other three whole.
 */
const web = join(import.meta.dirname, "..");
for (const f of readdirSync(web, { recursive: true, encoding: "utf8" }))
  if (/Text\.ts$/.test(f)) await import(join(web, f));

const sources = [
  { name: "messages", dict: Messages as unknown as Record<string, Record<string, string | undefined>> },
  ...dictionaries.map((d) => ({
    name: `screen dictionary "${Object.keys(d.en).slice(0, 2).join(", ")}…"`,
    dict: d as unknown as Record<string, Record<string, string | undefined>>,
  })),
];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("every word in every language", () => {
  it("finds the screen dictionaries", () => {
    // the crawl and this test read them the same way; a rename of the pattern must not make this test vacuous
    expect(dictionaries.length).toBeGreaterThan(15);
  });

  for (const { name, dict } of sources)
    it(`${name}: each English word has es/fr/ar with the same placeholders`, () => {
      const problems: string[] = [];
      for (const [key, en] of Object.entries(dict.en ?? {})) {
        if (!en) continue;
        for (const lang of Languages) {
          if (lang === "en") continue;
          const word = dict[lang]?.[key];
          if (!word?.trim()) problems.push(`${lang} ${key}: missing`);
          else if (placeholders(word).join() !== placeholders(en).join())
            problems.push(
              `${lang} ${key}: placeholders ${placeholders(word).join()} ≠ ${placeholders(en).join()}`,
            );
        }
      }
      expect(problems, problems.join("\n")).toEqual([]);
    });
});
