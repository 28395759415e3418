import { useEffect, useState } from "react";
import type { ExecutionInfo } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { useAsk } from "../components/Ask.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";

const STATUS_CLASS: Record<string, string> = { SUCCEEDED: "ok", FAILED: "error", ABORTED: "error" };

/**
 * The household's relocation workflow as the terminal team needs it: where the execution stands, what happened,
 * and the confirmations they record (boarded, arrived) or a cancellation.
 */
export function RelocationPanel({ id, record, reload }: PanelProps) {
  const [execution, setExecution] = useState<ExecutionInfo | null | "none">(null);
  const [error, setError] = useState<string | null>(null);
  const { dialog, ask } = useAsk();
  const i18n = useI18n();
  const { t } = i18n;

  useEffect(() => {
    let live = true;
    const load = () =>
      api<ExecutionInfo>("GET", `/api/relocations/${id}/execution`)
        .then((e) => live && setExecution(e))
        .catch(() => live && setExecution("none"));
    load();
    const timer = setInterval(load, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [id]);

  const act = (path: string, body: Record<string, unknown>) =>
    api("POST", `/api/relocations/${id}/${path}`, { ...body, version: record.version })
      .then(() => {
        setError(null);
        reload();
      })
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));

  return (
    <section className="panel" aria-label={t("reloc.workflow")}>
      {dialog}
      <h2>{t("reloc.workflow")}</h2>
      {execution === null && <p className="muted">…</p>}
      {execution === "none" && <p className="muted">{t("reloc.noWorkflow")}</p>}
      {execution && execution !== "none" && (
        <>
          <p>
            <strong className={STATUS_CLASS[execution.status] ?? ""}>{execution.status}</strong>
            {execution.currentStep ? ` · ${execution.currentStep}` : ""} ·{" "}
            {t("reloc.runs", { n: execution.runs })}
            {execution.error ? ` · ${execution.error}` : ""}
          </p>
          <table className="history">
            <thead>
              <tr>
                <th>{t("reloc.time")}</th>
                <th>{t("reloc.event")}</th>
                <th>{t("reloc.step")}</th>
              </tr>
            </thead>
            <tbody>
              {execution.history.slice(-25).map((h, i) => (
                <tr key={i}>
                  <td>{i18n.dateTime(h.time)}</td>
                  <td>{h.type}</td>
                  <td>
                    {h.state ?? ""}
                    {h.error ? ` (${h.error})` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="actions">
        <button onClick={() => act("confirm-departure", {})}>{t("reloc.confirmDeparture")}</button>
        <button onClick={() => act("confirm-arrival", {})}>{t("reloc.confirmArrival")}</button>
        <button
          onClick={() =>
            void ask({
              title: t("reloc.cancelTitle"),
              label: t("reloc.cancelReason"),
              submit: t("reloc.cancel"),
              cancel: t("reloc.keep"),
              multiline: true,
            }).then((reason) => {
              if (reason) void act("cancel", { reason });
            })
          }
        >
          {t("reloc.cancel")}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
