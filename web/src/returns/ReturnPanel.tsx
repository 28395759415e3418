import { useCallback, useEffect, useState } from "react";
import {
  InvoiceStatusLabels,
  MonitoringVisit,
  PlanItemKindLabels,
  PlanItemKinds,
  PlanItemStatusLabels,
  PlanItemStatuses,
  PlanProjectLabels,
  PlanProjects,
  ReturnStatusLabels,
  ReturnTransitions,
  ReturnVulnerabilityFactorLabels,
  SupplierCategoryLabels,
  VulnerabilityInput,
  VulnerabilityLevelLabels,
  type Labels,
  type QuestionnaireInfo,
  type ReturnStatus,
} from "@waypoint/schema";
import { z } from "zod";
import { ApiError, api } from "../api/client.ts";
import { useAsk } from "../components/Ask.tsx";
import { isoToParts } from "../components/DateInput.tsx";
import { downloadFile, recordName, useMe, useRecords } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { RecordForm, problemSentence } from "../components/RecordForm.tsx";
import { useRelated } from "../components/RelatedSection.tsx";
import { FilesSection, Go, today, uploadFile } from "../hosting/parts.tsx";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";
import { fromMinor, money, toMinor, useRT } from "./parts.ts";
import "../hosting/hosting.css";

type Row = Record<string, unknown>;

/**
 * A return's page: the people travelling, the steps of the return (approval by a reviewer), the vulnerability
 * score with its factors, the reintegration plan (individual, collective and community projects) written here
 * and approved by someone who did not write it, the three supplier quotes with their scans and the decision,
 * the monitoring visits with their milestones, and the files kept on the return.
 */
export function ReturnPanel({ id, record, reload }: PanelProps) {
  const i18n = useRT();
  const { rt } = i18n;
  const { mayOn } = useMe();
  const canEdit = mayOn("programme.update", record);
  const canReview = mayOn("programme.review", record);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(e instanceof ApiError ? problemSentence(i18n, e) : String(e));
  const [plan, setPlan] = useState<Row | null | undefined>(undefined);
  const loadPlan = useCallback(() => {
    // one plan per return, or none yet: asked as a list, so a return without a plan is no error
    api<{ items: Row[] }>("GET", `/api/returns/${id}/plans`)
      .then((r) => setPlan(r.items[0] ?? null))
      .catch(() => setPlan(null));
  }, [id]);
  useEffect(loadPlan, [loadPlan, record.version]);
  return (
    <div className="programme">
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <Steps id={id} record={record} canEdit={canEdit} canReview={canReview} reload={reload} fail={fail} />
      <Vulnerability id={id} record={record} canEdit={canEdit} reload={reload} />
      <Plan id={id} record={record} plan={plan} canEdit={canEdit} canReview={canReview} reload={loadPlan} fail={fail} />
      {plan && (
        <Quotes id={id} record={record} plan={plan} canEdit={canEdit} canReview={canReview} fail={fail} />
      )}
      <Monitoring id={id} record={record} canEdit={canEdit} reload={reload} />
      <FilesSection base={`/api/returns/${id}`} canAdd={canEdit} defaultKind="receipt" id="return-files" />
    </div>
  );
}

interface Part {
  id: string;
  record: Row;
  canEdit: boolean;
  canReview?: boolean;
  reload: () => void;
  fail?: (e: unknown) => void;
}

function Steps({ id, record, canEdit, canReview, reload, fail }: Part) {
  const { rt, label } = useRT();
  const { dialog, ask } = useAsk();
  const ids = (record.individualIDs as string[] | undefined) ?? [];
  const people = useRecords("individuals", ids);
  const status = record.status as ReturnStatus;
  const allowed = (to: ReturnStatus) => (to === "approved" ? canReview : canEdit);
  const move = async (to: ReturnStatus) => {
    let date: string | undefined;
    let reason: string | undefined;
    if (to === "returned") {
      date = await ask({ title: rt("r.moveTo", { to: label(ReturnStatusLabels, to) }), label: rt("r.arrivalDate"), type: "date", submit: label(ReturnStatusLabels, to) });
      if (date === undefined) return;
    }
    if (to === "cancelled") {
      reason = await ask({ title: rt("r.moveTo", { to: label(ReturnStatusLabels, to) }), label: rt("r.cancelReason"), multiline: true, submit: label(ReturnStatusLabels, to) });
      if (reason === undefined) return;
    }
    try {
      await api("POST", `/api/returns/${id}/transition`, { to, date, reason, version: record.version });
      reload();
    } catch (e) {
      fail?.(e);
    }
  };
  return (
    <section className="card" aria-labelledby="return-steps">
      {dialog}
      <h2 id="return-steps">{rt("r.people")}</h2>
      <ul>
        {ids.map((p) => (
          <li key={p}>
            <Go to={`/individuals/${p}`}>{recordName("individuals", people.get(p)) ?? "…"}</Go>
          </li>
        ))}
      </ul>
      <p>
        {rt("r.status")}: <strong>{label(ReturnStatusLabels, status)}</strong>
      </p>
      <p>
        {ReturnTransitions[status].filter(allowed).map((to) => (
          <button key={to} type="button" onClick={() => void move(to)}>
            {rt("r.moveTo", { to: label(ReturnStatusLabels, to) })}
          </button>
        ))}
      </p>
    </section>
  );
}

