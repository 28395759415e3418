import { Counter } from "../common/counter.ts";
import { NotFoundError, InvalidError } from "../common/errors.ts";
import { Unique } from "../common/unique.ts";
import type { TxItem } from "../common/db.ts";
import { Operation } from "../operation/index.ts";

/**
 * Readable registration numbers unique per operation: `MEX-TAP-26-000123` for individuals, `MEX-TAP-26-H00045`
 * for households. The counter hands out numbers; the Unique claim written with the record guarantees that no two
 * records ever hold the same number, even if a counter were reset.
 */
export namespace RegistrationNumber {
  const codes = new Map<string, string>();

  async function code(kind: "operation" | "office", id: string): Promise<string> {
    const hit = codes.get(id);
    if (hit) return hit;
    const rec = kind === "operation" ? await Operation.get(id) : await Operation.office(id);
    codes.set(id, rec.code);
    return rec.code;
  }

  const checked = new Set<string>();

  /** Checks the office belongs to the operation (a record may not be filed under another operation's office). */
  export async function office(operationID: string, officeID: string, path = "officeID"): Promise<void> {
    if (checked.has(`${operationID}/${officeID}`)) return;
    try {
      const o = await Operation.office(officeID);
      if (o.operationID === operationID) {
        checked.add(`${operationID}/${officeID}`);
        codes.set(officeID, o.code);
        return;
      }
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    throw InvalidError.field(path, "invalid.office", "is not an office of this operation");
  }

  /** Reserves `count` numbers for records of one office, this year. */
  export async function reserve(
    kind: "individual" | "household",
    operationID: string,
    officeID: string,
    count = 1,
  ) {
    const [op, off] = await Promise.all([code("operation", operationID), code("office", officeID)]);
    const yy = new Date().toISOString().slice(2, 4);
    const first = await Counter.reserve(`${operationID}#${kind}#${off}#${yy}`, count);
    const prefix = `${op}-${off}-${yy}-${kind === "household" ? "H" : ""}`;
    const width = kind === "household" ? 5 : 6;
    return Array.from({ length: count }, (_, i) => `${prefix}${String(first + i).padStart(width, "0")}`);
  }

  export function claim(operationID: string, number: string, ownerID: string): TxItem {
    return Unique.claim(`regno:${operationID}`, number, ownerID);
  }

  export function owner(operationID: string, number: string) {
    return Unique.owner(`regno:${operationID}`, number);
  }

  export interface Pool {
    take(officeID: string): Promise<string>;
  }

  /**
   * Numbers for a bulk registration: one counter increment per office for all its rows instead of one per row.
   * Numbers of rows that fail stay unused (gaps), never reused.
   */
  export function pool(kind: "individual" | "household", operationID: string, officeIDs: unknown[]): Pool {
    const wanted = new Map<string, number>();
    for (const o of officeIDs) if (typeof o === "string") wanted.set(o, (wanted.get(o) ?? 0) + 1);
    const blocks = new Map<string, Promise<string[]>>();
    return {
      async take(officeID) {
        let block = blocks.get(officeID);
        if (!block) {
          block = reserve(kind, operationID, officeID, wanted.get(officeID) ?? 1);
          blocks.set(officeID, block);
        }
        const numbers = await block;
        const next = numbers.shift();
        if (next) return next;
        blocks.delete(officeID);
        return this.take(officeID);
      },
    };
  }
}
