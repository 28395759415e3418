import { useCallback, useEffect, useState, type ReactNode } from "react";
import { ApiError, api } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { rstText, type RstKey } from "./rstText.ts";

/** The desk's words in the user's language. */
export function useRst() {
  const i18n = useI18n();
  return {
    ...i18n,
    r: (key: RstKey, vars?: Record<string, string | number>) => rstText(i18n.lang, key, vars),
  };
}

/**
 * Sends a request and turns a known rule refusal (four eyes, open flags, a missing BID) into the desk's own
 * sentence, so RecordForm shows it in the user's language instead of the API's English detail.
 */
export async function sendAs<T>(lang: Parameters<typeof rstText>[0], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const key = `problem.${e instanceof ApiError ? (e.problem.code ?? "") : ""}`;
    if (e instanceof ApiError && e.status === 422 && key in PROBLEM_KEYS)
      throw new ApiError(e.status, { ...e.problem, code: undefined, detail: rstText(lang, key as RstKey) });
    throw e;
  }
}
const PROBLEM_KEYS = Object.fromEntries(
  [
    "problem.submission.ownReview",
    "problem.flag.ownSubmission",
    "problem.submission.flagsOpen",
    "problem.submission.flagged",
    "problem.submission.bidRequired",
  ].map((k) => [k, true]),
);

/** One JSON resource, reloadable. */
export function useResource<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    if (!path) return;
    api<T>("GET", path)
      .then((d) => {
        setError(null);
        setData(d);
      })
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [path]);
  useEffect(load, [load]);
  return { data, error, reload: load };
}

/** An in-app link. */
export function Go(props: { to: string; children: ReactNode }) {
  return (
    <a
      href={props.to}
      onClick={(e) => {
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
