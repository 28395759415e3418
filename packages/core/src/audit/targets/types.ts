import type { Actor } from "../../actor.ts";
import { ForbiddenError, NotFoundError } from "../../common/errors.ts";

/** Loads a record's target (operation, office, restriction) for its history; undefined when it is not there. */
export type Loader = (id: string) => Promise<(Actor.Target & { deleted?: boolean }) | undefined>;
export type Loaders = Record<string, Loader>;

/**
 * A loader through a module's own `get`, which checks that the actor may read the record: a record the actor may
 * not read is "not found" here too, so its history never confirms that it exists.
 */
export function viaGet(
  get: (id: string) => Promise<{ operationID: string; officeID?: string; deleted?: boolean }>,
): Loader {
  return async (id) => {
    try {
      const r = await get(id);
      return { operationID: r.operationID, officeID: r.officeID, deleted: r.deleted };
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof ForbiddenError) return undefined;
      throw err;
    }
  };
}
