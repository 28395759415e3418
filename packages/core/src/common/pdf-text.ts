import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { inflateSync } from "node:zlib";
import type { Color, PDFDocument, PDFFont, PDFPage } from "pdf-lib";

/**
 * Text in generated PDFs (the subject-access file, relocation tickets) in any script a person's name or their
 * language is written in: the standard PDF fonts print Latin-1 only, so Arabic names came out as "?" or a Latin
 * transliteration. Here:
 *
 * - Fonts: Noto Sans (Latin, Latin extended, Greek, Cyrillic) and Noto Sans Arabic, shipped by the
 *   `@fontsource/*` packages, embedded as subsets (only the glyphs used) through pdf-lib + `@pdf-lib/fontkit`.
 *   Each character is printed in the first font that has it; a letter none has (a script without a shipped font)
 *   is transliterated to Latin (`any-ascii`) rather than lost.
 * - Shaping: fontkit's OpenType layout shapes Arabic (initial, medial, final and isolated forms, lam-alef
 *   ligatures, marks placed by GPOS) and gives each right-to-left run in visual order. The glyphs are drawn at
 *   the positions the layout gives (pdf-lib's `drawText` would drop the mark offsets).
 * - Direction: the Unicode bidirectional algorithm (`bidi-js`) gives the embedding levels of a line; runs are
 *   reordered visually (rule L2), so Arabic with Latin or digits in it reads right, in left-to-right and
 *   right-to-left documents alike.
 * - The PDF's text layer maps each glyph back to its characters (ToUnicode), so the text can be searched, copied
 *   and read back (tests read it with pdf.js).
 */

type FontKey = "latin" | "latinExt" | "greek" | "cyrillic" | "arabic";
const ORDER: FontKey[] = ["latin", "latinExt", "arabic", "greek", "cyrillic"];
const FILES: Record<FontKey, (weight: 400 | 700) => string> = {
  latin: (w) => `@fontsource/noto-sans/files/noto-sans-latin-${w}-normal.woff`,
  latinExt: (w) => `@fontsource/noto-sans/files/noto-sans-latin-ext-${w}-normal.woff`,
  greek: (w) => `@fontsource/noto-sans/files/noto-sans-greek-${w}-normal.woff`,
  cyrillic: (w) => `@fontsource/noto-sans/files/noto-sans-cyrillic-${w}-normal.woff`,
  arabic: (w) => `@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-${w}-normal.woff`,
};

interface FkGlyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}
interface FkPosition {
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface FkFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(cp: number): boolean;
  layout(text: string): { glyphs: FkGlyph[]; positions: FkPosition[] };
}
type Fontkit = { create(bytes: Uint8Array): FkFont };

const require = createRequire(import.meta.url);
const bytesCache = new Map<string, Promise<Uint8Array>>();
const coverCache = new Map<string, Promise<FkFont>>();
let libs:
  | Promise<{
      fontkit: Fontkit;
      bidi: ReturnType<typeof import("bidi-js").default>;
      anyAscii: (s: string) => string;
      pdf: typeof import("pdf-lib");
    }>
  | undefined;

function load() {
  libs ??= (async () => {
    const [fk, bidiFactory, aa, pdf] = await Promise.all([
      import("@pdf-lib/fontkit"),
      import("bidi-js"),
      import("any-ascii"),
      import("pdf-lib"),
    ]);
    return {
      fontkit: ((fk as { default?: Fontkit }).default ?? fk) as Fontkit,
      bidi: ((bidiFactory as unknown as { default?: typeof import("bidi-js").default }).default ??
        (bidiFactory as unknown as typeof import("bidi-js").default))(),
      anyAscii: ((aa as { default?: (s: string) => string }).default ?? aa) as (s: string) => string,
      pdf,
    };
  })();
  libs.catch(() => (libs = undefined));
  return libs;
}

/**
 * A WOFF 1.0 font as a TrueType file, each glyph padded to an even length and `loca` in its long format.
 * fontkit's subsetter (the one pdf-lib uses) writes the subset's `loca` in the short format (offsets / 2) when it
 * fits, which silently corrupts every glyph after one of odd length; the fontsource files have such glyphs (their
 * `loca` is long and unpadded), and their Arabic letters then vanished from the PDF.
 */
