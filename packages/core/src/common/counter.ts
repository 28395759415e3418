import { Entity } from "electrodb";
import { lazyEntity } from "./entity.ts";
import { entityOptions, transactWrite, type TxItem, type TxOutcome } from "./db.ts";
import { ConflictError } from "./errors.ts";

/** Sequence counters for readable numbers (case, registration, batch), one item per scope. */
export const CounterEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "counter", version: "1", service: "waypoint" },
        attributes: {
          scope: { type: "string", required: true },
          value: { type: "number", required: true },
        },
        indexes: {
          // the current value of one sequence, e.g. `op_…#case#TAP#26`
          primary: {
            pk: { field: "pk", composite: ["scope"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

export namespace Counter {
  /**
   * Takes the next number of a sequence and writes `build(n)` in the same transaction. The counter moves from
   * n-1 to n only if nobody else moved it, so two writers never get the same number; the loser retries. Any
   * other failed condition in `build`'s items comes back as the outcome (index shifted past the counter item).
   */
  export async function next(
    scope: string,
    build: (n: number) => TxItem[] | Promise<TxItem[]>,
    attempts = 20,
  ): Promise<{ value: number; outcome: TxOutcome }> {
    for (let i = 0; i < attempts; i++) {
      const current = (await CounterEntity.get({ scope }).go({ consistent: true })).data?.value ?? 0;
      const n = current + 1;
      const counterItem: TxItem =
        current === 0
          ? { put: CounterEntity.create({ scope, value: n }).params() }
          : {
              update: CounterEntity.patch({ scope })
                .set({ value: n })
                .where((a, { eq }) => eq(a.value, current))
                .params(),
            };
      const outcome = await transactWrite([counterItem, ...(await build(n))]);
      if (outcome.ok) return { value: n, outcome };
      if (outcome.failed.includes(0)) continue;
      return { value: n, outcome: { ok: false, failed: outcome.failed.map((f) => f - 1) } };
    }
    throw new ConflictError("The sequence is busy; try again", undefined, "conflict.counter");
  }

  /**
   * Reserves `count` consecutive numbers with one atomic increment and returns the first, for writers that take
   * many numbers at once (bulk registration, imports). The record's transaction then claims its number with
   * `Unique.claim`, so a number is never held twice; a failed write leaves a gap, as paper registers do.
   * Compatible with `next` (which only moves the counter if nobody else did).
   */
  export async function reserve(scope: string, count = 1): Promise<number> {
    const res = await CounterEntity.update({ scope }).add({ value: count }).go({ response: "updated_new" });
    const value = (res.data as { value?: number }).value ?? count;
    return value - count + 1;
  }
}
