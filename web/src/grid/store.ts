import type { BulkRowResult, FieldIssue } from "@waypoint/schema";
import { refusalSentence } from "../api/refusal.ts";

export type Values = Record<string, unknown>;
/** One cell set to a value; `null` clears the field. */
export interface CellChange {
  key: string;
  field: string;
  value: unknown;
}
type Staged = { value: unknown } | undefined;
interface Step {
  key: string;
  field: string;
  before: Staged;
  after: Staged;
}
interface Command {
  steps: Step[];
  added: string[];
}
export interface RowOutcome {
  status: BulkRowResult["status"] | "error";
  message?: string;
  current?: Values;
}
/** What the grid must do after a change to the store: rows to re-render, add or remove. */
export interface Delta {
  update: string[];
  add: string[];
  remove: string[];
}
export type Validate = (field: string, value: unknown, isNew: boolean) => string | undefined;

const same = (a: unknown, b: unknown) =>
  (a ?? null) === (b ?? null) || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A column path's object and key: `fields.progres` → (`fields`, `progres`), `name` → (none, `name`). */
const splitPath = (field: string): [string | undefined, string] => {
  const dot = field.indexOf(".");
  return dot < 0 ? [undefined, field] : [field.slice(0, dot), field.slice(dot + 1)];
};

/**
 * A field of a row by its column's path: a plain field, or a value inside one of the record's objects: a
 * configured value `fields.<key>` (issue 19), a payee's mobile-money number `channel.msisdn`.
 */
export function valueAt(row: Values | undefined, field: string): unknown {
  if (!row) return undefined;
  const [parent, key] = splitPath(field);
  if (!parent) return row[field];
  const f = row[parent] as Values | undefined;
  return f && typeof f === "object" ? f[key] : undefined;
}
/**
 * Staged values by column path as the API takes them: `fields.<key>` cells gathered into `fields: {<key>: …}`,
 * `channel.msisdn` into `channel: {msisdn: …}` (the API merges such objects per key).
 */
export function nestValues(entries: Iterable<[string, unknown]>): Values {
  const out: Values = {};
  for (const [f, v] of entries) {
    const [parent, key] = splitPath(f);
    if (parent) ((out[parent] ??= {}) as Values)[key] = v;
    else out[f] = v;
  }
  return out;
}

/**
 * Staged edits of a grid: server rows stay untouched until a save answers for them; edits, new rows, cell
 * errors and per-row outcomes live beside them, and every edit or paste is one undoable command.
 */
export class GridStore {
  readonly base = new Map<string, Values>();
  readonly edits = new Map<string, Map<string, unknown>>();
  readonly errors = new Map<string, Map<string, string>>();
  readonly outcomes = new Map<string, RowOutcome>();
  /** The codes of the server's cell problems (by row and field), so a cell can say them in the user's language. */
  private readonly codes = new Map<string, Map<string, { code: string; message: string }>>();
  /** New rows the user chose to create despite likely duplicates, with their reason (sent on the next save). */
  readonly overrides = new Map<string, string>();
  private readonly undoStack: Command[] = [];
  private readonly redoStack: Command[] = [];
  private nextNew = 1;
  private listeners = new Set<() => void>();
  /** Bumped on every change; React reads it through useSyncExternalStore. */
  revision = 0;

  constructor(
    readonly idField: string,
    private readonly validate: Validate,
  ) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getRevision = () => this.revision;
  private changed() {
    this.revision++;
    for (const fn of this.listeners) fn();
  }

  keyOf(row: Values): string {
    return (row.__key as string | undefined) ?? (row[this.idField] as string);
  }

