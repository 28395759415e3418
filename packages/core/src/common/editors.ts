import { Actor } from "../actor.ts";
import { RuleError } from "./errors.ts";

/**
 * Four eyes means someone who did not shape the thing. A record that needs approval keeps `editors`: everyone
 * who changed its content (rewrote it, submitted it, picked a supplier) since its last approval. Its approvers,
 * panel members and anyone resolving its integrity flags are none of them, nor its author. A record that can be
 * approved again after a change clears `editors` when approved (`approved()`); a return for revision keeps them,
 * since what they wrote is still in it.
 */
export namespace Editors {
  export interface Shaped {
    createdBy?: string;
    editors?: string[];
  }

  /** The record's `editors` once the current actor changed its content: write it with the change. */
  export function touched(r: Shaped, actorID: string = Actor.id()): string[] {
    const editors = r.editors ?? [];
    return editors.includes(actorID) ? editors : [...editors, actorID];
  }

  /** The `editors` of a record just approved: the next round starts with nobody. */
  export const approved = (): string[] => [];

  /** Whether the actor shaped the record: its author, an editor since the last approval, or one of `also`. */
  export function shaped(
    r: Shaped,
    actorID: string = Actor.id(),
    also: (string | undefined)[] = [],
  ): boolean {
    return r.createdBy === actorID || (r.editors ?? []).includes(actorID) || also.includes(actorID);
  }

  /** Refuses the current actor as approver, panel member or flag resolver of a record they shaped. */
  export function assertNotShaper(
    r: Shaped,
    code: string,
    message: string,
    also: (string | undefined)[] = [],
  ): void {
    if (shaped(r, Actor.id(), also)) throw new RuleError(code, message);
  }
}
