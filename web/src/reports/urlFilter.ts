import { useEffect, useState } from "react";
import type { DataQualityReport, DrillResult } from "@waypoint/schema";
import { api } from "../api/client.ts";
import { navigate } from "../nav.ts";

export interface UrlRowFilter {
  /** The rows to show, or null when the URL asks for no filter. */
  ids: Set<string> | null;
  /** What the filter came from, for the banner: picked records, a dashboard figure, or a data-quality issue. */
  source: "ids" | "drill" | "dq" | null;
  /** The data-quality issue's title (already in the user's language), when `source` is "dq". */
  label: string;
  error: string | null;
  clear: () => void;
}

/**
 * Drill-down links into a grid: `?ids=a,b` (explicit records), `?drill=<dashboard filter>` (resolved by
 * `GET /api/reports/drill`, so the grid shows exactly the records a figure counted) and `?dq=<check>` (a
 * data-quality issue's records). The grid keeps its own data; this only narrows which rows it shows.
 */
export function useUrlRowFilter(resourceKey: string): UrlRowFilter {
  type State = Omit<UrlRowFilter, "clear">;
  const none: State = { ids: null, source: null, label: "", error: null };
  const [state, setState] = useState<State>(none);
  const search = typeof location === "undefined" ? "" : location.search;
  useEffect(() => {
    const q = new URLSearchParams(search);
    let live = true;
    const set = (ids: string[], source: State["source"], label = "") =>
      live && setState({ ids: new Set(ids), source, label, error: null });
    const fail = (e: unknown) =>
      live && setState({ ...none, ids: new Set(), error: String((e as Error).message ?? e) });
    if (q.get("ids")) set(q.get("ids")!.split(",").filter(Boolean), "ids");
    else if (q.get("drill")) {
      const drill = new URLSearchParams(q.get("drill")!);
      drill.set("resource", resourceKey);
      api<DrillResult>("GET", `/api/reports/drill?${drill}`)
        .then((r) => set(r.ids, "drill"))
        .catch(fail);
    } else if (q.get("dq")) {
      const kind = q.get("dq")!;
      const office = q.get("officeID");
      api<DataQualityReport>(
        "GET",
        `/api/data-quality${office ? `?officeID=${encodeURIComponent(office)}` : ""}`,
      )
        .then((r) => {
          // one issue per configured field of a kind (`field=<key>`): the link names which
          const field = q.get("field");
          const issue = r.issues.find((i) => i.kind === kind && (!field || i.field?.key === field));
          set(issue?.ids ?? [], "dq", issue?.title ?? "");
        })
        .catch(fail);
    } else setState(none);
    return () => {
      live = false;
    };
  }, [resourceKey, search]);
  return {
    ...state,
    clear: () => {
      if (navigate(`/${resourceKey}`)) setState(none);
    },
  };
}
