import { AsyncLocalStorage } from "node:async_hooks";
import type { PartnerScope, Role } from "@waypoint/schema/common";
import { ForbiddenError, UnauthorizedError } from "./common/errors.ts";
import { RestrictedRoles, scopeFor, type Action, type Scope } from "./permissions.ts";

export namespace Actor {
  export interface User {
    type: "user";
    userID: string;
    email: string;
    operationID: string;
    role: Role;
    /** Offices the user works for; empty means every office of the operation. */
    officeIDs: string[];
  }
  export interface Partner {
    type: "partner";
    organisationID: string;
    operationID: string;
    keyID: string;
    scopes: PartnerScope[];
    /** Requests per minute this key may make; the default applies when absent. */
    rateLimitPerMinute?: number;
  }
  export interface System {
    type: "system";
    operationID?: string;
    /** Why the system acts (seed, workflow, migration), recorded in audit events. */
    reason: string;
  }
  export interface Public {
    type: "public";
    operationID: string;
  }
  export type Any = User | Partner | System | Public;

  /** The fields of a record that decide who may touch it. */
  export interface Target {
    operationID: string;
    officeID?: string;
    assignedTo?: string[] | string;
    createdBy?: string;
    restricted?: boolean;
  }

  const storage = new AsyncLocalStorage<Any>();

  export function provide<R>(actor: Any, fn: () => R): R {
    return storage.run(actor, fn);
  }

  export function use(): Any {
    const actor = storage.getStore();
    if (!actor) throw new UnauthorizedError();
    return actor;
  }

  export function maybe(): Any | undefined {
    return storage.getStore();
  }

  export function user(): User {
    const actor = use();
    if (actor.type !== "user") throw new ForbiddenError("staff.only", "Only staff may do this");
    return actor;
  }

  /** Actor ID recorded in audit events and `createdBy`. */
  export function id(actor: Any = use()): string {
    switch (actor.type) {
      case "user":
        return actor.userID;
      case "partner":
        return `${actor.organisationID}/${actor.keyID}`;
      case "system":
        return `system:${actor.reason}`;
      case "public":
        return "public";
    }
  }

  function inScope(user: User, scope: Scope, target: Target): boolean {
    if (target.operationID !== user.operationID) return false;
    const assigned = Array.isArray(target.assignedTo)
      ? target.assignedTo
      : target.assignedTo
        ? [target.assignedTo]
        : [];
    const own = assigned.includes(user.userID) || target.createdBy === user.userID;
    if (target.restricted && !own && !RestrictedRoles.includes(user.role)) return false;
    if (scope === "operation") return true;
    if (scope === "office") {
      return (
        own ||
        user.officeIDs.length === 0 ||
        (target.officeID !== undefined && user.officeIDs.includes(target.officeID))
      );
    }
    return own;
  }

  /** May the current actor do `action`, on `target` when given? System actors may do everything. */
  export function can(action: Action, target?: Target): boolean {
    const actor = use();
    if (actor.type === "system") return true;
    if (actor.type !== "user") return false;
    const scope = scopeFor(actor.role, action);
    if (!scope) return false;
    return target ? inScope(actor, scope, target) : true;
  }

  /** Throws Forbidden unless the current actor may do `action` (on `target`). */
  export function assert(action: Action, target?: Target): void {
    if (!can(action, target)) throw new ForbiddenError(action);
  }

  /** How far a list query may reach for the current actor; undefined when the action is refused. */
  export function listScope(action: Action): { scope: Scope; user?: User } | undefined {
    const actor = use();
    if (actor.type === "system") return { scope: "operation" };
    if (actor.type !== "user") return undefined;
    const scope = scopeFor(actor.role, action);
    return scope ? { scope, user: actor } : undefined;
  }

  /** The operation the current actor works in. */
  export function operationID(): string {
    const actor = use();
    if (!actor.operationID) throw new ForbiddenError("operation.required", "No operation selected");
    return actor.operationID;
  }

  export function assertPartnerScope(scope: PartnerScope): Partner {
    const actor = use();
    if (actor.type !== "partner" || !actor.scopes.includes(scope))
      throw new ForbiddenError(scope, `API key lacks scope ${scope}`);
    return actor;
  }
}
