import { useCallback, useEffect, useState } from "react";
import type { SupervisionQueue } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";

/** The current user's queue (closures, reviews, flagged submissions), reloadable after a decision. */
export function useQueue(enabled = true) {
  const [queue, setQueue] = useState<SupervisionQueue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    if (!enabled) return;
    api<SupervisionQueue>("GET", "/api/work/queue")
      .then((q) => {
        setError(null);
        setQueue(q);
      })
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [enabled]);
  useEffect(load, [load]);
  return { queue, error, reload: load };
}

/** Whether the role has anything a queue could hold. */
export const hasQueue = (may: (a: string) => boolean) =>
  may("case.approve") || may("assessment.review") || may("programme.review");
