import type { AreaImportResult, AreaInfo, AreaRowError } from "@waypoint/schema/operations";
import { PCode } from "@waypoint/schema/operations";
import { InvalidError } from "../common/errors.ts";
import { loadCsvParse } from "../common/lazy.ts";
import { AreaEntity } from "./operation.entity.ts";

/**
 * An operation's administrative areas (p-codes), imported from a gazetteer, and the check every record with an
 * area code (`adm1`, `adm2`) goes through. Nothing here knows a country: a code is good when the operation's own
 * list has it at the right level. An operation without a list yet accepts any well-shaped code.
 */
export namespace Areas {
  interface Known {
    at: number;
    areas: Map<string, { level: number; parent?: string; name: string }>;
  }
  const TTL_MS = 60_000;
  const cache = new Map<string, Known>();

  /** Forget an operation's cached list (after an import in this process). */
  export function forget(operationID: string) {
    cache.delete(operationID);
  }

  export async function load(operationID: string): Promise<Known["areas"]> {
    const hit = cache.get(operationID);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.areas;
    const res = await AreaEntity.query.primary({ operationID }).go({ pages: "all" });
    const areas = new Map(
      res.data.map((a) => [a.pcode, { level: a.level, parent: a.parent ?? undefined, name: a.name }]),
    );
    cache.set(operationID, { at: Date.now(), areas });
    return areas;
  }

  export async function list(operationID: string, level?: number): Promise<AreaInfo[]> {
    const areas = await load(operationID);
    return [...areas.entries()]
      .filter(([, a]) => level === undefined || a.level === level)
      .map(([pcode, a]) => ({ pcode, name: a.name, level: a.level, ...(a.parent ? { parent: a.parent } : {}) }))
      .sort((a, b) => a.pcode.localeCompare(b.pcode));
  }

  /**
   * Refuses area codes that are not on the operation's list at their level, or an `adm2` outside the `adm1` given
   * with it, as field errors (`<prefix>.adm1`, `<prefix>.adm2`). `adm1`/`adm2` as stored after the change.
   */
  export async function check(
    operationID: string,
    v: { adm1?: string | null; adm2?: string | null },
    prefix = "",
    changed: ("adm1" | "adm2")[] = ["adm1", "adm2"],
  ): Promise<void> {
    if (!v.adm1 && !v.adm2) return;
    const areas = await load(operationID);
    if (areas.size === 0) return;
    const p = (f: string) => (prefix ? `${prefix}.${f}` : f);
    const issues: { path: string; code: string; message: string }[] = [];
    const a1 = v.adm1 ? areas.get(v.adm1) : undefined;
    if (v.adm1 && changed.includes("adm1") && (!a1 || a1.level !== 1))
      issues.push({
        path: p("adm1"),
        code: "invalid.area",
        message: "is not a first-level administrative area of this operation",
      });
    const a2 = v.adm2 ? areas.get(v.adm2) : undefined;
    if (v.adm2 && (changed.includes("adm2") || changed.includes("adm1"))) {
      if (!a2 || a2.level !== 2)
        issues.push({
          path: p("adm2"),
          code: "invalid.area",
          message: "is not a second-level administrative area of this operation",
        });
      else if (v.adm1 && a2.parent !== v.adm1)
        issues.push({
          path: p("adm2"),
          code: "invalid.area_parent",
          message: "is not inside the first-level area given",
        });
    }
    if (issues.length) throw new InvalidError(issues);
  }

  export interface ParsedRow {
    line: number;
    pcode: string;
    name: string;
    parent?: string;
    level: number;
  }

  const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_\-.#]/g, "");
  const SIMPLE = {
    pcode: ["pcode", "code", "areapcode"],
    name: ["name", "areaname", "nameen", "name_en"].map(norm),
    parent: ["parentpcode", "parent", "parentcode"],
    level: ["level", "adminlevel", "admlevel"],
  };