export function sfntFromWoff(woff: Buffer): Buffer {
  if (woff.toString("latin1", 0, 4) !== "wOFF") throw new Error("not a WOFF 1.0 font");
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const o = 44 + i * 20;
    const tag = woff.toString("latin1", o, o + 4);
    const at = woff.readUInt32BE(o + 4);
    const compressed = woff.readUInt32BE(o + 8);
    const length = woff.readUInt32BE(o + 12);
    const raw = woff.subarray(at, at + compressed);
    tables.set(tag, compressed < length ? inflateSync(raw) : Buffer.from(raw));
  }
  const head = tables.get("head");
  const loca = tables.get("loca");
  const glyf = tables.get("glyf");
  const maxp = tables.get("maxp");
  if (head && loca && glyf && maxp) {
    const n = maxp.readUInt16BE(4);
    const long = head.readInt16BE(50) === 1;
    const offset = (i: number) => (long ? loca.readUInt32BE(i * 4) : loca.readUInt16BE(i * 2) * 2);
    const parts: Buffer[] = [];
    const newLoca = Buffer.alloc((n + 1) * 4);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const g = glyf.subarray(offset(i), offset(i + 1));
      newLoca.writeUInt32BE(pos, i * 4);
      parts.push(g);
      pos += g.length;
      if (g.length % 2) {
        parts.push(Buffer.alloc(1));
        pos += 1;
      }
    }
    newLoca.writeUInt32BE(pos, n * 4);
    const newHead = Buffer.from(head);
    newHead.writeInt16BE(1, 50);
    tables.set("head", newHead);
    tables.set("loca", newLoca);
    tables.set("glyf", Buffer.concat(parts));
  }
  const tags = [...tables.keys()].sort();
  let sel = 0;
  while (1 << (sel + 1) <= tags.length) sel++;
  const range = (1 << sel) * 16;
  const dir = Buffer.alloc(12 + 16 * tags.length);
  dir.writeUInt32BE(flavor, 0);
  dir.writeUInt16BE(tags.length, 4);
  dir.writeUInt16BE(range, 6);
  dir.writeUInt16BE(sel, 8);
  dir.writeUInt16BE(tags.length * 16 - range, 10);
  const out: Buffer[] = [dir];
  let at = dir.length;
  for (const [i, tag] of tags.entries()) {
    const data = tables.get(tag)!;
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    let sum = 0;
    for (let k = 0; k < padded.length; k += 4) sum = (sum + padded.readUInt32BE(k)) >>> 0;
    const d = 12 + i * 16;
    dir.write(tag, d, "latin1");
    dir.writeUInt32BE(sum, d + 4);
    dir.writeUInt32BE(at, d + 8);
    dir.writeUInt32BE(data.length, d + 12);
    out.push(padded);
    at += padded.length;
  }
  return Buffer.concat(out);
}

function fontBytes(file: string): Promise<Uint8Array> {
  let p = bytesCache.get(file);
  if (!p) {
    p = readFile(require.resolve(file)).then((b) => new Uint8Array(sfntFromWoff(b)));
    bytesCache.set(file, p);
    p.catch(() => bytesCache.delete(file));
  }
  return p;
}

/** The parsed font (for coverage checks), once per process. */
async function coverage(file: string): Promise<FkFont> {
  let p = coverCache.get(file);
  if (!p) {
    p = (async () => (await load()).fontkit.create(await fontBytes(file)))();
    coverCache.set(file, p);
    p.catch(() => coverCache.delete(file));
  }
  return p;
}

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: Color;
}

interface Run {
  text: string;
  font: FontKey;
  level: number;
}

/**
 * The text writer of one PDF document: embeds the fonts it needs as it goes (each once per document) and draws
 * shaped, bidi-ordered lines.
 */
export class PdfText {
  private readonly embedded = new Map<string, Promise<PDFFont>>();

  private constructor(
    private readonly doc: PDFDocument,
    private readonly lib: Awaited<ReturnType<typeof load>>,
    private readonly covers: Record<FontKey, FkFont>,
  ) {}

  static async for(doc: PDFDocument): Promise<PdfText> {
    const lib = await load();
    const fontkitForPdfLib = lib.fontkit as unknown as Parameters<PDFDocument["registerFontkit"]>[0];
    doc.registerFontkit(fontkitForPdfLib);
    const covers = Object.fromEntries(
      await Promise.all(ORDER.map(async (k) => [k, await coverage(FILES[k](400))] as const)),
    ) as Record<FontKey, FkFont>;
    return new PdfText(doc, lib, covers);
  }

  private font(key: FontKey, bold: boolean): Promise<PDFFont> {
    const file = FILES[key](bold ? 700 : 400);
    let f = this.embedded.get(file);
    if (!f) {
      f = fontBytes(file).then((b) => this.doc.embedFont(b, { subset: true }));
      this.embedded.set(file, f);
    }
    return f;
  }

