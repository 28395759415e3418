/** Reading a value by a dotted field path (`destination.name`, `fields.progresId`): nested properties, as AG Grid reads a column's `field`. */

function walk(v: unknown, parts: readonly string[]): unknown {
  for (const part of parts) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/** A value by a dotted field path, once. */
export function getPath(row: Record<string, unknown> | undefined, path: string): unknown {
  return walk(row, path.split("."));
}

/**
 * A reader of one path for many rows (a sort or a filter over a whole registry): the path is split once, and the
 * common one- and two-part paths (`familyName`, `fields.<key>`) read without a loop.
 */
export function pathReader(path: string): (row: unknown) => unknown {
  const parts = path.split(".");
  const object = (v: unknown) => (v && typeof v === "object" ? (v as Record<string, unknown>) : undefined);
  if (parts.length === 1) return (row) => object(row)?.[path];
  if (parts.length === 2) {
    const [outer, inner] = parts as [string, string];
    return (row) => object(object(row)?.[outer])?.[inner];
  }
  return (row) => walk(row, parts);
}
