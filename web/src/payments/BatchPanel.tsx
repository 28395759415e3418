import { useCallback, useEffect, useState } from "react";
import {
  codeLabel,
  ExportFormats,
  PaymentStatusLabels,
  ReconciliationOutcomeLabels,
  type ExportInfo,
  type ReconciliationReport,
} from "@waypoint/schema";
import { ApiError, api, onUserChange } from "../api/client.ts";
import { useAsk } from "../components/Ask.tsx";
import { downloadFile, useMe } from "../components/lookups.ts";
import { RelatedSection } from "../components/RelatedSection.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";
import { batchErrorKey, batchText, reconcileIssueKey, type BatchTextKey } from "./batchText.ts";
import { formatMoney } from "./money.ts";
import { usePurpose } from "../privacy/PurposeDialog.tsx";

type Approval = { userID: string };

/** The last report read per batch: the page reloads the batch after reconciling, and the result must stay. */
const lastReport = new Map<string, ReconciliationReport>();
onUserChange(() => lastReport.clear());

/** Money in minor units, shown in the batch's currency and the user's locale. */
function useMoney(currency: string) {
  const { locale } = useI18n();
  return (minor: number | undefined) => (minor === undefined ? "—" : formatMoney(locale, currency, minor));
}

/**
 * The payment batch page's work: submit, approve or reject (never one's own, never after changing a payee in it),
 * export for the provider and download, upload the provider's report and read its outcome, close. Every step is
 * offered only to the role that may take it, at the status where it applies.
 */
