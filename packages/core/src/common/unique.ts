import { Entity } from "electrodb";
import { lazyEntity } from "./entity.ts";
import { entityOptions, type TxItem } from "./db.ts";

/**
 * Uniqueness in DynamoDB: a constraint item keyed by the unique value, created in the same transaction as the
 * record. ElectroDB's `create` adds `attribute_not_exists`, so a second claim of the value fails the transaction.
 */
export const UniqueEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "unique", version: "1", service: "waypoint" },
        attributes: {
          namespace: { type: "string", required: true },
          value: { type: "string", required: true },
          ownerID: { type: "string", required: true },
        },
        indexes: {
          // the owner of a unique value (e-mail, readable number, idempotency key, reconciliation line)
          primary: {
            pk: { field: "pk", composite: ["namespace", "value"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

export namespace Unique {
  export function claim(namespace: string, value: string, ownerID: string): TxItem {
    return { put: UniqueEntity.create({ namespace, value, ownerID }).params() };
  }
  export function release(namespace: string, value: string): TxItem {
    return { delete: UniqueEntity.delete({ namespace, value }).params() };
  }
  export async function owner(namespace: string, value: string): Promise<string | undefined> {
    return (await UniqueEntity.get({ namespace, value }).go()).data?.ownerID;
  }
}