/**
 * The factors of the operation's return-vulnerability questionnaire (its yes/no questions) with their labels: the
 * version the return was scored with, or the current one for a new assessment; the built-in list until loaded.
 */
function useFactorLabels(n: number | undefined): Record<string, Labels> {
  const [table, setTable] = useState<Record<string, Labels>>(ReturnVulnerabilityFactorLabels);
  useEffect(() => {
    api<QuestionnaireInfo>("GET", `/api/questionnaires/return_vulnerability/versions/${n ?? "current"}`)
      .then((q) =>
        setTable(
          Object.fromEntries(
            q.sections.flatMap((s) => s.questions).filter((x) => x.type === "yes_no").map((x) => [x.questionID, x.labels]),
          ),
        ),
      )
      .catch(() => undefined);
  }, [n]);
  return table;
}

function Vulnerability({ id, record, canEdit, reload }: Part) {
  const { rt, label, number } = useRT();
  const [open, setOpen] = useState(false);
  const v = record.vulnerability as Row | undefined;
  const stored = useFactorLabels(v?.questionnaireVersion as number | undefined);
  const current = useFactorLabels(undefined);
  const status = String(record.status);
  return (
    <section className="card" aria-labelledby="return-vulnerability">
      <h2 id="return-vulnerability">{rt("r.vulnerability")}</h2>
      {!v && <p className="muted">{rt("r.notAssessed")}</p>}
      {v && (
        <>
          <p>
            <strong>{rt("r.score", { score: number(Number(v.score)), level: label(VulnerabilityLevelLabels, v.level) })}</strong>
          </p>
          <p>
            {rt("r.factors")}: {((v.factors as string[]) ?? []).map((f) => label(stored, f)).join(", ") || "—"}
          </p>
          {v.note ? <p className="muted">{String(v.note)}</p> : null}
        </>
      )}
      {canEdit && ["registered", "assessed"].includes(status) && (
        <button aria-haspopup="dialog" type="button" onClick={() => setOpen(true)}>
          {rt("r.assess")}
        </button>
      )}
      {open && (
        <Modal title={rt("r.assess")} onClose={() => setOpen(false)}>
          <RecordForm
            schema={VulnerabilityInput}
            path={`/api/returns/${id}/vulnerability`}
            fixed={{ version: record.version }}
            initial={{ factors: (v?.factors as string[] | undefined) ?? [] }}
            transform={(b) => ({ factors: [], ...b })}
            fields={[
              { field: "factors", kind: "codes", table: current, label: rt("r.factors") },
              { field: "note", kind: "textarea", label: rt("r.assessNote") },
            ]}
            submitLabel={rt("r.assess")}
            onDone={() => {
              setOpen(false);
              reload();
            }}
            onCancel={() => setOpen(false)}
          />
        </Modal>
      )}
    </section>
  );
}

type Item = {
  itemID?: string;
  kind: string;
  project: string;
  participants: string;
  description: string;
  budget: string;
  currency: string;
  status: string;
};