  /** Server rows, as loaded or synced; rows with staged edits keep them (the edit now applies to the new base). */
  load(rows: Values[]): Delta {
    const delta: Delta = { update: [], add: [], remove: [] };
    for (const r of rows) {
      const key = r[this.idField] as string;
      if (r.deleted) {
        // Deleted by someone else (a delta sync carries the tombstone). Rows with staged edits stay, marked as
        // gone, so the user sees what cannot be saved; the others leave the grid.
        if (this.edits.has(key)) {
          this.base.set(key, r);
          this.outcomes.set(key, { status: "not_found" });
          delta.update.push(key);
        } else if (this.base.has(key)) {
          this.base.delete(key);
          this.errors.delete(key);
          this.outcomes.delete(key);
          delta.remove.push(key);
        }
        continue;
      }
      (this.base.has(key) ? delta.update : delta.add).push(key);
      this.base.set(key, r);
    }
    this.changed();
    return delta;
  }

  isNew(key: string): boolean {
    return Boolean(this.base.get(key)?.__new);
  }

  row(key: string): Values | undefined {
    const b = this.base.get(key);
    if (!b) return undefined;
    const e = this.edits.get(key);
    if (!e || e.size === 0) return b;
    const out: Values = { ...b };
    for (const [f, v] of e) {
      const [parent, key] = splitPath(f);
      if (parent) out[parent] = { ...((out[parent] as Values | undefined) ?? {}), [key]: v };
      else out[f] = v;
    }
    return out;
  }

  value(key: string, field: string): unknown {
    const e = this.edits.get(key);
    return e?.has(field) ? e.get(field) : valueAt(this.base.get(key), field);
  }

  isDirty(key: string, field: string): boolean {
    return this.edits.get(key)?.has(field) ?? false;
  }

  error(key: string, field: string): string | undefined {
    return this.errors.get(key)?.get(field);
  }

  /** The API's code of a cell's current problem (`invalid.msisdn`), when the server raised it. */
  errorCode(key: string, field: string): string | undefined {
    const c = this.codes.get(key)?.get(field);
    return c && c.message === this.error(key, field) ? c.code : undefined;
  }

  get dirtyCells(): number {
    let n = 0;
    for (const [key, e] of this.edits) if (!this.isNew(key)) n += e.size;
    return n;
  }
  get dirtyRows(): number {
    let n = 0;
    for (const [key, e] of this.edits) if (e.size > 0 || this.isNew(key)) n++;
    return n;
  }
  get newRows(): number {
    let n = 0;
    for (const r of this.base.values()) if (r.__new) n++;
    return n;
  }
  get errorCount(): number {
    let n = 0;
    for (const e of this.errors.values()) n += e.size;
    return n;
  }
  get canUndo() {
    return this.undoStack.length > 0;
  }
  get canRedo() {
    return this.redoStack.length > 0;
  }

  private setStaged(key: string, field: string, staged: Staged) {
    let e = this.edits.get(key);
    if (staged === undefined) {
      e?.delete(field);
      if (e && e.size === 0) this.edits.delete(key);
      this.errors.get(key)?.delete(field);
      return;
    }
    if (!e) this.edits.set(key, (e = new Map()));
    e.set(field, staged.value);
    const message = this.validate(field, staged.value, this.isNew(key));
    let errs = this.errors.get(key);
    if (message) {
      if (!errs) this.errors.set(key, (errs = new Map()));
      errs.set(field, message);
    } else errs?.delete(field);
    if (errs && errs.size === 0) this.errors.delete(key);
  }

