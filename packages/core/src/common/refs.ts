import { Actor } from "../actor.ts";
import { InvalidError } from "./errors.ts";
import { Operation } from "../operation/index.ts";
import { User } from "../user/index.ts";
import { Individual } from "../individual/index.ts";
import { Household } from "../household/index.ts";

/**
 * Checks that the records a write points at exist in the actor's operation, so a bad ID is a 422 on the right
 * field instead of a dangling reference. Office codes and user grants are cached briefly (they rarely change).
 */
export namespace Refs {
  const offices = new Map<string, { operationID: string; code: string }>();

  export async function office(officeID: string, path = "officeID") {
    let o = offices.get(officeID);
    if (!o) {
      const found = await Operation.office(officeID).catch(() => undefined);
      if (found) offices.set(officeID, (o = { operationID: found.operationID, code: found.code }));
    }
    if (!o || o.operationID !== Actor.operationID())
      throw InvalidError.field(path, "invalid.office", "No such office in this operation");
    return o;
  }

  /** A staff member of this operation; returns their languages (interpreters). */
  export async function staff(userID: string, path: string) {
    const u = await User.get(userID).catch(() => undefined);
    const operationID = Actor.operationID();
    if (!u || u.disabled || !u.grants.some((g) => g.operationID === operationID))
      throw InvalidError.field(path, "invalid.user", "No such staff member in this operation");
    return { ...u, role: u.grants.find((g) => g.operationID === operationID)!.role };
  }

  /** Individuals the actor can see in this operation; returns them for snapshots. */
  export async function individuals(ids: readonly string[], path: string) {
    return Promise.all(
      ids.map((id, i) =>
        Individual.get(id).catch(() => {
          throw InvalidError.field(`${path}.${i}`, "invalid.individual", "No such individual");
        }),
      ),
    );
  }

  export async function individual(id: string, path = "individualID") {
    return Individual.get(id).catch(() => {
      throw InvalidError.field(path, "invalid.individual", "No such individual");
    });
  }

  export async function household(id: string, path = "householdID") {
    return Household.get(id).catch(() => {
      throw InvalidError.field(path, "invalid.household", "No such household");
    });
  }
}