  /**
   * Reads a gazetteer CSV: either `pcode,name,parent_pcode,level` (any case, `p-code`, `parent` and `admin_level`
   * too) or a COD-AB table (`admin2Pcode`, `admin2Name_en`, `admin1Pcode`…: each row is an area of the deepest
   * level that has a p-code, its parent the level above). A second row of HXL hashtags is skipped.
   */
  export async function parse(csv: string): Promise<{ rows: ParsedRow[]; errors: AreaRowError[] }> {
    const { parse: parseCsv } = await loadCsvParse();
    let records: string[][];
    try {
      records = parseCsv(csv.replace(/^\uFEFF/, ""), {
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
        delimiter: csv.split("\n", 1)[0]!.includes(";") && !csv.split("\n", 1)[0]!.includes(",") ? ";" : ",",
      }) as string[][];
    } catch (err) {
      throw InvalidError.field("csv", "invalid.csv", `The file is not readable as CSV: ${(err as Error).message}`);
    }
    const header = (records[0] ?? []).map(norm);
    const col = (names: string[]) => header.findIndex((h) => names.includes(h));
    const errors: AreaRowError[] = [];
    const rows: ParsedRow[] = [];
    const body = records.slice(1).map((r, i) => ({ r, line: i + 2 }));
    if (body[0]?.r.every((c) => !c || c.startsWith("#"))) body.shift();

    // COD-AB: admin<N>Pcode / admin<N>Name_<lang>
    const codab = new Map<number, { pcode: number; name: number }>();
    header.forEach((h, i) => {
      const m = /^admin(\d)(pcode|name.*)$/.exec(h);
      if (!m) return;
      const n = Number(m[1]);
      const e = codab.get(n) ?? { pcode: -1, name: -1 };
      if (m[2] === "pcode") e.pcode = i;
      else if (e.name < 0 || m[2] === "nameen") e.name = i;
      codab.set(n, e);
    });
    const simple = { pcode: col(SIMPLE.pcode), name: col(SIMPLE.name), parent: col(SIMPLE.parent), level: col(SIMPLE.level) };
    if (simple.pcode >= 0 && simple.name >= 0) {
      for (const { r, line } of body) {
        const cell = (i: number) => (i >= 0 ? (r[i] ?? "").trim() : "");
        const levelText = cell(simple.level);
        const level = levelText ? Number(levelText.replace(/^adm(in)?/i, "")) : NaN;
        rows.push({ line, pcode: cell(simple.pcode), name: cell(simple.name), parent: cell(simple.parent) || undefined, level });
      }
    } else if ([...codab.values()].some((e) => e.pcode >= 0)) {
      const levels = [...codab.entries()].filter(([n, e]) => n >= 1 && e.pcode >= 0).sort((a, b) => a[0] - b[0]);
      for (const { r, line } of body) {
        const cell = (i: number) => (i >= 0 ? (r[i] ?? "").trim() : "");
        const deepest = [...levels].reverse().find(([, e]) => cell(e.pcode));
        if (!deepest) {
          errors.push({ line, field: "pcode", code: "invalid.required", message: "has no p-code" });
          continue;
        }
        const [n, e] = deepest;
        const up = levels.find(([m]) => m === n - 1);
        rows.push({ line, pcode: cell(e.pcode), name: cell(e.name), parent: up ? cell(up[1].pcode) || undefined : undefined, level: n });
        // a COD-AB admin2 table names each admin1 on every row: take the parents too, once
        for (const [m, pe] of levels) {
          if (m >= n) break;
          const pc = cell(pe.pcode);
          if (pc && !rows.some((x) => x.pcode === pc)) {
            const pu = levels.find(([k]) => k === m - 1);
            rows.push({ line, pcode: pc, name: cell(pe.name), parent: pu ? cell(pu[1].pcode) || undefined : undefined, level: m });
          }
        }
      }
    } else {
      throw InvalidError.field(
        "csv",
        "invalid.csv_columns",
        "The first line must name the columns: pcode, name, parent_pcode, level (or COD-AB admin1Pcode, admin1Name_en…)",
      );
    }
    return { rows, errors };
  }

  /**
   * Checks every row against the others and the stored list: a p-code's shape and country prefix, a name, a level
   * from 1 to 4, a parent that exists (in the file or already stored) one level up, no p-code twice in the file.
   */
  export function validate(
    rows: ParsedRow[],
    country: string,
    stored: Map<string, { level: number; parent?: string }>,
  ): AreaRowError[] {
    const errors: AreaRowError[] = [];
    const seen = new Map<string, ParsedRow>();
    for (const row of rows) {
      if (seen.has(row.pcode) && seen.get(row.pcode)!.line !== row.line) {
        errors.push({
          line: row.line,
          pcode: row.pcode,
          field: "pcode",
          code: "invalid.duplicate",
          message: `appears twice in the file (line ${seen.get(row.pcode)!.line} too)`,
        });
        continue;
      }
      seen.set(row.pcode, row);
    }
    const levelOf = (pcode: string) => seen.get(pcode)?.level ?? stored.get(pcode)?.level;
    for (const row of rows) {
      const err = (field: AreaRowError["field"], code: string, message: string) =>
        errors.push({ line: row.line, pcode: row.pcode || undefined, field, code, message });
      if (errors.some((e) => e.line === row.line && e.code === "invalid.duplicate" && e.pcode === row.pcode)) continue;
      if (!row.pcode) err("pcode", "invalid.required", "is missing");
      else if (!PCode.safeParse(row.pcode).success)
        err("pcode", "invalid.pcode", "is not a p-code (two capital letters, then digits or letters)");
      else if (!row.pcode.startsWith(country))
        err("pcode", "invalid.pcode_country", `does not start with the operation's country code ${country}`);
      if (!row.name) err("name", "invalid.required", "is missing");
      else if (row.name.length > 200) err("name", "invalid.too_big", "is longer than 200 characters");
      if (!Number.isInteger(row.level) || row.level < 1 || row.level > 4) {
        err("level", "invalid.level", "must be 1, 2, 3 or 4");
        continue;
      }
      if (row.level === 1) {
        if (row.parent && row.parent !== country && levelOf(row.parent) !== undefined)
          err("level", "invalid.level", "a first-level area has no parent area");
        continue;
      }
      if (!row.parent) {
        err("parent", "invalid.required", `an area of level ${row.level} needs its parent's p-code`);
        continue;
      }
      const pl = levelOf(row.parent);
      if (pl === undefined) err("parent", "invalid.unknown_parent", `${row.parent} is neither in the file nor on the list`);
      else if (pl !== row.level - 1)
        err("level", "invalid.level", `is ${row.level} but its parent ${row.parent} is of level ${pl}`);
    }
    return errors.sort((a, b) => a.line - b.line);
  }

  export function summary(
    rows: ParsedRow[],
    stored: Map<string, unknown>,
    errors: AreaRowError[],
    dryRun: boolean,
    stored_: boolean,
  ): AreaImportResult {
    const byLevel: Record<string, number> = {};
    for (const r of rows) byLevel[String(r.level)] = (byLevel[String(r.level)] ?? 0) + 1;
    const created = rows.filter((r) => !stored.has(r.pcode)).length;
    return {
      dryRun,
      rows: rows.length,
      created,
      updated: rows.length - created,
      byLevel,
      errors,
      stored: stored_,
      preview: rows.slice(0, 20).map((r) => ({
        pcode: r.pcode,
        name: r.name,
        level: r.level,
        ...(r.parent ? { parent: r.parent } : {}),
      })),
    };
  }
}
