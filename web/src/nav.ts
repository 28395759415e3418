import { useEffect, useSyncExternalStore } from "react";

/**
 * A small history router. Screens with unsaved work register a guard; in-app navigation asks before leaving and
 * the browser's own leave prompt (beforeunload) covers reloads and closing the tab.
 */
type Guard = () => string | null;
const guards = new Set<Guard>();
const listeners = new Set<() => void>();

const notify = () => listeners.forEach((l) => l());
window.addEventListener("popstate", notify);

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  for (const g of guards) {
    const message = g();
    if (message && !window.confirm(message)) return false;
  }
  if (opts.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  notify();
  return true;
}

export function usePath(): string {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => location.pathname,
  );
}

/** While `message()` returns text, leaving the screen asks first. */
export function useLeaveGuard(message: () => string | null) {
  useEffect(() => {
    const g: Guard = () => message();
    const before = (e: BeforeUnloadEvent) => {
      if (message()) {
        e.preventDefault();
        e.returnValue = "";
      }
    };
    guards.add(g);
    window.addEventListener("beforeunload", before);
    return () => {
      guards.delete(g);
      window.removeEventListener("beforeunload", before);
    };
  }, [message]);
}
