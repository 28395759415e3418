import { Component, type ReactNode } from "react";
import { useI18n } from "../i18n/i18n.tsx";

/**
 * A page that fails to draw (its code chunk could not be fetched, or a fault while rendering) shows a sentence in
 * the user's language and a way to reload, inside the shell, instead of blanking the whole app. Moving to another
 * page (`resetKey`: the path) clears it. Nothing about the failure is shown: no code, no stack.
 */
export class PageErrorBoundary extends Component<
  { resetKey: string; children: ReactNode },
  { failed: boolean; key: string }
> {
  override state = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { failed: boolean; key: string }) {
    return props.resetKey !== state.key ? { failed: false, key: props.resetKey } : null;
  }

  override render() {
    return this.state.failed ? <PageFailed /> : this.props.children;
  }
}

function PageFailed() {
  const { t } = useI18n();
  return (
    <div className="notice error" role="alert">
      <p>{t("page.failed")}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {t("page.reload")}
      </button>
    </div>
  );
}

const RELOADED_AT = "waypoint.chunkReloadAt";

/**
 * After a deployment, a tab opened before it asks for page chunks by their old names, which are gone: Vite then
 * fires `vite:preloadError`. The tab reloads once to get the new build; if the chunk is still missing within a
 * minute of that reload, the error is left to the page's error boundary instead of reloading in a loop.
 */
export function reloadOnStaleChunks() {
  window.addEventListener("vite:preloadError", (event) => {
    const last = Number(sessionStorage.getItem(RELOADED_AT) ?? 0);
    if (Date.now() - last < 60_000) return;
    sessionStorage.setItem(RELOADED_AT, String(Date.now()));
    event.preventDefault();
    window.location.reload();
  });
}
