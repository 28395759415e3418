import { useCallback, useEffect, useState, type ReactNode } from "react";
import { codeLabel, type ActivityInfo, type AreaInfo, type Labels } from "@waypoint/schema";
import { api, loadSession } from "../api/client.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { communityText, languageName, type CommunityKey } from "./communityText.ts";
import "./community.css";

export type Row = Record<string, unknown>;

/** The community screens' words, code labels and language names in the user's language. */
export function useCT() {
  const i18n = useI18n();
  return {
    ...i18n,
    c: (k: CommunityKey, v?: Record<string, string | number>) => communityText(i18n.lang, k, v),
    label: (table: Record<string, Labels>, code: unknown) => codeLabel(table, String(code ?? ""), i18n.lang),
    language: (code: unknown) => languageName(String(code ?? ""), i18n.lang),
    problem: (e: unknown) => problemSentence(i18n, e),
  };
}

/** GET a path (null: nothing) and keep the answer; `reload` asks again. */
export function useGet<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    if (!path) return setData(null);
    api<T>("GET", path)
      .then((d) => {
        setError(null);
        setData(d);
      })
      .catch((e: unknown) => setError(e));
  }, [path]);
  useEffect(load, [load]);
  return { data, error, reload: load };
}

/** The operation's staff by name (facilitators, trainees). */
export function useStaff(enabled = true) {
  const r = useGet<{ items: { userID: string; name: string; role: string }[] }>(enabled ? "/api/activities/staff" : null);
  return r.data?.items ?? [];
}

/** The operation's administrative areas, named. */
export function useAreas(): AreaInfo[] {
  const op = loadSession()?.me.operationID;
  const r = useGet<{ items: AreaInfo[] }>(op ? `/api/operations/${encodeURIComponent(op)}/areas` : null);
  return r.data?.items ?? [];
}

/** A link inside the app. */
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

/** Where an activity took place, in words: its venue and area, else its office. */
export function placeOf(a: ActivityInfo, offices: Map<string, string>, areas: { pcode: string; name: string }[]) {
  const area = areas.find((x) => x.pcode === (a.adm2 ?? a.adm1))?.name;
  return [a.venue, area].filter(Boolean).join(", ") || offices.get(a.officeID) || "";
}

export function attendanceSummary(
  a: ActivityInfo,
  c: (k: CommunityKey, v?: Record<string, string | number>) => string,
  number: (n: number) => string,
): string {
  const counted = (a.counts ?? []).reduce((s, x) => s + x.count, 0);
  return [
    a.attendeeCount ? c("act.people", { n: number(a.attendeeCount) }) : "",
    a.staffCount ? c("act.staffN", { n: number(a.staffCount) }) : "",
    counted ? c("act.counted", { n: number(counted) }) : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

