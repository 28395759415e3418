import { useEffect, useState } from "react";
import { ApiError, api } from "../api/client.ts";
import { Modal } from "../components/Modal.tsx";
import { problemSentence } from "../components/RecordForm.tsx";
import { newestFirst, RelatedSection } from "../components/RelatedSection.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { ChannelTypeLabels } from "../payments/financeText.ts";
import { formatMoney } from "../payments/money.ts";
import { codeLabel, majorToMinor } from "@waypoint/schema";
import { cashText, type CashKey } from "./cashText.ts";
import { moneyDigits } from "../payments/money.ts";

type Row = Record<string, unknown>;
interface Payee {
  payeeID: string;
  name: string;
  channelType: "bank" | "mobile_money" | "cash_pickup";
  accountHint: string;
}

/** Minor-unit digits of a currency (MXN 2, AFN 2, XOF 0), as the server stores amounts (ISO 4217). */
const digitsOf = moneyDigits;

/**
 * Cash for protection on the case page: the requests with their decisions, a request form for whoever may ask on
 * this case, and approve / decline for a supervisor who did not ask.
 */
export function CashRequests(props: { caseID: string; mayAsk: boolean; mayDecide: boolean; myID?: string }) {
  const i18n = useI18n();
  const { lang } = i18n;
  const c = (k: CashKey, v?: Record<string, string | number>) => cashText(lang, k, v);
  const state = (r: Row) => {
    if (r.decision === "declined")
      return c("cash.declinedBy", {
        name: String(r.decidedByName ?? ""),
        reason: String(r.decisionReason ?? ""),
      });
    if (!r.decision) return c("cash.waiting");
    if (r.status === "paid" || r.status === "reconciled") return c("cash.paid");
    if (r.status === "failed") return c("cash.failed");
    if (r.status === "approved") return c("cash.approvedBy", { name: String(r.decidedByName ?? "") });
    return c("cash.inPayment");
  };
  return (
    <RelatedSection
      id="case-cash"
      title={c("cash.title")}
      path={`/api/cases/${props.caseID}/cash-requests`}
      sort={newestFirst}
      empty={c("cash.none")}
      columns={[
        { field: "timeCreated", kind: "datetime", label: c("cash.when") },
        { field: "payeeName", kind: "text", label: c("cash.payee") },
        {
          field: "amount",
          kind: "text",
          get: (r) => formatMoney(i18n.locale, String(r.currency), Number(r.amount)),
        },
        { field: "reason", kind: "textarea", label: c("cash.reason") },
        { field: "requestedByName", kind: "text", label: c("cash.askedBy") },
        { field: "state", kind: "text", label: c("cash.state"), get: state },
      ]}
      extra={(r, reload) =>
        props.mayDecide && !r.decision && r.requestedBy !== props.myID ? (
          <Decide row={r} onDone={reload} />
        ) : null
      }
      add={
        props.mayAsk
          ? {
              label: c("cash.ask"),
              title: c("cash.askTitle"),
              render: (done, cancel) => <RequestForm caseID={props.caseID} onDone={done} onCancel={cancel} />,
            }
          : undefined
      }
    />
  );
}