  /**
   * Stages cell changes and `newRows` (values for rows to create) as one undoable command. A value equal to the
   * server's is not an edit. Cells whose text could not be read carry `invalid` messages.
   */
  stage(input: CellChange[], newRows: Values[] = [], invalid: Map<string, string> = new Map()): Delta {
    const changes = [...input];
    const delta: Delta = { update: [], add: [], remove: [] };
    const cmd: Command = { steps: [], added: [] };
    for (const values of newRows) {
      const key = `new:${this.nextNew++}`;
      this.base.set(key, { __key: key, __new: true });
      cmd.added.push(key);
      delta.add.push(key);
      for (const [field, value] of Object.entries(values)) changes.push({ key, field, value });
    }
    const touched = new Set<string>();
    for (const c of changes) {
      if (!this.base.has(c.key)) continue;
      const before: Staged = this.isDirty(c.key, c.field)
        ? { value: this.edits.get(c.key)!.get(c.field) }
        : undefined;
      const after: Staged =
        !this.isNew(c.key) && same(valueAt(this.base.get(c.key), c.field), c.value)
          ? undefined
          : { value: c.value };
      if (before === undefined && after === undefined) continue;
      cmd.steps.push({ key: c.key, field: c.field, before, after });
      this.setStaged(c.key, c.field, after);
      const msg = invalid.get(`${c.key}\u0000${c.field}`);
      if (msg) {
        if (!this.errors.has(c.key)) this.errors.set(c.key, new Map());
        this.errors.get(c.key)!.set(c.field, msg);
      }
      this.outcomes.delete(c.key);
      touched.add(c.key);
    }
    for (const k of touched) if (!cmd.added.includes(k)) delta.update.push(k);
    if (cmd.steps.length > 0 || cmd.added.length > 0) {
      this.undoStack.push(cmd);
      this.redoStack.length = 0;
    }
    this.changed();
    return delta;
  }

  undo(): Delta {
    const cmd = this.undoStack.pop();
    const delta: Delta = { update: [], add: [], remove: [] };
    if (!cmd) return delta;
    for (const s of [...cmd.steps].reverse()) {
      this.setStaged(s.key, s.field, s.before);
      if (!cmd.added.includes(s.key)) delta.update.push(s.key);
    }
    for (const key of cmd.added) {
      this.base.delete(key);
      this.edits.delete(key);
      this.errors.delete(key);
      this.outcomes.delete(key);
      delta.remove.push(key);
    }
    this.redoStack.push(cmd);
    this.changed();
    return { ...delta, update: [...new Set(delta.update)] };
  }

  redo(): Delta {
    const cmd = this.redoStack.pop();
    const delta: Delta = { update: [], add: [], remove: [] };
    if (!cmd) return delta;
    for (const key of cmd.added) {
      this.base.set(key, { __key: key, __new: true });
      delta.add.push(key);
    }
    for (const s of cmd.steps) {
      this.setStaged(s.key, s.field, s.after);
      if (!cmd.added.includes(s.key)) delta.update.push(s.key);
    }
    this.undoStack.push(cmd);
    this.changed();
    return { ...delta, update: [...new Set(delta.update)] };
  }

  /** What a save sends: patches of existing rows and values of new rows, leaving rows with cell errors out. */
  pending(): {
    patch: { key: string; id: string; version: number; changes: Values }[];
    create: { key: string; values: Values; overrideDuplicates?: { reason: string } }[];
    held: string[];
  } {
    const patch: { key: string; id: string; version: number; changes: Values }[] = [];
    const create: { key: string; values: Values; overrideDuplicates?: { reason: string } }[] = [];
    const held: string[] = [];
    for (const [key, e] of this.edits) {
      if (this.errors.get(key)?.size) {
        held.push(key);
        continue;
      }
      if (this.isNew(key)) {
        const values = nestValues([...e].filter(([, v]) => v !== null && v !== undefined && v !== ""));
        const reason = this.overrides.get(key);
        create.push({ key, values, ...(reason ? { overrideDuplicates: { reason } } : {}) });
      } else if (e.size > 0) {
        const b = this.base.get(key)!;
        patch.push({ key, id: key, version: b.version as number, changes: nestValues(e) });
      }
    }
    return { patch, create, held };
  }

  /**
   * The user confirms that a new row flagged as a likely duplicate is a different person: the next save sends
   * it with this reason (the API records it and checks the user may override).
   */
  overrideDuplicate(key: string, reason: string): Delta {
    this.overrides.set(key, reason);
    this.outcomes.delete(key);
    this.changed();
    return { update: [key], add: [], remove: [] };
  }

