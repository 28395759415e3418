import { UniqueEntity } from "@waypoint/core/common/unique";

/**
 * Runs a piece of demo seeding at most once per data folder and remembers what it returned (JSON, in a `seed.step`
 * claim), so a start interrupted while seeding picks up after the last finished piece instead of seeding twice.
 */
export type Once = <T>(key: string, make: () => Promise<T>) => Promise<T>;

/** No memory: the piece runs every time (the Mexico seeders are marked done as a whole). */
export const always: Once = (_key, make) => make();

export function onceIn(prefix: string): Once {
  return async <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const value = `${prefix}:${key}`;
    const hit = (await UniqueEntity.get({ namespace: "seed.step", value }).go()).data;
    if (hit) return JSON.parse(hit.ownerID) as T;
    const out = await make();
    await UniqueEntity.put({ namespace: "seed.step", value, ownerID: JSON.stringify(out ?? null) }).go();
    return out;
  };
}
