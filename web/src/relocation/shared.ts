import { RelocationStatusLabels, SpecificNeedsCodes, codeLabel, type RelocationStatus } from "@waypoint/schema";
import type { BulkRowResult, RelocationTripInfo } from "@waypoint/schema";
import { ApiError, loadSession } from "../api/client.ts";
import { useI18n, type I18n } from "../i18n/i18n.tsx";
import { hasWord, relocText, type RelocKey } from "./relocText.ts";

/** The relocation screens' words in the user's language. */
export function useWords() {
  const i18n = useI18n();
  return { i18n, w: (key: RelocKey, vars?: Record<string, string | number>) => relocText(i18n.lang, key, vars) };
}

/** Whether the signed-in role may take an action (core still checks every call). */
export const may = (action: string) => loadSession()?.me.permissions?.includes(action) ?? false;

export const statusLabel = (s: string, lang: I18n["lang"]) =>
  codeLabel(RelocationStatusLabels, s as RelocationStatus, lang);

/** A specific-needs code (or category) in the user's language. */
export const needLabel = (code: string, lang: I18n["lang"]) =>
  codeLabel(SpecificNeedsCodes as unknown as Record<string, Parameters<typeof codeLabel>[0][string]>, code, lang);

/** A bus as people name it: its destination and local departure time. */
export const tripLabel = (t: Pick<RelocationTripInfo, "destination" | "departureAt">, i18n: I18n) =>
  `${t.destination.name} · ${i18n.dateTime(t.departureAt)}`;

/** Why a row was not done, in the user's words (by the API's code, never its English sentence). */
export function reasonOf(r: BulkRowResult | unknown, lang: I18n["lang"]): string {
  const row = r as { status?: string; issues?: { code?: string }[] };
  if (row.status === "conflict") return relocText(lang, "reason.conflict");
  const code = row.issues?.[0]?.code;
  const key = `reason.${code}`;
  return hasWord(key) ? relocText(lang, key) : relocText(lang, "reason.other");
}

/** A refused or failed call as a sentence in the user's words. */
export function errorText(e: unknown, lang: I18n["lang"]): string {
  if (e instanceof ApiError) {
    const code = (e.problem as { code?: string }).code;
    const key = `reason.${code}`;
    if (hasWord(key)) return relocText(lang, key);
    if (e.status === 403 || e.status === 409) return e.status === 409 ? relocText(lang, "reason.conflict") : e.message;
    return relocText(lang, "reason.other");
  }
  return relocText(lang, "reason.other");
}

/** Downloads a generated file (a ticket PDF) with the session's token, as the browser's own download. */
export async function download(path: string, fileName: string) {
  const token = loadSession()?.token;
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(String(res.status));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