  private fontFor(cp: number, prev: FontKey | undefined): FontKey | undefined {
    if (prev && this.covers[prev].hasGlyphForCodePoint(cp)) return prev;
    return ORDER.find((k) => this.covers[k].hasGlyphForCodePoint(cp));
  }

  /** Characters no shipped font has are written in Latin letters (never dropped, never "?"). */
  private printable(text: string): string {
    let out = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || this.fontFor(cp, undefined)) out += cp < 0x20 ? " " : ch;
      else out += this.lib.anyAscii(ch) || "?";
    }
    return out;
  }

  /** Whether a text is mostly written right to left (its first strong character). */
  isRtl(text: string): boolean {
    return this.lib.bidi.getEmbeddingLevels(text).paragraphs[0]?.level === 1;
  }

  /** The line's runs in visual order (left to right on the page), each in one font and one embedding level. */
  private runs(line: string, rtl: boolean): Run[] {
    const text = this.printable(line);
    if (!text) return [];
    const { levels } = this.lib.bidi.getEmbeddingLevels(text, rtl ? "rtl" : "ltr");
    const runs: Run[] = [];
    let i = 0;
    let prev: FontKey | undefined;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const key = this.fontFor(cp, prev) ?? "latin";
      const level = levels[i]!;
      const last = runs.at(-1);
      if (last && last.font === key && last.level === level) last.text += ch;
      else runs.push({ text: ch, font: key, level });
      prev = key;
      i += ch.length;
    }
    // rule L2: from the highest level down to the lowest odd one, reverse every sequence at that level or above
    const max = Math.max(...runs.map((r) => r.level));
    const minOdd = Math.min(...runs.map((r) => (r.level % 2 ? r.level : r.level + 1)));
    for (let lv = max; lv >= minOdd; lv--)
      for (let s = 0; s < runs.length; ) {
        if (runs[s]!.level < lv) {
          s++;
          continue;
        }
        let e = s;
        while (e < runs.length && runs[e]!.level >= lv) e++;
        runs.splice(s, e - s, ...runs.slice(s, e).reverse());
        s = e;
      }
    return runs;
  }

  /** A run's glyphs in visual order with their positions (font units). */
  private shaped(run: Run, f: FkFont) {
    // an odd-level run fontkit lays out left to right (neutrals, brackets in Arabic): reversed and mirrored here
    let text = run.text;
    const rtlScript = run.font === "arabic";
    if (run.level % 2 === 1 && !rtlScript)
      text = [...text]
        .reverse()
        .map((c) => this.lib.bidi.getMirroredCharacter(c) ?? c)
        .join("");
    // fontkit keeps one Glyph object per glyph number, carrying the characters of its first use; shaping maps
    // several letters to one glyph (ب ت ن share a dotless form), so each glyph of this layout gets its own view
    // with the characters it was laid out for
    const font = f as FkFont & { getGlyph?: (id: number, cps?: number[]) => FkGlyph | null };
    const own = Object.getPrototypeOf(font).getGlyph as (id: number, cps?: number[]) => FkGlyph | null;
    font.getGlyph = (id, cps = []) => {
      const g = own.call(font, id, cps);
      return g ? (Object.create(g, { codePoints: { value: [...cps] } }) as FkGlyph) : g;
    };
    try {
      return f.layout(text);
    } finally {
      delete font.getGlyph;
    }
  }

  /** Width of a line in points. */
  async width(line: string, style: TextStyle): Promise<number> {
    let w = 0;
    for (const run of this.runs(line, false)) {
      const pf = await this.font(run.font, Boolean(style.bold));
      const f = embedderOf(pf).font;
      const { positions } = this.shaped(run, f);
      w += (positions.reduce((s, p) => s + p.xAdvance, 0) * style.size) / f.unitsPerEm;
    }
    return w;
  }

  /**
   * Splits a paragraph into lines no wider than `maxWidth` (at spaces; a longer word gets a line of its own).
   * Words are measured once each and added up with the space between them (shaping never joins across a space).
   */
  async wrap(text: string, style: TextStyle, maxWidth: number): Promise<string[]> {
    const out: string[] = [];
    const space = await this.width(" ", style);
    let cur = "";
    let curWidth = 0;
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const w = await this.width(word, style);
      if (cur && curWidth + space + w > maxWidth) {
        out.push(cur);
        cur = word;
        curWidth = w;
      } else {
        curWidth = cur ? curWidth + space + w : w;
        cur = cur ? `${cur} ${word}` : word;
      }
    }
    if (cur) out.push(cur);
    return out;
  }

  /**
   * Draws one line. `x` is the left edge, or the right edge when `align` is "right" (right-to-left documents);
   * `rtl` sets the paragraph direction (default: from the line's first strong character).
   */
  async draw(
    page: PDFPage,
    line: string,
    at: { x: number; y: number; align?: "left" | "right"; rtl?: boolean },
    style: TextStyle,
  ): Promise<number> {
    const { pdf } = this.lib;
    const rtl = at.rtl ?? this.isRtl(line);
    const runs = this.runs(line, rtl);
    const width = await this.width(line, style);
    let pen = at.align === "right" ? at.x - width : at.x;
    const ops: ReturnType<typeof pdf.beginText>[] = [pdf.pushGraphicsState(), pdf.beginText()];
    if (style.color) ops.push(pdf.setFillingColor(style.color));
    for (const run of runs) {
      const pf = await this.font(run.font, Boolean(style.bold));
      const emb = embedderOf(pf);
      const key = page.node.newFontDictionary(pf.name, pf.ref);
      const scale = style.size / emb.font.unitsPerEm;
      const { glyphs, positions } = this.shaped(run, emb.font);
      ops.push(pdf.setFontAndSize(key, style.size));
      // consecutive glyphs at their natural advance are shown together; a placed mark or a kerned pair moves the
      // text matrix to where the layout puts it
      let hex = "";
      let natural = NaN; // where the PDF's own advance would put the next glyph
      const flush = () => {
        if (hex) ops.push(pdf.showText(pdf.PDFHexString.of(hex)));
        hex = "";
      };
      for (const [n, g] of glyphs.entries()) {
        const p = positions[n]!;
        const gx = pen + p.xOffset * scale;
        const gy = at.y + p.yOffset * scale;
        if (!(Math.abs(gx - natural) < 0.01) || p.yOffset !== 0) {
          flush();
          ops.push(pdf.setTextMatrix(1, 0, 0, 1, gx, gy));
        }
        hex += emb.encodeGlyph(g).toString(16).padStart(4, "0");
        natural = gx + g.advanceWidth * scale;
        if (p.yOffset !== 0) {
          flush();
          natural = NaN;
        }
        pen += p.xAdvance * scale;
      }
      flush();
    }
    ops.push(pdf.endText(), pdf.popGraphicsState());
    page.pushOperators(...ops);
    return width;
  }
}