  /** Applies one row's answer from a bulk save; returns what the grid must re-render. */
  settle(key: string, result: BulkRowResult): Delta {
    const delta: Delta = { update: [], add: [], remove: [] };
    if (result.status === "saved" || result.status === "created") {
      const record = result.record as Values;
      const id = record[this.idField] as string;
      this.edits.delete(key);
      this.errors.delete(key);
      this.outcomes.delete(key);
      this.overrides.delete(key);
      if (id !== key) {
        this.base.delete(key);
        delta.remove.push(key);
        delta.add.push(id);
      } else delta.update.push(key);
      this.base.set(id, record);
      this.outcomes.set(id, { status: result.status });
    } else {
      delta.update.push(key);
      if (result.status === "conflict")
        this.outcomes.set(key, { status: "conflict", current: result.current as Values });
      else if (result.status === "invalid") {
        this.outcomes.set(key, {
          status: "invalid",
          message: result.issues.map((i) => i.message).join("; "),
        });
        this.markIssues(key, result.issues);
      } else if (result.status === "forbidden")
        this.outcomes.set(key, { status: "forbidden", message: refusalSentence(result) });
      else if (result.status === "duplicate")
        this.outcomes.set(key, {
          status: "duplicate",
          message: `${result.candidates.length} likely match(es) already registered`,
        });
      else this.outcomes.set(key, { status: result.status });
    }
    this.changed();
    return delta;
  }

  /**
   * Puts server-side field issues on their cells (paths like `changes.dateOfBirth`, `values.sex`,
   * `changes.fields.progresId` for a configured value, whose cell is `fields.progresId`, or
   * `changes.channel.msisdn` for the `channel.msisdn` cell).
   */
  markIssues(key: string, issues: FieldIssue[]) {
    const e = this.edits.get(key);
    for (const issue of issues) {
      const parts = issue.path
        .split(".")
        .filter((p) => !/^\d+$/.test(p) && p !== "changes" && p !== "values" && p !== "rows");
      const configured = parts[0] === "fields" && parts[1] ? `fields.${parts[1]}` : undefined;
      // an edited value inside an object (`changes.channel.msisdn` → the `channel.msisdn` cell)
      const nested = parts[1] && e?.has(`${parts[0]}.${parts[1]}`) ? `${parts[0]}.${parts[1]}` : undefined;
      const field = configured ?? nested ?? parts.find((p) => e?.has(p)) ?? parts[0] ?? "";
      if (!this.errors.has(key)) this.errors.set(key, new Map());
      this.errors.get(key)!.set(field, issue.message);
      if (!this.codes.has(key)) this.codes.set(key, new Map());
      if (issue.code) this.codes.get(key)!.set(field, { code: issue.code, message: issue.message });
    }
  }

  /** After a conflict: take their record as the new base and keep only the fields where the user chose theirs' over. */
  resolve(key: string, current: Values, keepMine: readonly string[]): Delta {
    this.base.set(key, current);
    const e = this.edits.get(key);
    if (e)
      for (const field of [...e.keys()])
        if (!keepMine.includes(field) || same(valueAt(current, field), e.get(field)))
          this.setStaged(key, field, undefined);
    this.outcomes.delete(key);
    this.changed();
    return { update: [key], add: [], remove: [] };
  }

  /** Drops every staged edit and new row. */
  discard(): Delta {
    const delta: Delta = { update: [], add: [], remove: [] };
    for (const key of this.edits.keys()) (this.isNew(key) ? delta.remove : delta.update).push(key);
    for (const [key, r] of this.base) if (r.__new) this.base.delete(key);
    this.edits.clear();
    this.errors.clear();
    this.undoStack.length = 0;
    this.redoStack.length = 0;
    this.changed();
    return delta;
  }

  clearHistory() {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
    this.changed();
  }
}
