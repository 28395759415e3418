/**
 * Name normalisation and the Waypoint phonetic key, written for the names registries on migration routes in the
 * Americas actually hold: Spanish, French/Haitian Creole, and Arabic, Dari and Pashto names transliterated by
 * whoever did the interview (Mohammed / Muhammad / Mohamed, Yusuf / Youssef, Jalid / Khalid, Jean / Jan).
 *
 * The algorithm (a Soundex-style class code with transliteration-aware digraphs):
 * 1. Fold: strip accents and Arabic diacritics, lower-case, keep letters; split on spaces and hyphens; drop
 *    particles that vary by clerk (de, del, la, y, al, el, bin, ibn…); join `abd al X` / `abdel X` into `abdulX`.
 * 2. Digraphs first: sch/sh/ch → X; kh, j, g before e/i → H (Spanish j and Arabic kh are written for one another);
 *    gh → G; th → T; dh → D; ph → F; qu, gu before e/i, ck, chr → K; ll → Y; ou / w before a vowel → W.
 * 3. Single letters to classes: b v p → B; c before e/i/y, s z ç → S; c k q g → K; d t → T; x → KS (initial S);
 *    h after a consonant or at the end is dropped (Abdullah / Abdulla, Sarah / Sara), otherwise H;
 *    m n l r f keep their letter; y before a vowel is Y, else a vowel.
 * 4. Adjacent equal classes collapse (Hassan / Hasan); vowels are dropped except a leading one, written A.
 * 5. At most 6 symbols. A key is a blocking key: it groups spellings, and the scorer decides.
 */

const PARTICLES = new Set([
  "de",
  "del",
  "la",
  "las",
  "los",
  "y",
  "e",
  "da",
  "do",
  "dos",
  "van",
  "von",
  "al",
  "el",
  "bin",
  "ben",
  "ibn",
  "bint",
]);

export function foldName(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f\u064B-\u065F]/g, "")
    .toLowerCase()
    .replace(/['’`´]/g, "")
    .replace(/[^a-z\s-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The name's tokens after folding, without particles; `abd al rahman` → `abdulrahman`. */
export function nameTokens(...parts: (string | undefined)[]): string[] {
  const joined = foldName(parts.filter(Boolean).join(" ")).replace(
    /\babd(?:[\s-]*(?:al|el|ul|ol))?[\s-]+(?=[a-z]{3})/g,
    "abdul",
  );
  return joined
    .replace(/\b(?:al|el)-/g, "")
    .split(/[\s-]+/)
    .filter((t) => t.length > 0 && !PARTICLES.has(t))
    .map((t) => t.replace(/^abd(?:al|el|ol)/, "abdul"));
}

const VOWELS = "aeiouy";
const isVowel = (c: string | undefined) => c !== undefined && "aeiou".includes(c);

export function phoneticKey(token: string): string {
  const w = foldName(token).replace(/[^a-z]/g, "");
  if (!w) return "";
  const out: string[] = [];
  let i = 0;
  const at = (k: number) => w[i + k];
  const push = (code: string) => out.push(code);
  while (i < w.length) {
    const c = w[i]!;
    const rest = w.slice(i);
    const next = at(1);
    if (rest.startsWith("sch")) {
      push("X");
      i += 3;
    } else if (rest.startsWith("chr")) {
      push("K");
      i += 2;
    } else if (rest.startsWith("sh") || rest.startsWith("ch")) {
      push("X");
      i += 2;
    } else if (rest.startsWith("kh")) {
      push("H");
      i += 2;
    } else if (rest.startsWith("gh")) {
      push("K");
      i += 2;
    } else if (rest.startsWith("th") || rest.startsWith("dh")) {
      push("T");
      i += 2;
    } else if (rest.startsWith("ph")) {
      push("F");
      i += 2;
    } else if (
      rest.startsWith("qu") ||
      rest.startsWith("ck") ||
      (rest.startsWith("gu") && "ei".includes(at(2) ?? ""))
    ) {
      push("K");
      i += 2;
    } else if (rest.startsWith("ll")) {
      push("Y");
      i += 2;
    } else if (rest.startsWith("dj")) {
      push("H");
      i += 2;
    } else if (rest.startsWith("ou") && (i === 0 || isVowel(at(2))) && isVowel(at(2))) {
      push("W");
      i += 2;
    } else {
      switch (c) {
        case "b":
        case "v":
        case "p":
          push("B");
          break;
        case "c":
          push("eiy".includes(next ?? "") ? "S" : "K");
          break;
        case "s":
        case "z":
          push("S");
          break;
        case "k":
        case "q":
          push("K");
          break;
        case "g":
          push("ei".includes(next ?? "") ? "H" : "K");
          break;
        case "j":
          push("H");
          break;
        case "d":
        case "t":
          push("T");
          break;
        case "x":
          if (i === 0) push("S");
          else {
            push("K");
            push("S");
          }
          break;
        case "h": {
          const prev = w[i - 1];
          if (next !== undefined && (prev === undefined || isVowel(prev))) push("H");
          break;
        }
        case "w":
          push("W");
          break;
        case "y":
          push(isVowel(next) ? "Y" : "a");
          break;
        default:
          push(VOWELS.includes(c) ? "a" : c.toUpperCase());
      }
      i += 1;
    }
  }
  const collapsed: string[] = [];
  for (const s of out) if (collapsed[collapsed.length - 1] !== s) collapsed.push(s);
  const key = collapsed.map((s, k) => (s === "a" ? (k === 0 ? "A" : "") : s)).join("");
  return key.slice(0, 6);
}

/** Phonetic keys of a full name, de-duplicated, in a stable order. */
export function nameKeys(givenName: string, familyName: string): string[] {
  return [...new Set(nameTokens(givenName, familyName).map(phoneticKey).filter(Boolean))].sort();
}

/** Blocking keys for the name: every unordered pair of phonetic keys (word order does not matter), at most 10. */
export function namePairs(givenName: string, familyName: string): string[] {
  const keys = nameKeys(givenName, familyName).slice(0, 5);
  if (keys.length === 1) return [keys[0]!];
  const pairs: string[] = [];
  for (let a = 0; a < keys.length; a++)
    for (let b = a + 1; b < keys.length; b++) pairs.push(`${keys[a]}+${keys[b]}`);
  return pairs;
}

/** The sortable search key for name-prefix lists: `familyname givenname`, folded. */
export function searchName(givenName: string, familyName: string): string {
  return `${foldName(familyName)} ${foldName(givenName)}`.replace(/\s+/g, " ").trim();
}

/** A document number as compared: letters and digits only, upper case. */
export function normaliseDocumentNumber(n: string): string {
  return n.toUpperCase().replace(/[^A-Z0-9]/g, "");
}