interface SubsetEmbedder {
  font: FkFont;
  subset: { includeGlyph(g: FkGlyph): number; glyphs: number[]; mapping: Record<number, number> };
  glyphs: FkGlyph[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
  glyphId(g: FkGlyph | undefined): number;
  waypointSlots?: Map<string, number>;
}

/**
 * pdf-lib's subset embedder of a custom font (pinned pdf-lib 1.17.1). `drawText` can only place glyphs at their
 * default advance, so glyphs laid out here are added to the subset the way its own `encodeText` adds them (the
 * subset, the widths and the ToUnicode map all read these fields), with two differences:
 * - one glyph drawn for different characters gets one slot per character: Noto Sans Arabic draws ب ت ث ن ي
 *   with the same dotless letter and places the dots as marks, and a single ToUnicode entry per glyph would
 *   read every one of them back as the first (the text layer would say نحتب for نجيب);
 * - a mark that shaping split from its letter (the dots) maps to a zero-width space, not to nothing (a reader
 *   then guesses a character from the glyph's number).
 */
function embedderOf(font: PDFFont) {
  const e = (font as unknown as { embedder: SubsetEmbedder }).embedder;
  if (!e?.subset?.glyphs || !e.glyphIdMap) throw new Error("pdf-lib's subset font embedder changed");
  if (!e.waypointSlots) {
    e.waypointSlots = new Map();
    const own = e.glyphId.bind(e);
    e.glyphId = (g) => (g as FkGlyph & { slot?: number })?.slot ?? own(g);
  }
  const slots = e.waypointSlots;
  return {
    font: e.font,
    encodeGlyph(g: FkGlyph): number {
      const codePoints = g.codePoints.length ? g.codePoints : [0x200b];
      const key = `${g.id}:${codePoints.join(",")}`;
      let id = slots.get(key);
      if (id !== undefined) return id;
      if (e.subset.mapping[g.id] === undefined) id = e.subset.includeGlyph(g);
      else {
        // the same outline again under a new glyph number of the subset, for another character
        e.subset.glyphs.push(g.id);
        id = e.subset.glyphs.length - 1;
      }
      slots.set(key, id);
      e.glyphs[id - 1] = Object.create(g, { codePoints: { value: codePoints }, slot: { value: id } }) as FkGlyph;
      if (!e.glyphIdMap.has(g.id)) e.glyphIdMap.set(g.id, id);
      e.glyphCache.invalidate();
      return id;
    },
  };
}
