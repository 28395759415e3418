import { describe, expect, it } from "vitest";
import { GridStore } from "./store.ts";

const validate = (field: string, value: unknown) =>
  field === "age" && typeof value === "number" && value < 0 ? "must be 0 or more" : undefined;

function store() {
  const s = new GridStore("id", validate);
  s.load([
    { id: "a", version: 1, name: "Ana", age: 30 },
    { id: "b", version: 4, name: "Bo", age: 40 },
  ]);
  return s;
}

describe("staged grid edits", () => {
  it("stages an edit without touching the server row, and un-stages a value put back", () => {
    const s = store();
    s.stage([{ key: "a", field: "name", value: "Ana María" }]);
    expect(s.row("a")).toMatchObject({ name: "Ana María" });
    expect(s.base.get("a")).toMatchObject({ name: "Ana" });
    expect(s.dirtyCells).toBe(1);
    s.stage([{ key: "a", field: "name", value: "Ana" }]);
    expect(s.dirtyCells).toBe(0);
  });

  it("undoes and redoes a paste as one step, new rows included", () => {
    const s = store();
    s.stage([{ key: "a", field: "name", value: "X" }]);
    s.stage(
      [
        { key: "a", field: "age", value: 31 },
        { key: "b", field: "age", value: 41 },
      ],
      [{ name: "New", age: 5 }],
    );
    expect(s.newRows).toBe(1);
    const d = s.undo();
    expect(d.remove).toHaveLength(1);
    expect(s.row("a")).toMatchObject({ name: "X", age: 30 });
    expect(s.row("b")).toMatchObject({ age: 40 });
    expect(s.newRows).toBe(0);
    s.redo();
    expect(s.row("b")).toMatchObject({ age: 41 });
    expect(s.newRows).toBe(1);
    s.undo();
    s.undo();
    expect(s.dirtyCells).toBe(0);
    expect(s.canUndo).toBe(false);
  });

  it("holds rows with cell errors back from a save and sends the rest with their versions", () => {
    const s = store();
    s.stage([
      { key: "a", field: "age", value: -1 },
      { key: "b", field: "name", value: "Bob" },
    ]);
    expect(s.error("a", "age")).toBe("must be 0 or more");
    const p = s.pending();
    expect(p.held).toEqual(["a"]);
    expect(p.patch).toEqual([{ key: "b", id: "b", version: 4, changes: { name: "Bob" } }]);
  });

  it("settles per-row outcomes: saved replaces the base, invalid marks the cell, created takes the new id", () => {
    const s = store();
    s.stage([{ key: "b", field: "name", value: "Bob" }], [{ name: "Cy" }]);
    s.settle("b", { status: "invalid", issues: [{ path: "changes.name", code: "x", message: "too short" }] });
    expect(s.error("b", "name")).toBe("too short");
    s.settle("b", { status: "saved", version: 5, record: { id: "b", version: 5, name: "Bob", age: 40 } });
    expect(s.row("b")).toMatchObject({ version: 5, name: "Bob" });
    expect(s.error("b", "name")).toBeUndefined();
    const d = s.settle("new:1", {
      status: "created",
      version: 1,
      record: { id: "c", version: 1, name: "Cy" },
    });
    expect(d).toEqual({ update: [], add: ["c"], remove: ["new:1"] });
    expect(s.newRows).toBe(0);
  });

  it("resolves a conflict by keeping the fields the user chose and rebasing on their version", () => {
    const s = store();
    s.stage([
      { key: "a", field: "name", value: "Mine" },
      { key: "a", field: "age", value: 33 },
    ]);
    const current = { id: "a", version: 2, name: "Theirs", age: 30 };
    s.settle("a", { status: "conflict", current });
    expect(s.outcomes.get("a")?.status).toBe("conflict");
    s.resolve("a", current, ["name"]);
    expect(s.pending().patch).toEqual([{ key: "a", id: "a", version: 2, changes: { name: "Mine" } }]);
  });

  it("drops rows deleted by someone else, but keeps one with staged edits, marked as gone", () => {
    const s = store();
    s.stage([{ key: "b", field: "name", value: "Bob" }]);
    const delta = s.load([
      { id: "a", version: 2, deleted: true },
      { id: "b", version: 5, deleted: true },
      { id: "z", version: 1, deleted: true },
    ]);
    expect(delta).toEqual({ update: ["b"], add: [], remove: ["a"] });
    expect(s.base.has("a")).toBe(false);
    expect(s.base.has("z")).toBe(false);
    expect(s.outcomes.get("b")).toEqual({ status: "not_found" });
    expect(s.row("b")).toMatchObject({ name: "Bob" });
  });

  it("sends a new row flagged as a likely duplicate again with the user's reason, once", () => {
    const s = store();
    s.stage([], [{ name: "Ana", age: 30 }]);
    const [key] = [...s.edits.keys()];
    s.settle(key!, { ref: key, status: "duplicate", candidates: [{ individualID: "a" }] });
    expect(s.outcomes.get(key!)?.status).toBe("duplicate");
    expect(s.pending().create[0]).not.toHaveProperty("overrideDuplicates");
    s.overrideDuplicate(key!, "Different mother, different birthplace");
    expect(s.outcomes.has(key!)).toBe(false);
    expect(s.pending().create[0]).toMatchObject({
      key,
      overrideDuplicates: { reason: "Different mother, different birthplace" },
    });
    s.settle(key!, { ref: key, status: "created", version: 1, record: { id: "c", version: 1, name: "Ana" } });
    expect(s.overrides.size).toBe(0);
    expect(s.pending().create).toEqual([]);
  });

  it("keeps configured values (fields.<key> cells) inside the record's fields, as the API reads and takes them", () => {
    const s = new GridStore("id", validate);
    s.load([{ id: "a", version: 2, name: "Ana", fields: { progresId: "P-1", embassy: "MX" } }]);
    // the value put back is no edit; a changed one is, and the row shows it nested beside the other values
    s.stage([{ key: "a", field: "fields.progresId", value: "P-1" }]);
    expect(s.dirtyCells).toBe(0);
    s.stage([{ key: "a", field: "fields.progresId", value: "P-2" }]);
    expect(s.row("a")).toMatchObject({ fields: { progresId: "P-2", embassy: "MX" } });
    expect(s.base.get("a")).toMatchObject({ fields: { progresId: "P-1" } });
    expect(s.value("a", "fields.embassy")).toBe("MX");
    // a bulk PATCH names only the changed key (the API merges per key); new rows carry theirs the same way
    s.stage([], [{ name: "New", "fields.embassy": "GT" }]);
    const { patch, create } = s.pending();
    expect(patch).toEqual([{ key: "a", id: "a", version: 2, changes: { fields: { progresId: "P-2" } } }]);
    expect(create[0]!.values).toEqual({ name: "New", fields: { embassy: "GT" } });
    // the server's per-cell error (`rows.0.changes.fields.progresId`) lands on the configured cell
    s.settle("a", {
      status: "invalid",
      issues: [{ path: "rows.0.changes.fields.progresId", code: "invalid", message: "bad" }],
    } as never);
    expect(s.error("a", "fields.progresId")).toBe("bad");
  });

  it("edits a value inside another object (a payee's channel.msisdn) as that object with the value alone, and puts the API's coded error on its cell", () => {
    const s = new GridStore("id", validate);
    s.load([
      {
        id: "p",
        version: 3,
        name: "Celia",
        channel: { type: "mobile_money", msisdn: "+525512340001", provider: "x" },
      },
    ]);
    s.stage([{ key: "p", field: "channel.msisdn", value: "+525512340001" }]);
    expect(s.dirtyCells).toBe(0);
    s.stage([{ key: "p", field: "channel.msisdn", value: "+14155235571" }]);
    // the row shows the new number inside its channel, the rest of the channel kept
    expect(s.row("p")).toMatchObject({
      channel: { type: "mobile_money", msisdn: "+14155235571", provider: "x" },
    });
    expect(s.pending().patch).toEqual([
      { key: "p", id: "p", version: 3, changes: { channel: { msisdn: "+14155235571" } } },
    ]);
    s.settle("p", {
      status: "invalid",
      issues: [{ path: "rows.0.changes.channel.msisdn", code: "invalid.msisdn", message: "not of MX" }],
    } as never);
    expect(s.error("p", "channel.msisdn")).toBe("not of MX");
    expect(s.errorCode("p", "channel.msisdn")).toBe("invalid.msisdn");
    // a later problem of the client's own (no code) is not read with the server's code
    s.stage(
      [{ key: "p", field: "channel.msisdn", value: "+14155235572" }],
      [],
      new Map([["p\u0000channel.msisdn", "unreadable"]]),
    );
    expect(s.errorCode("p", "channel.msisdn")).toBeUndefined();
  });
});
