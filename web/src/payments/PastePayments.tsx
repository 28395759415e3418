import { useState } from "react";
import { codeLabel, PaymentPurposeLabels, type PastePaymentsResponse } from "@waypoint/schema";
import { api } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { problemSentence } from "../components/RecordForm.tsx";
import { useMe } from "../components/lookups.ts";
import type { GridToolsProps } from "../domains/resources.ts";
import { parseDelimited } from "../grid/delimited.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { BatchTools } from "./BatchTools.tsx";
import { formatMoney } from "./money.ts";
import { pasteText, type PasteKey } from "./pasteText.ts";

type Row = { payee: string; purpose: string; amount: string; currency?: string; period?: string; note?: string };
type Result = PastePaymentsResponse["rows"][number];

const HEADER = /^(payee|beneficiari|bénéficiaire|المستفيد|name|nombre|nom)/i;

/** Rows from pasted spreadsheet text (tabs, or semicolons/commas from a CSV), a header line skipped. */
export function rowsFrom(text: string): { rows: Row[]; short: number[] } {
  const delimiter = text.includes("\t") ? "\t" : text.includes(";") ? ";" : ",";
  const lines = parseDelimited(text.trim(), delimiter).filter((l) => l.some((c) => c.trim()));
  if (lines[0] && HEADER.test(lines[0][0]?.trim() ?? "")) lines.shift();
  const rows: Row[] = [];
  const short: number[] = [];
  lines.forEach((l, i) => {
    const [payee = "", purpose = "", amount = "", currency = "", period = "", note = ""] = l.map((c) => c.trim());
    if (!payee || !purpose || !amount) short.push(i + 1);
    rows.push({
      payee,
      purpose,
      amount,
      ...(currency ? { currency } : {}),
      ...(period ? { period } : {}),
      ...(note ? { note } : {}),
    });
  });
  return { rows, short };
}

/** "Paste payments…" on the payments grid, for roles that create payments. */
export function PastePayments(props: GridToolsProps) {
  const { lang } = useI18n();
  const { may } = useMe();
  const [open, setOpen] = useState(false);
  if (!may("payment.create")) return null;
  return (
    <>
      <button aria-haspopup="dialog" type="button" onClick={() => setOpen(true)}>
        {pasteText(lang, "paste.open")}
      </button>
      {open && (
        <PasteDialog
          onClose={() => setOpen(false)}
          onCreated={(records) => props.ds.merge(records)}
        />
      )}
    </>
  );
}

function PasteDialog(props: { onClose: () => void; onCreated: (records: Record<string, unknown>[]) => void }) {
  const i18n = useI18n();
  const { lang } = i18n;
  const p = (k: PasteKey, v?: Record<string, string | number>) => pasteText(lang, k, v);
  const [text, setText] = useState("");
  const [results, setResults] = useState<{ rows: Row[]; res: PastePaymentsResponse; dryRun: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (dryRun: boolean) => {
    const { rows, short } = rowsFrom(text);
    if (rows.length === 0) return setError(p("paste.empty"));
    if (short.length) return setError(short.map((line) => p("paste.columns", { line })).join(" "));
    setError(null);
    setBusy(true);
    try {
      const res = await api<PastePaymentsResponse>("POST", "/api/payments/paste", { rows, dryRun });
      setResults({ rows, res, dryRun });
      if (!dryRun) {
        const ids = res.rows.filter((r) => r.status === "created").map((r) => r.paymentID);
        const created = await Promise.all(
          ids.map((id) => api<Record<string, unknown>>("GET", `/api/payments/${String(id)}`)),
        );
        props.onCreated(created);
      }
    } catch (e) {
      setError(problemSentence(i18n, e));
    } finally {
      setBusy(false);
    }
  };

  const why = (r: Result) =>
    (r.issues ?? [])
      .map((i) => {
        const code = i.code.replace(/^paste\./, "").replace(/^invalid\./, "");
        const key = `paste.err.${code}` as PasteKey;
        return pasteText(lang, key in { ...ERR } ? key : "paste.err.other");
      })
      .filter((v, i, a) => a.indexOf(v) === i)
      .join(" ");
  const ready = results?.res.rows.filter((r) => r.status === "ready").length ?? 0;

  return (
    <Modal title={p("paste.title")} onClose={props.onClose} wide>
      <div className="form">
        <p className="muted">{p("paste.help")}</p>
        <label>
          {p("paste.rows")}
          <textarea
            name="rows"
            rows={8}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setResults(null);
            }}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {results && (
          <>
            <p role="status">
              {results.dryRun
                ? p("paste.summary", { ready, invalid: results.res.summary.invalid ?? 0 })
                : p("paste.done", {
                    created: results.res.summary.created ?? 0,
                    invalid: results.res.summary.invalid ?? 0,
                  })}
            </p>
            <table className="plain" data-testid="paste-results">
              <thead>
                <tr>
                  <th scope="col">{p("paste.line")}</th>
                  <th scope="col">{p("paste.payee")}</th>
                  <th scope="col">{p("paste.purpose")}</th>
                  <th scope="col">{p("paste.amount")}</th>
                  <th scope="col">{p("paste.result")}</th>
                </tr>
              </thead>
              <tbody>
                {results.res.rows.map((r) => (
                  <tr key={r.index} className={r.status === "invalid" ? "invalid" : undefined}>
                    <td>{i18n.number(r.index + 1)}</td>
                    <td>{r.payeeName ?? results.rows[r.index]?.payee}</td>
                    <td>
                      {r.purpose
                        ? codeLabel(PaymentPurposeLabels, r.purpose, lang)
                        : results.rows[r.index]?.purpose}
                    </td>
                    <td>
                      {r.amount !== undefined && r.currency
                        ? formatMoney(i18n.locale, r.currency, r.amount)
                        : results.rows[r.index]?.amount}
                    </td>
                    <td>
                      {r.status === "invalid"
                        ? why(r)
                        : r.status === "created"
                          ? p("paste.created")
                          : p("paste.ok")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {p("paste.close")}
          </button>
          <button type="button" disabled={busy || !text.trim()} onClick={() => void send(true)}>
            {p("paste.check")}
          </button>
          {results?.dryRun && ready > 0 && (
            <button className="primary" type="button" disabled={busy} onClick={() => void send(false)}>
              {p("paste.create", { count: ready })}
            </button>
          )}
        </div>
      </div>
    </Modal>
  );
}

const ERR = {
  "paste.err.payeeUnknown": 1,
  "paste.err.payeeAmbiguous": 1,
  "paste.err.payeeNotLinked": 1,
  "paste.err.purposeUnknown": 1,
  "paste.err.amount": 1,
  "paste.err.period": 1,
  "paste.err.currency": 1,
};

/** The payments grid's own actions: paste payments, and build a batch from the selection or a filter. */
export function PaymentTools(props: GridToolsProps) {
  return (
    <>
      <PastePayments {...props} />
      <BatchTools {...props} />
    </>
  );
}
