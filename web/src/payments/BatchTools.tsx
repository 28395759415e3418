import { useEffect, useMemo, useState } from "react";
import { codeLabel, PaymentPurposeLabels, PaymentPurposes } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { problemSentence } from "../components/RecordForm.tsx";
import { useMe, useOffices } from "../components/lookups.ts";
import type { GridToolsProps } from "../domains/resources.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { financeText, reasonText, type FinanceTextKey } from "./financeText.ts";
import { formatMoney, totalsByCurrency } from "./money.ts";

type Row = Record<string, unknown>;
type Profile = { fspProfileID: string; name: string; currency: string };

/** "Create batch…" on the payments grid: from the selected payments, or from a filter when none is selected. */
export function BatchTools(props: GridToolsProps) {
  const { lang } = useI18n();
  const { may } = useMe();
  const [open, setOpen] = useState<Row[] | null>(null);
  if (!may("batch.create")) return null;
  return (
    <>
      <button
        aria-haspopup="dialog"
        type="button"
        onClick={() => setOpen(props.selectedRows())}
        data-testid="create-batch"
      >
        {financeText(lang, "batch.createFrom")}
      </button>
      {open && <CreateBatch selected={open} all={props.ds.rows()} onClose={() => setOpen(null)} />}
    </>
  );
}