export function BatchPanel({ id, record, reload }: PanelProps) {
  const { lang } = useI18n();
  const tt = (k: BatchTextKey, v?: Record<string, string | number>) => batchText(lang, k, v);
  const { me, may } = useMe();
  const { dialog, ask } = useAsk();
  const { dialog: whyDialog, askPurpose } = usePurpose();
  const [error, setError] = useState<{ text: string; list?: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [exports, setExports] = useState<ExportInfo[] | null>(null);
  const [report, setReportState] = useState<ReconciliationReport | null>(lastReport.get(id) ?? null);
  const setReport = (r: ReconciliationReport) => (lastReport.set(id, r), setReportState(r));
  const status = record.status as string;
  const version = record.version as number;
  const currency = record.currency as string;
  const money = useMoney(currency);
  const approvals = (record.approvals as Approval[] | undefined) ?? [];
  const changedBy = (record.accountChangedBy as string[] | undefined) ?? [];
  const flagged = (record.flaggedCount as number | undefined) ?? 0;
  const failed = (record.failedCount as number | undefined) ?? 0;
  const mine = me && (record.createdBy === me.userID || record.submittedBy === me.userID);
  const changer = me && changedBy.includes(me.userID);
  const base = `/api/payment-batches/${id}`;

  const loadExports = useCallback(() => {
    if (!may("batch.read")) return;
    api<{ items: ExportInfo[] }>("GET", `${base}/exports`)
      .then((r) => setExports(r.items))
      .catch(() => setExports([]));
  }, [base]);
  useEffect(loadExports, [loadExports, version]);

  const explain = (e: unknown) => {
    if (e instanceof UploadFailed) return setError({ text: tt("batch.error.uploadFailed") });
    if (!(e instanceof ApiError)) return setError({ text: String(e) });
    const p = e.problem;
    const names = (p.errors ?? []).filter((i) => i.code === "invalid.bankName").map((i) => i.message);
    if (names.length) return setError({ text: tt("batch.error.bankName"), list: names });
    const fileIssue = (p.errors ?? []).find((i) => i.code in reconcileIssueKey);
    if (fileIssue) return setError({ text: tt(reconcileIssueKey[fileIssue.code]!) });
    const key = p.code ? batchErrorKey[p.code] : undefined;
    setError({ text: key ? tt(key) : e.message });
  };
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setError(null);
      reload();
      loadExports();
    } catch (e) {
      explain(e);
    } finally {
      setBusy(false);
    }
  };
  const post = (path: string, body: unknown) => run(() => api("POST", `${base}/${path}`, body));

  return (
    <>
      <section className="card" aria-labelledby="batch-work">
        <h2 id="batch-work">{tt("batch.work")}</h2>
        {dialog}
        {whyDialog}
        <p>
          {tt("batch.approvals", {
            given: approvals.length,
            required: (record.approvalsRequired as number) ?? 1,
          })}
        </p>
        {flagged > 0 && ["submitted", "approved"].includes(status) && (
          <p className="warning" role="status">
            {tt("batch.flagged", { count: flagged })}
          </p>
        )}
        {error && (
          <div role="alert" className="error">
            <p>{error.text}</p>
            {error.list && (
              <ul>
                {error.list.map((x) => (
                  <li key={x}>{x}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="actions">
          {status === "draft" && may("batch.submit") && (
            <button className="primary" disabled={busy} onClick={() => post("submit", { version })}>
              {tt("batch.submit")}
            </button>
          )}
          {status === "submitted" && may("batch.approve") && !mine && !changer && (
            <button
              className="primary"
              disabled={busy}
              onClick={async () => {
                const note = await ask({
                  title: tt("batch.approveTitle"),
                  label: tt("batch.approveNote"),
                  submit: tt("batch.approve"),
                  required: false,
                });
                if (note !== undefined) await post("approve", { version, note: note || undefined });
              }}
            >
              {tt("batch.approve")}
            </button>
          )}
          {["submitted", "approved"].includes(status) && may("batch.approve") && !mine && (
            <button
              disabled={busy}
              onClick={async () => {
                const note = await ask({
                  title: tt("batch.rejectTitle"),
                  label: tt("batch.rejectReason"),
                  submit: tt("batch.reject"),
                  multiline: true,
                  minLength: 5,
                });
                if (note) await post("cancel", { version, note });
              }}
            >
              {tt("batch.reject")}
            </button>
          )}
          {["exported", "reconciled", "closed"].includes(status) &&
            failed > 0 &&
            may("batch.create") &&
            may("payment.update") && (
              <button
                disabled={busy}
                onClick={() =>
                  run(async () => {
                    const next = await api<{ batchID: string }>("POST", `${base}/retry-failed`, {
                      name: tt("batch.retryName", { number: String(record.batchNumber) }),
                    });
                    navigate(`/payment-batches/${next.batchID}`);
                  })
                }
              >
                {tt("batch.retryFailed", { count: failed })}
              </button>
            )}
          {status === "reconciled" && may("batch.reconcile") && (
            <button disabled={busy} onClick={() => post("close", { version })}>
              {tt("batch.close")}
            </button>
          )}
        </div>
        {status === "submitted" && may("batch.approve") && mine && (
          <p className="muted">{tt("batch.yourOwn")}</p>
        )}
        {status === "submitted" && may("batch.approve") && !mine && changer && (
          <p className="muted">{tt("batch.changedBy")}</p>
        )}
        {["approved", "exported", "reconciled"].includes(status) && may("batch.export") && (
          <ExportForm
            flagged={flagged > 0}
            busy={busy}
            onExport={async (format, acceptFlagged) => {
              // the file names the payees: what it is for goes into their people's sharing log
              const why = await askPurpose("assistance");
              if (why) await post("export", { format, acceptFlagged, ...why });
            }}
          />
        )}
        {exports && may("account.viewFull") && (
          <>
            <h3>{tt("batch.exports")}</h3>
            {exports.length === 0 ? (
              <p className="muted">{tt("batch.noExports")}</p>
            ) : (
              <ul>
                {exports.map((e) => (
                  <li key={e.exportID}>
                    {e.fileName}{" "}
                    <button onClick={() => downloadFile(e.downloadUrl, e.fileName).catch(explain)}>
                      {tt("batch.download")}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        {["exported", "reconciled"].includes(status) && may("batch.reconcile") && (
          <ReconcileForm
            busy={busy}
            onUpload={(file, matchOn) => run(async () => setReport(await reconcileFile(base, file, matchOn)))}
          />
        )}
        {report && <ReportView report={report} money={money} />}
      </section>
      <BatchPayments id={id} record={record} reload={reload} />
    </>
  );
}

/** How many of a batch's payments its page lists (the first page of the list API; the totals are the batch's). */
const PAYMENTS_SHOWN = 100;

/**
 * The batch's payments on its page: payee by name, amount in the batch's currency, status and the provider's
 * reason for a failure; the first PAYMENTS_SHOWN, read again whenever the batch changes (submit, export, report).
 */
export function BatchPayments({ id, record }: PanelProps) {
  const i18n = useI18n();
  const { may } = useMe();
  const count = (record.count as number | undefined) ?? 0;
  if (!may("payment.read")) return null;
  return (
    <RelatedSection
      key={String(record.version)}
      id="batch-payments"
      title={batchText(i18n.lang, "batch.payments")}
      path={`/api/payments?batchID=${encodeURIComponent(id)}&limit=${PAYMENTS_SHOWN}`}
      empty={batchText(i18n.lang, "batch.noPayments")}
      link={(r) => `/payments/${String(r.paymentID)}`}
      columns={[
        { field: "payeeName", kind: "text", label: i18n.field("payeeID") },
        {
          field: "amount",
          kind: "text",
          get: (r) => formatMoney(i18n.locale, String(r.currency), Number(r.amount)),
        },
        { field: "status", kind: "enum", table: PaymentStatusLabels },
        { field: "failureReason", kind: "text", label: batchText(i18n.lang, "batch.reason") },
      ]}
    >
      {count > PAYMENTS_SHOWN && (
        <p className="muted">
          {batchText(i18n.lang, "batch.firstPayments", {
            shown: PAYMENTS_SHOWN,
            count: count.toLocaleString(i18n.locale),
          })}
        </p>
      )}
    </RelatedSection>
  );
}

function ExportForm(props: {
  flagged: boolean;
  busy: boolean;
  onExport: (format: string, acceptFlagged: boolean) => void | Promise<void>;
}) {
  const { lang } = useI18n();
  const [format, setFormat] = useState<string>(ExportFormats[0]);
  const [accept, setAccept] = useState(false);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onExport(format, accept);
      }}
    >
      <h3>{batchText(lang, "batch.export")}</h3>
      <label>
        {batchText(lang, "batch.format")}
        <select value={format} onChange={(e) => setFormat(e.target.value)}>
          {ExportFormats.map((f) => (
            <option key={f} value={f}>
              {f.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      {props.flagged && (
        <label className="check">
          <input type="checkbox" checked={accept} onChange={(e) => setAccept(e.target.checked)} />
          {batchText(lang, "batch.acceptFlagged")}
        </label>
      )}
      <div className="actions">
        <button type="submit" className="primary" aria-haspopup="dialog" disabled={props.busy}>
          {batchText(lang, "batch.export")}
        </button>
      </div>
    </form>
  );
}

/** Thrown when the file could not be sent to its upload link (network, or the storage refused it). */
class UploadFailed extends Error {}

/**
 * A status file of any size (a 131,072-line pain.002 is ~13 MB, above what a request body may carry on AWS): sent
 * to an upload link (the bucket on AWS, the API's signed link locally), then reconciled from there, with the
 * file's SHA-256 so a file that arrived different is refused.
 */
async function reconcileFile(base: string, file: File, matchOn: string): Promise<ReconciliationReport> {
  const link = await api<{ ticket: string; upload: { url: string; headers: Record<string, string> } }>(
    "POST",
    `${base}/reconciliation/uploads`,
    { fileName: file.name, contentType: file.type },
  );
  // a browser offers SHA-256 only in a secure context (https, localhost)
  const sha256 = globalThis.crypto?.subtle
    ? [...new Uint8Array(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()))]
        .map((b) => b.toString(16).padStart(2, "0"))
        .join("")
    : undefined;
  const sent = await fetch(link.upload.url, {
    method: "PUT",
    headers: link.upload.headers,
    body: file,
  }).catch(() => undefined);
  if (!sent?.ok) throw new UploadFailed(String(sent?.status ?? "network"));
  return api<ReconciliationReport>("POST", `${base}/reconciliation/uploads/complete`, {
    ticket: link.ticket,
    matchOn,
    ...(sha256 ? { sha256 } : {}),
  });
}

function ReconcileForm(props: { busy: boolean; onUpload: (file: File, matchOn: string) => void }) {
  const { lang } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [matchOn, setMatchOn] = useState("endToEndId");
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (file) props.onUpload(file, matchOn);
      }}
    >
      <h3>{batchText(lang, "batch.reconcile")}</h3>
      <label>
        {batchText(lang, "batch.reportFile")}
        <input
          type="file"
          accept=".xml,.csv,text/csv,application/xml"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <label>
        {batchText(lang, "batch.matchOn")}
        <select value={matchOn} onChange={(e) => setMatchOn(e.target.value)}>
          {(["endToEndId", "paymentID", "msisdn"] as const).map((m) => (
            <option key={m} value={m}>
              {batchText(lang, `batch.match.${m}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={props.busy || !file}>
          {batchText(lang, props.busy && file ? "batch.sending" : "batch.upload")}
        </button>
      </div>
    </form>
  );
}

function ReportView(props: { report: ReconciliationReport; money: (m: number | undefined) => string }) {
  const { lang, locale } = useI18n();
  const { report, money } = props;
  const c = report.control;
  const outcome = (o: string) =>
    codeLabel(ReconciliationOutcomeLabels, o as keyof typeof ReconciliationOutcomeLabels, lang);
  const attention = report.rows.filter((r) => !["paid", "failed", "acknowledged"].includes(r.outcome));
  return (
    <div role="status">
      <h3>{batchText(lang, "batch.report")}</h3>
      <table className="plain">
        <thead>
          <tr>
            <th>{batchText(lang, "batch.outcome")}</th>
            <th>{batchText(lang, "batch.count")}</th>
            <th>{batchText(lang, "batch.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(report.totals).map(([o, t]) => (
            <tr key={o}>
              <td>{outcome(o)}</td>
              <td>{t.count}</td>
              <td>{money(t.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {c.matches
          ? batchText(lang, "batch.controlOk")
          : batchText(lang, "batch.controlBad", {
              fileCount: c.fileCount ?? "—",
              fileTotal: money(c.fileTotal),
              batchCount: c.batchCount,
              batchTotal: money(c.batchTotal),
            })}
      </p>
      {(report.rowsOmitted ?? 0) > 0 && (
        <p className="muted">
          {batchText(lang, "batch.rowsOmitted", { count: (report.rowsOmitted ?? 0).toLocaleString(locale) })}
        </p>
      )}
      {attention.length > 0 && (
        <>
          <h4>{batchText(lang, "batch.lines")}</h4>
          <table className="plain small">
            <thead>
              <tr>
                <th>{batchText(lang, "batch.line")}</th>
                <th>{batchText(lang, "batch.reference")}</th>
                <th>{batchText(lang, "batch.outcome")}</th>
                <th>{batchText(lang, "batch.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {attention.map((r) => (
                <tr key={r.line}>
                  <td>{r.line}</td>
                  <td>{r.reference}</td>
                  <td>{outcome(r.outcome)}</td>
                  <td>{r.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
