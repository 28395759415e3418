/**
 * The one DynamoDB table. `infra/storage.ts` and the local bootstrap both build the table from this
 * constant, so AWS and a laptop can never drift apart. ElectroDB entities map their indexes onto these fields.
 */
export const Table = {
  name: "waypoint",
  partitionKey: "pk",
  sortKey: "sk",
  /** Generic overloaded GSIs; each entity documents which access pattern it serves on which index. */
  indexes: {
    gsi1: { partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    gsi2: { partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    gsi3: { partitionKey: "gsi3pk", sortKey: "gsi3sk" },
    gsi4: { partitionKey: "gsi4pk", sortKey: "gsi4sk" },
  },
  ttlAttribute: "expiresAt",
} as const;

export type IndexName = keyof typeof Table.indexes;

/** Every key attribute, string-typed: the only attributes DynamoDB needs to know about up front. */
export function keyAttributes(): string[] {
  return [
    Table.partitionKey,
    Table.sortKey,
    ...Object.values(Table.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
}
