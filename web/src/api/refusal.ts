import type { Problem } from "@waypoint/schema";
import { makeI18n } from "../i18n/i18n.tsx";
import { Languages, Messages, type Lang, type MessageKey } from "../i18n/messages.ts";

/** Which sentence explains a refused permission: the action's own, else its area's, else a general one. */
const AREAS: Record<string, string> = {
  user: "admin",
  office: "admin",
  organisation: "admin",
  account: "payee",
};

export function refusalKey(action: string | undefined): MessageKey {
  const has = (k: string): k is MessageKey => Object.hasOwn(Messages.en, k);
  if (!action) return "refused.default";
  const own = `refused.${action}`;
  if (has(own)) return own;
  const area = action.split(".")[0]!;
  const byArea = `refused.${AREAS[area] ?? area}`;
  return has(byArea) ? byArea : "refused.default";
}

/** The language the app shows now (I18nProvider sets it on <html>). */
function currentLang(): Lang {
  const l = typeof document === "undefined" ? "en" : document.documentElement.lang;
  return (Languages as readonly string[]).includes(l) ? (l as Lang) : "en";
}

/**
 * A refusal (403) as a sentence in the user's language, per permission area (`refused.*`), never the permission
 * code; the API's own sentence is English.
 */
export function refusalSentence(
  problem: Pick<Problem, "action"> | { action?: string },
  lang = currentLang(),
) {
  return makeI18n(lang).t(refusalKey(problem.action));
}