function Plan(props: Part & { plan: Row | null | undefined }) {
  const { rt, label, locale, number } = useRT();
  const { plan, id, canEdit, canReview } = props;
  const { me } = useMe();
  const items = ((plan?.items as Row[] | undefined) ?? []) as Row[];
  const [editing, setEditing] = useState<Item[] | null>(null);
  const [saved, setSaved] = useState(false);
  const blank = (): Item => ({ kind: "economic", project: "individual", participants: "", description: "", budget: "", currency: "", status: "planned" });
  const start = () =>
    setEditing(
      items.length
        ? items.map((i) => ({
            itemID: String(i.itemID),
            kind: String(i.kind),
            project: String(i.project ?? "individual"),
            participants: i.participants ? String(i.participants) : "",
            description: String(i.description),
            budget: fromMinor(locale, i.budget, String(i.currency ?? "")),
            currency: String(i.currency ?? ""),
            status: String(i.status),
          }))
        : [blank()],
    );
  const save = async () => {
    const body = {
      items: editing!.map((i) => {
        const currency = i.currency.trim().toUpperCase();
        const budget = toMinor(locale, i.budget, currency);
        return {
          ...(i.itemID ? { itemID: i.itemID } : {}),
          kind: i.kind,
          project: i.project,
          ...(i.participants ? { participants: Number(i.participants) } : {}),
          description: i.description.trim(),
          ...(budget !== undefined ? { budget, currency } : currency ? { currency } : {}),
          status: i.status,
        };
      }),
      ...(plan ? { version: plan.version } : {}),
    };
    try {
      await api("PUT", `/api/returns/${id}/plan`, body);
      setEditing(null);
      setSaved(true);
      props.reload();
    } catch (e) {
      props.fail?.(e);
    }
  };
  const approve = async () => {
    try {
      await api("POST", `/api/returns/${id}/plan/approve`, { version: plan!.version });
      props.reload();
    } catch (e) {
      props.fail?.(e);
    }
  };
  const shaper = Boolean(me && plan && (((plan.editors as string[] | undefined) ?? []).includes(me.userID) || plan.createdBy === me.userID));
  const set = (n: number, k: keyof Item, v: string) => setEditing((cur) => cur!.map((x, i) => (i === n ? { ...x, [k]: v } : x)));
  const select = (n: number, k: keyof Item, codes: readonly string[], table: Record<string, never> | Record<string, unknown>) => (
    <select aria-label={rt(k === "kind" ? "r.kind" : k === "project" ? "r.project" : "r.itemStatus")} value={editing![n]![k]} onChange={(e) => set(n, k, e.target.value)}>
      {codes.map((c) => (
        <option key={c} value={c}>
          {label(table as never, c)}
        </option>
      ))}
    </select>
  );
  return (
    <section className="card" aria-labelledby="return-plan">
      <h2 id="return-plan">
        {rt("r.plan")} {plan ? <span className="tag">{rt(plan.status === "approved" ? "r.planStatus.approved" : "r.planStatus.draft")}</span> : null}
      </h2>
      {saved && !editing && <p role="status">{rt("r.planSaved")}</p>}
      {plan === null && !editing && <p className="muted">{rt("r.noPlan")}</p>}
      {!editing && items.length > 0 && (
        <table className="history">
          <thead>
            <tr>
              <th>{rt("r.project")}</th>
              <th>{rt("r.kind")}</th>
              <th>{rt("r.description")}</th>
              <th>{rt("r.participants")}</th>
              <th>{rt("r.budget")}</th>
              <th>{rt("r.itemStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={String(i.itemID)}>
                <td>{label(PlanProjectLabels, i.project ?? "individual")}</td>
                <td>{label(PlanItemKindLabels, i.kind)}</td>
                <td>{String(i.description)}</td>
                <td>{i.participants ? number(Number(i.participants)) : "—"}</td>
                <td>{money(locale, i.budget, i.currency)}</td>
                <td>{label(PlanItemStatusLabels, i.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <table className="history plan">
            <thead>
              <tr>
                <th>{rt("r.project")}</th>
                <th>{rt("r.kind")}</th>
                <th>{rt("r.description")}</th>
                <th>{rt("r.participants")}</th>
                <th>{rt("r.budget")}</th>
                <th>{rt("r.currency")}</th>
                <th>{rt("r.itemStatus")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {editing.map((i, n) => (
                <tr key={n}>
                  <td>{select(n, "project", PlanProjects, PlanProjectLabels)}</td>
                  <td>{select(n, "kind", PlanItemKinds, PlanItemKindLabels)}</td>
                  <td>
                    <input aria-label={rt("r.description")} value={i.description} onChange={(e) => set(n, "description", e.target.value)} />
                  </td>
                  <td>
                    <input aria-label={rt("r.participants")} inputMode="numeric" size={3} value={i.participants} onChange={(e) => set(n, "participants", e.target.value.replace(/\D/g, ""))} />
                  </td>
                  <td>
                    <input aria-label={rt("r.budget")} inputMode="decimal" size={8} value={i.budget} onChange={(e) => set(n, "budget", e.target.value)} />
                  </td>
                  <td>
                    <input aria-label={rt("r.currency")} size={4} maxLength={3} value={i.currency} onChange={(e) => set(n, "currency", e.target.value)} />
                  </td>
                  <td>{select(n, "status", PlanItemStatuses, PlanItemStatusLabels)}</td>
                  <td>
                    <button type="button" onClick={() => setEditing((cur) => cur!.filter((_, k) => k !== n))}>
                      {rt("r.remove")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <button type="button" onClick={() => setEditing((cur) => [...cur!, blank()])}>
              {rt("r.addItem")}
            </button>{" "}
            <button type="submit" className="primary">
              {rt("r.savePlan")}
            </button>{" "}
            <button type="button" onClick={() => setEditing(null)}>
              {rt("r.cancel")}
            </button>
          </p>
        </form>
      )}
      {!editing && canEdit && plan !== undefined && (
        <button type="button" onClick={start}>
          {plan ? rt("r.edit") : rt("r.addItem")}
        </button>
      )}{" "}
      {!editing && plan?.status === "draft" && canReview && (shaper ? <p className="muted">{rt("r.ownPlan")}</p> : (
        <button type="button" onClick={() => void approve()}>
          {rt("r.approvePlan")}
        </button>
      ))}
    </section>
  );
}

type QuoteRow = { supplierID: string; amount: string; currency: string; date: string; reference: string; file?: File };

function Quotes(props: { id: string; record: Row; plan: Row; canEdit: boolean; canReview: boolean; fail: (e: unknown) => void }) {
  const { rt, label, locale, date } = useRT();
  const { id, plan, canEdit, canReview } = props;
  const invoices = useRelated(`/api/returns/${id}/invoices`);
  const suppliers = useRelated("/api/suppliers");
  const { dialog, ask } = useAsk();
  const [adding, setAdding] = useState(false);
  const items = (plan.items as Row[]) ?? [];
  const itemName = (itemID: unknown) => String(items.find((i) => i.itemID === itemID)?.description ?? "—");
  const supplierName = (sid: unknown) => String((suppliers.items ?? []).find((s) => s.supplierID === sid)?.name ?? "…");
  const act = async (path: string, body: Row) => {
    try {
      await api("POST", path, body);
      invoices.reload();
    } catch (e) {
      props.fail(e);
    }
  };
  const choose = async (inv: Row, supplierID: string) => {
    const reason = await ask({ title: rt("r.choose"), label: rt("r.chooseReason"), multiline: true, submit: rt("r.choose"), minLength: 5 });
    if (reason !== undefined) await act(`/api/invoices/${String(inv.invoiceID)}/select`, { supplierID, reason, version: inv.version });
  };
  const decide = async (inv: Row, approve: boolean) => {
    const comment = await ask({ title: rt(approve ? "r.approve" : "r.reject"), label: rt("r.decisionComment"), multiline: true, required: false, submit: rt(approve ? "r.approve" : "r.reject") });
    if (comment !== undefined) await act(`/api/invoices/${String(inv.invoiceID)}/decision`, { approve, comment: comment || undefined, version: inv.version });
  };
  return (
    <section className="card" aria-labelledby="return-quotes">
      {dialog}
      <h2 id="return-quotes">{rt("r.quotes")}</h2>
      <p className="muted">{rt("r.quotesIntro")}</p>
      {plan.status !== "approved" && <p className="muted">{rt("r.planFirst")}</p>}
      {invoices.items && invoices.items.length === 0 && plan.status === "approved" && <p className="muted">{rt("r.noInvoices")}</p>}
      {(invoices.items ?? []).map((inv) => (
        <div key={String(inv.invoiceID)} className="invoice">
          <h3>
            {rt("r.forItem", { item: itemName(inv.itemID) })} <span className="tag">{label(InvoiceStatusLabels, inv.status)}</span>
          </h3>
          {inv.selectedSupplierID ? <p>{rt("r.chosen", { supplier: supplierName(inv.selectedSupplierID), amount: money(locale, inv.amount, inv.currency) })}</p> : null}
          <table className="history">
            <thead>
              <tr>
                <th>{rt("r.supplier")}</th>
                <th>{rt("r.amount")}</th>
                <th>{rt("r.date")}</th>
                <th>{rt("r.reference")}</th>
                <th>{rt("r.scan")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {((inv.quotes as Row[]) ?? []).map((q) => (
                <tr key={String(q.supplierID)}>
                  <td>{supplierName(q.supplierID)}</td>
                  <td>{money(locale, q.amount, q.currency)}</td>
                  <td>{date(String(q.date))}</td>
                  <td>{String(q.reference ?? "")}</td>
                  <td>
                    {q.fileID ? (
                      <button type="button" onClick={() => void downloadFile(`/api/returns/${id}/files/${String(q.fileID)}/content`, `${supplierName(q.supplierID)}.pdf`)}>
                        {rt("r.download")}
                      </button>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>
                    {canEdit && inv.status === "draft" && (
                      <button type="button" onClick={() => void choose(inv, String(q.supplierID))}>
                        {rt("r.choose")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {canReview && inv.status === "selected" && (
            <p>
              <button type="button" onClick={() => void decide(inv, true)}>
                {rt("r.approve")}
              </button>{" "}
              <button type="button" onClick={() => void decide(inv, false)}>
                {rt("r.reject")}
              </button>
            </p>
          )}
        </div>
      ))}
      {canEdit && plan.status === "approved" && (
        <button aria-haspopup="dialog" type="button" onClick={() => setAdding(true)}>
          {rt("r.newQuotes")}
        </button>
      )}
      {adding && (
        <QuoteForm
          id={id}
          country={String(props.record.countryOfReturn)}
          items={items}
          suppliers={suppliers.items ?? []}
          onSuppliers={suppliers.reload}
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            invoices.reload();
          }}
        />
      )}
    </section>
  );
}

const NewSupplier = z.object({ name: z.string().trim().min(1), category: z.string().min(1) });

/** Three quotes for one plan project, each with its supplier, amount, date, number and scan. */
function QuoteForm(props: { id: string; country: string; items: Row[]; suppliers: Row[]; onSuppliers: () => void; onClose: () => void; onDone: () => void }) {
  const i18n = useRT();
  const { rt, label, locale } = i18n;
  const [itemID, setItemID] = useState(String(props.items[0]?.itemID ?? ""));
  const item = props.items.find((i) => i.itemID === itemID);
  const [rows, setRows] = useState<QuoteRow[]>(() =>
    [0, 1, 2].map(() => ({ supplierID: "", amount: "", currency: String(item?.currency ?? ""), date: today(), reference: "" })),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [newSupplier, setNewSupplier] = useState(false);
  const set = (n: number, k: keyof QuoteRow, v: unknown) => setRows((cur) => cur.map((r, i) => (i === n ? { ...r, [k]: v } : r)));
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const quotes = [];
      for (const r of rows.filter((x) => x.supplierID)) {
        const currency = r.currency.trim().toUpperCase();
        const supplier = String(props.suppliers.find((s) => s.supplierID === r.supplierID)?.name ?? "");
        const file = r.file ? await uploadFile(`/api/returns/${props.id}`, r.file, "quote", `${rt("r.quotes")} · ${supplier}`) : undefined;
        quotes.push({
          supplierID: r.supplierID,
          amount: toMinor(locale, r.amount, currency),
          currency,
          date: r.date,
          ...(r.reference ? { reference: r.reference } : {}),
          ...(file ? { fileID: file.fileID } : {}),
        });
      }
      await api("POST", "/api/invoices", { returnID: props.id, itemID, quotes });
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError ? (e.problem.errors?.map((x) => `${x.path}: ${x.message}`).join("; ") || problemSentence(i18n, e)) : problemSentence(i18n, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={rt("r.newQuotes")} onClose={props.onClose} wide>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <label>
          {rt("r.project")}
          <select value={itemID} onChange={(e) => setItemID(e.target.value)}>
            {props.items.map((i) => (
              <option key={String(i.itemID)} value={String(i.itemID)}>
                {String(i.description)}
              </option>
            ))}
          </select>
        </label>
        {rows.map((r, n) => (
          <fieldset key={n} className="filters">
            <legend>{rt("r.quoteN", { n: n + 1 })}</legend>
            <label>
              {rt("r.supplier")}
              <select value={r.supplierID} onChange={(e) => set(n, "supplierID", e.target.value)}>
                <option value="">{rt("r.selectSupplier")}</option>
                {props.suppliers.map((s) => (
                  <option key={String(s.supplierID)} value={String(s.supplierID)}>
                    {String(s.name)} · {label(SupplierCategoryLabels, s.category)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {rt("r.amount")}
              <input inputMode="decimal" size={8} value={r.amount} onChange={(e) => set(n, "amount", e.target.value)} />
            </label>
            <label>
              {rt("r.currency")}
              <input size={4} maxLength={3} value={r.currency} onChange={(e) => set(n, "currency", e.target.value)} />
            </label>
            <label>
              {rt("r.date")}
              <input type="date" value={r.date} max={today()} onChange={(e) => set(n, "date", e.target.value)} />
            </label>
            <label>
              {rt("r.reference")}
              <input size={10} value={r.reference} onChange={(e) => set(n, "reference", e.target.value)} />
            </label>
            <label>
              {rt("r.scan")}
              <input type="file" accept=".pdf,image/*" onChange={(e) => set(n, "file", e.target.files?.[0])} />
            </label>
          </fieldset>
        ))}
        <p>
          <button aria-haspopup="dialog" type="button" onClick={() => setNewSupplier(true)}>
            {rt("r.newSupplier")}
          </button>
        </p>
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {rt("r.cancel")}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {rt("r.saveQuotes")}
          </button>
        </div>
      </form>
      {newSupplier && (
        <Modal title={rt("r.newSupplier")} onClose={() => setNewSupplier(false)}>
          <RecordForm
            schema={NewSupplier}
            path="/api/suppliers"
            fixed={{ country: props.country }}
            fields={[
              { field: "name", kind: "text", label: rt("r.supplierName") },
              { field: "category", kind: "enum", table: SupplierCategoryLabels, label: rt("r.category") },
            ]}
            submitLabel={rt("r.save")}
            onDone={() => {
              setNewSupplier(false);
              props.onSuppliers();
            }}
            onCancel={() => setNewSupplier(false)}
          />
        </Modal>
      )}
    </Modal>
  );
}

function Monitoring({ id, record, canEdit, reload }: Part) {
  const { rt, date, number } = useRT();
  const [open, setOpen] = useState(false);
  const visits = (record.monitoring as Row[] | undefined) ?? [];
  const status = String(record.status);
  return (
    <section className="card" aria-labelledby="return-monitoring">
      <h2 id="return-monitoring">{rt("r.monitoring")}</h2>
      {visits.length === 0 && <p className="muted">{rt("r.noMonitoring")}</p>}
      {visits.length > 0 && (
        <table className="history">
          <thead>
            <tr>
              <th>{rt("r.visitDate")}</th>
              <th>{rt("r.milestone")}</th>
              <th>{rt("r.sustainability")}</th>
              <th>{rt("r.findings")}</th>
            </tr>
          </thead>
          <tbody>
            {visits.map((v, n) => (
              <tr key={n}>
                <td>{date(String(v.date))}</td>
                <td>{rt("r.milestoneN", { n: Number(v.milestone) })}</td>
                <td>{typeof v.sustainability === "number" ? number(v.sustainability) : "—"}</td>
                <td>{String(v.findings)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && ["returned", "monitoring"].includes(status) && (
        <button aria-haspopup="dialog" type="button" onClick={() => setOpen(true)}>
          {rt("r.addVisit")}
        </button>
      )}
      {open && (
        <Modal title={rt("r.addVisit")} onClose={() => setOpen(false)}>
          <RecordForm
            schema={MonitoringVisit}
            path={`/api/returns/${id}/monitoring`}
            fixed={{ version: record.version }}
            initial={{ date: isoToParts(today()), milestone: "3" }}
            fields={[
              { field: "date", kind: "date", label: rt("r.visitDate") },
              { field: "milestone", kind: "select", label: rt("r.milestone"), options: [0, 3, 6, 9, 12, 18, 24].map((n) => ({ value: String(n), label: rt("r.milestoneN", { n }) })) },
              { field: "sustainability", kind: "number", label: rt("r.sustainability") },
              { field: "findings", kind: "textarea", label: rt("r.findings") },
            ]}
            transform={(b) => ({ ...b, ...(b.milestone !== undefined ? { milestone: Number(b.milestone) } : {}) })}
            submitLabel={rt("r.addVisit")}
            onDone={() => {
              setOpen(false);
              reload();
            }}
            onCancel={() => setOpen(false)}
          />
        </Modal>
      )}
    </section>
  );
}
