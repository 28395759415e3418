import type { Labels } from "@waypoint/schema";

/**
 * Labels of the operation's configured fields (`fields.<key>`), filled when their definitions load, so every screen
 * that names a field through `i18n.field` (grid headers, exports, the set-field and import dialogs, conflicts,
 * history) names a configured one in the user's language too. Kept apart from the catalogue (no imports) so the
 * i18n module can read it without a cycle.
 */
const labels = new Map<string, Labels>();

export function registerFieldLabels(entries: Iterable<[key: string, labels: Labels]>) {
  for (const [key, l] of entries) labels.set(`fields.${key}`, l);
}

/** A configured field's label (`fields.<key>`, or the bare key inside a record's `fields`), if one is known. */
export function configuredLabel(name: string, lang: keyof Labels): string | undefined {
  const l = labels.get(name.startsWith("fields.") ? name : `fields.${name}`);
  return l ? l[lang] || l.en : undefined;
}

export const forgetFieldLabels = () => labels.clear();