function CreateBatch(props: { selected: Row[]; all: Row[]; onClose: () => void }) {
  const i18n = useI18n();
  const { lang, locale, field } = i18n;
  const tt = (k: FinanceTextKey, v?: Record<string, string | number>) => financeText(lang, k, v);
  const offices = useOffices();
  const bySelection = props.selected.length > 0;
  const [purpose, setPurpose] = useState("");
  const [period, setPeriod] = useState("");
  const [officeID, setOfficeID] = useState("");
  const [profiles, setProfiles] = useState<Profile[] | null>(null);
  const [payees, setPayees] = useState(new Map<string, string>());
  const [fspProfileID, setFsp] = useState("");
  const [currency, setCurrency] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; list?: string[] } | null>(null);
  useEffect(() => {
    api<{ items: Profile[] }>("GET", "/api/fsp-profiles")
      .then((r) => setProfiles(r.items))
      .catch(() => setProfiles([]));
    api<{ items: Row[] }>("GET", "/api/payees?limit=1000")
      .then((r) => setPayees(new Map(r.items.map((p) => [String(p.payeeID), String(p.name)]))))
      .catch(() => undefined);
  }, []);

  // What goes in: the selection (each payment once), or the approved payments the filter matches (a preview).
  const rows = useMemo(() => {
    if (bySelection) return [...new Map(props.selected.map((r) => [String(r.paymentID), r])).values()];
    return props.all.filter(
      (r) =>
        r.status === "approved" &&
        (!purpose || r.purpose === purpose) &&
        (!period || r.period === period) &&
        (!officeID || r.officeID === officeID),
    );
  }, [bySelection, props.selected, props.all, purpose, period, officeID]);
  const totals = totalsByCurrency(rows);
  const known = profiles ?? [];
  const currencies = [...new Set([...totals.map(([c]) => c), ...known.map((p) => p.currency)])];
  const cur = currency || totals[0]?.[0] || known[0]?.currency || "";
  const fitting = known.filter((p) => p.currency === cur);
  const fsp = fitting.find((p) => p.fspProfileID === fspProfileID) ?? fitting[0];
  const inCurrency = rows.filter((r) => r.currency === cur);

  const create = async () => {
    if (!fsp) return setError({ text: tt("batch.noProfile") });
    const ids = inCurrency.map((r) => String(r.paymentID));
    const body: Row = { fspProfileID: fsp.fspProfileID, currency: cur };
    if (name.trim()) body.name = name.trim();
    if (bySelection) body.paymentIDs = ids;
    else
      body.filter = {
        ...(purpose && { purpose }),
        ...(period && { period }),
        ...(officeID && { officeID }),
      };
    setBusy(true);
    try {
      const b = await api<Row>("POST", "/api/payment-batches", body);
      props.onClose();
      navigate(`/payment-batches/${String(b.batchID)}`);
    } catch (e) {
      const perPayment = e instanceof ApiError ? (e.problem.errors ?? []) : [];
      const list = perPayment
        .map((i) => {
          const m = /^paymentIDs\.(\d+)$/.exec(i.path);
          const r = m ? inCurrency[Number(m[1])] : undefined;
          if (!r) return undefined;
          const who = payees.get(String(r.payeeID)) ?? String(r.paymentID);
          const amount = formatMoney(locale, String(r.currency), Number(r.amount));
          return `${who} · ${amount}: ${reasonText(lang, i.message)}`;
        })
        .filter((s): s is string => Boolean(s));
      setError(list.length ? { text: tt("batch.refused"), list } : { text: problemSentence(i18n, e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={tt("batch.createTitle")} onClose={props.onClose} wide>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void create();
        }}
      >
        {error && (
          <div className="error-summary" role="alert" data-testid="batch-refusal">
            <p>{error.text}</p>
            {error.list && (
              <ul>
                {error.list.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {bySelection ? (
          <p>{tt("batch.selection", { count: rows.length })}</p>
        ) : (
          <>
            <p className="muted">{tt("batch.useFilter")}</p>
            <div className="question">
              <label htmlFor="batch-purpose">{field("purpose")}</label>
              <select id="batch-purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)}>
                <option value="">{tt("batch.anyPurpose")}</option>
                {PaymentPurposes.map((p) => (
                  <option key={p} value={p}>
                    {codeLabel(PaymentPurposeLabels, p, lang)}
                  </option>
                ))}
              </select>
            </div>
            <div className="question">
              <label htmlFor="batch-period">{tt("batch.period")}</label>
              <input
                id="batch-period"
                value={period}
                pattern="\d{4}-\d{2}"
                onChange={(e) => setPeriod(e.target.value.trim())}
              />
            </div>
            <div className="question">
              <label htmlFor="batch-office">{field("officeID")}</label>
              <select id="batch-office" value={officeID} onChange={(e) => setOfficeID(e.target.value)}>
                <option value="">{tt("batch.anyOffice")}</option>
                {[...offices].map(([id, n]) => (
                  <option key={id} value={id}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        <h3>{tt("batch.totals")}</h3>
        <table className="plain" data-testid="batch-totals">
          <tbody>
            {totals.map(([c, t]) => (
              <tr key={c}>
                <th scope="row">{c}</th>
                <td>{i18n.number(t.count)}</td>
                <td>{formatMoney(locale, c, t.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="question">
          <label htmlFor="batch-currency">{tt("batch.currency")}</label>
          <select id="batch-currency" value={cur} onChange={(e) => setCurrency(e.target.value)}>
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        {totals.length > 1 && (
          <p className="muted">{tt("batch.only", { count: inCurrency.length, currency: cur })}</p>
        )}
        <div className="question">
          <label htmlFor="batch-fsp">{tt("batch.profile")}</label>
          <select id="batch-fsp" value={fsp?.fspProfileID ?? ""} onChange={(e) => setFsp(e.target.value)}>
            {fitting.length === 0 && <option value="">—</option>}
            {fitting.map((p) => (
              <option key={p.fspProfileID} value={p.fspProfileID}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="question">
          <label htmlFor="batch-name">{tt("batch.name")}</label>
          <input id="batch-name" value={name} maxLength={140} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {i18n.t("common.cancel")}
          </button>
          <button
            type="submit"
            className="primary"
            // until the profiles are read the dialog cannot tell which provider pays: nothing to create yet
            disabled={busy || profiles === null || (bySelection && inCurrency.length === 0)}
          >
            {tt("batch.createNow")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
