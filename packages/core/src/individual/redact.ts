import type { Role } from "@waypoint/schema/common";
import { Actor } from "../actor.ts";
import { FieldValues } from "../fields/values.ts";

/**
 * Field-level restrictions: fields a role never receives, whatever its record scope. Phone numbers and documents
 * locate and identify a person; specific-needs codes can reveal that someone survived SGBV or torture. Roles
 * that do not need them for their work (viewers, interpreters, finance) get the record without them.
 */
export const HiddenFields: Record<"individual" | "household", Partial<Record<Role, readonly string[]>>> = {
  individual: {
    viewer: ["phone", "documents", "specificNeeds", "consent", "transliterations"],
    interpreter: ["phone", "documents", "specificNeeds", "consent", "transliterations", "adm1", "adm2"],
    finance: ["documents", "specificNeeds", "transliterations"],
    finance_approver: ["phone", "documents", "specificNeeds", "consent", "transliterations"],
  },
  household: {
    viewer: ["phone", "address"],
    interpreter: ["phone", "address", "adm1", "adm2"],
    finance_approver: ["phone", "address"],
  },
};

export function hiddenFields(
  kind: keyof typeof HiddenFields,
  actor: Actor.Any = Actor.use(),
): readonly string[] {
  if (actor.type === "system") return [];
  if (actor.type !== "user") return [...new Set(Object.values(HiddenFields[kind]).flat())];
  return HiddenFields[kind][actor.role] ?? [];
}

/** The record as `actor` may see it; the withheld fields are listed in `redacted` (always all of them, so their
 * absence says nothing about the person) and a grid can show a lock. */
export function redact<T extends Record<string, unknown>>(
  kind: keyof typeof HiddenFields,
  record: T,
  actor: Actor.Any = Actor.use(),
): T & { redacted?: string[] } {
  const hidden = hiddenFields(kind, actor);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (k !== "searchName" && !hidden.includes(k)) out[k] = v;
  if (hidden.length > 0) out.redacted = [...hidden];
  // configured fields the role may not see (visibleTo, sensitive) are withheld the same way: `fields.<key>`
  return FieldValues.view(kind, out, actor) as T & { redacted?: string[] };
}