function RequestForm(props: { caseID: string; onDone: () => void; onCancel: () => void }) {
  const i18n = useI18n();
  const c = (k: CashKey, v?: Record<string, string | number>) => cashText(i18n.lang, k, v);
  const [payees, setPayees] = useState<Payee[] | null>(null);
  const [currency, setCurrency] = useState("");
  const [payeeID, setPayeeID] = useState("");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const digits = currency ? digitsOf(currency) : 2;
  useEffect(() => {
    api<{ items: Payee[]; currency: string }>("GET", `/api/cases/${props.caseID}/cash-requests/payees`)
      .then((r) => {
        setCurrency(r.currency);
        setPayees(r.items);
        if (r.items.length === 1) setPayeeID(r.items[0]!.payeeID);
      })
      .catch((e) => setSummary(problemSentence(i18n, e)));
  }, [props.caseID]); // eslint-disable-line react-hooks/exhaustive-deps
  const channel = (p: Payee) =>
    `${p.name} · ${codeLabel(ChannelTypeLabels, p.channelType, i18n.lang)}${p.accountHint ? ` ${p.accountHint}` : ""}`;

  const submit = async () => {
    const minor = majorToMinor(amount, digits);
    const errs: Record<string, string> = {};
    if (!payeeID) errs.payeeID = c("cash.error.payee");
    if (minor === null) errs.amount = c("cash.error.amount", { digits });
    if (reason.trim().length < 10) errs.reason = c("cash.error.reason");
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await api("POST", `/api/cases/${props.caseID}/cash-requests`, {
        payeeID,
        amount: minor,
        currency,
        reason: reason.trim(),
      });
      props.onDone();
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length) {
        const byField: Record<string, string> = {};
        for (const x of e.problem.errors) {
          const f = x.path.split(".")[0]!;
          byField[f] =
            f === "amount"
              ? c("cash.error.amount", { digits })
              : f === "reason"
                ? c("cash.error.reason")
                : f === "payeeID"
                  ? c("cash.error.payee")
                  : x.message;
        }
        setErrors(byField);
      } else setSummary(cashProblem(i18n, e));
    } finally {
      setBusy(false);
    }
  };

  if (payees && payees.length === 0)
    return (
      <div className="form">
        <p role="status">{c("cash.noPayee")}</p>
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            {c("cash.cancel")}
          </button>
        </div>
      </div>
    );
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {summary && (
        <p role="alert" className="error">
          {summary}
        </p>
      )}
      <label>
        {c("cash.payee")}
        <select
          name="payeeID"
          value={payeeID}
          aria-invalid={Boolean(errors.payeeID)}
          onChange={(e) => setPayeeID(e.target.value)}
        >
          <option value="">—</option>
          {(payees ?? []).map((p) => (
            <option key={p.payeeID} value={p.payeeID}>
              {channel(p)}
            </option>
          ))}
        </select>
        {errors.payeeID && <span className="error small">{errors.payeeID}</span>}
      </label>
      <label>
        {c("cash.amount", { currency })}
        <input
          name="amount"
          inputMode="decimal"
          value={amount}
          aria-invalid={Boolean(errors.amount)}
          onChange={(e) => setAmount(e.target.value)}
        />
        {errors.amount && <span className="error small">{errors.amount}</span>}
      </label>
      <label>
        {c("cash.reason")}
        <textarea
          name="reason"
          rows={3}
          value={reason}
          aria-invalid={Boolean(errors.reason)}
          onChange={(e) => setReason(e.target.value)}
        />
        <span className="muted small">{c("cash.reasonHelp")}</span>
        {errors.reason && <span className="error small">{errors.reason}</span>}
      </label>
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          {c("cash.cancel")}
        </button>
        <button className="primary" type="submit" disabled={busy || payees === null}>
          {c("cash.send")}
        </button>
      </div>
    </form>
  );
}

/** A cash rule refused by the API, in the user's words. */
export function cashProblem(i18n: ReturnType<typeof useI18n>, e: unknown): string {
  const code = e instanceof ApiError ? (e.problem.code ?? "") : "";
  const known: Record<string, CashKey> = {
    "cashRequest.ownRequest": "cash.error.ownRequest",
    "cashRequest.decided": "cash.error.decided",
    "cashRequest.caseClosed": "cash.error.caseClosed",
  };
  return known[code] ? cashText(i18n.lang, known[code]) : problemSentence(i18n, e);
}

/** Approve at once, or decline with the reason the caseworker will read. */
export function Decide(props: { row: Row; onDone: () => void }) {
  const i18n = useI18n();
  const c = (k: CashKey) => cashText(i18n.lang, k);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (decision: "approved" | "declined") => {
    if (decision === "declined" && !reason.trim()) return setError(c("cash.error.declineReason"));
    setBusy(true);
    try {
      await api("POST", `/api/payments/${String(props.row.paymentID)}/decision`, {
        version: props.row.version,
        decision,
        ...(decision === "declined" ? { reason: reason.trim() } : {}),
      });
      setDeclining(false);
      props.onDone();
    } catch (e) {
      setError(cashProblem(i18n, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row-actions">
      <button type="button" className="primary" disabled={busy} onClick={() => void decide("approved")}>
        {c("cash.approve")}
      </button>{" "}
      <button aria-haspopup="dialog" type="button" disabled={busy} onClick={() => setDeclining(true)}>
        {c("cash.decline")}
      </button>
      {error && !declining && (
        <span role="alert" className="error small">
          {" "}
          {error}
        </span>
      )}
      {declining && (
        <Modal title={c("cash.declineTitle")} onClose={() => setDeclining(false)}>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void decide("declined");
            }}
          >
            <label>
              {c("cash.declineReason")}
              <textarea name="reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
              {error && <span className="error small">{error}</span>}
            </label>
            <div className="actions">
              <button type="button" onClick={() => setDeclining(false)}>
                {c("cash.cancel")}
              </button>
              <button className="primary" type="submit" disabled={busy}>
                {c("cash.decline")}
              </button>
            </div>
          </form>
        </Modal>
      )}
    </span>
  );
}
