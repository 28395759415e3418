import type { Problem } from "@waypoint/schema";
import { Languages, Messages, type Lang, type MessageKey } from "../i18n/messages.ts";

/** Which sentence explains a refused permission: the action's own, else its area's, else a general one. */
const AREAS: Record<string, string> = {
  user: "admin",
  office: "admin",
  organisation: "admin",
  account: "payee",
  questionnaire: "admin",
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
  // no DOM types here: tests read this module in node
  const doc = (globalThis as { document?: { documentElement: { lang: string } } }).document;
  const l = doc?.documentElement.lang ?? "en";
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
  const key = refusalKey(problem.action);
  return Messages[lang][key] ?? Messages.en[key];
}
