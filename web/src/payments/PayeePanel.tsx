import { useEffect, useState } from "react";
import {
  BatchStatusLabels,
  PaymentChannel,
  PaymentPurposeLabels,
  PaymentStatusLabels,
  type PayeeInfo,
} from "@waypoint/schema";
import { z } from "zod";
import { api } from "../api/client.ts";
import { recordName, useMe, useRecords } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { RelatedSection } from "../components/RelatedSection.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";
import { ChannelTypeLabels, financeText, type FinanceTextKey } from "./financeText.ts";
import { formatMoney } from "./money.ts";

type Row = Record<string, unknown>;
const CHANNEL_FIELDS = [
  "iban",
  "bic",
  "accountNumber",
  "bankName",
  "msisdn",
  "provider",
  "pickupPoint",
] as const;

function Link(props: { href: string; children: string }) {
  return (
    <a
      href={props.href}
      onClick={(e) => {
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

/** Who the payee pays: the registered person, host or supplier, by name, linking to their page when they have one. */
function PaysWhom({ payee }: { payee: PayeeInfo }) {
  const { lang } = useI18n();
  const people = useRecords("individuals", payee.individualID ? [payee.individualID] : []);
  const [other, setOther] = useState<{ name: string; href?: string } | null>(null);
  useEffect(() => {
    if (payee.hostID)
      api<Row>("GET", `/api/hosts/${encodeURIComponent(payee.hostID)}`)
        .then((h) => setOther({ name: String(h.name ?? ""), href: `/hosts/${payee.hostID}` }))
        .catch(() => setOther(null));
    else if (payee.supplierID)
      api<{ items: Row[] }>("GET", "/api/suppliers")
        .then((r) => {
          const s = r.items.find((x) => x.supplierID === payee.supplierID);
          setOther(s ? { name: String(s.name ?? "") } : null);
        })
        .catch(() => setOther(null));
  }, [payee.hostID, payee.supplierID]);
  if (payee.individualID) {
    const name = recordName("individuals", people.get(payee.individualID)) ?? "…";
    return <Link href={`/individuals/${payee.individualID}`}>{name}</Link>;
  }
  if (other) return other.href ? <Link href={other.href}>{other.name}</Link> : <>{other.name}</>;
  return <span className="muted">{financeText(lang, "payee.nobody")}</span>;
}

/**
 * A payee's page: where the money goes (masked unless the role may see accounts in full), whom it pays, and the
 * payments made to it. Changes to the account are audited and listed in the page's history, masked.
 */
const ChannelForm = z.object({ channel: PaymentChannel });

/**
 * The payee's channel as a form, sent as one change at the payee's version. Starts from the details in full when
 * the role sees them (masked values are never sent back as if they were an account).
 */
function ChangeBank(props: { payee: PayeeInfo; onClose: () => void; onDone: () => void }) {
  const { lang } = useI18n();
  const tt = (k: FinanceTextKey) => financeText(lang, k);
  const c = props.payee.channel;
  const initial: Row = { "channel.type": c?.type ?? "bank" };
  if (props.payee.accountVisible && c)
    for (const f of CHANNEL_FIELDS) if (c[f]) initial[`channel.${f}`] = String(c[f]);
  return (
    <Modal title={tt("payee.changeTitle")} onClose={props.onClose} wide>
      <RecordForm
        schema={ChannelForm}
        initial={initial}
        intro={<p className="muted">{tt("payee.changeWarn")}</p>}
        fields={[
          { field: "channel.type", kind: "enum", table: ChannelTypeLabels, hint: tt("payee.channelHint") },
          { field: "channel.iban", kind: "text" },
          { field: "channel.bic", kind: "text" },
          { field: "channel.accountNumber", kind: "text" },
          { field: "channel.bankName", kind: "text" },
          { field: "channel.msisdn", kind: "text" },
          { field: "channel.provider", kind: "text" },
          { field: "channel.pickupPoint", kind: "text" },
        ]}
        send={(body) =>
          api("PATCH", `/api/payees/${encodeURIComponent(props.payee.payeeID)}`, {
            version: props.payee.version,
            changes: body,
          })
        }
        fieldOfPath={(p) => p.replace(/^changes\./, "")}
        submitLabel={tt("payee.save")}
        onCancel={props.onClose}
        onDone={props.onDone}
      />
    </Modal>
  );
}

export function PayeePanel({ id, record, reload }: PanelProps) {
  const i18n = useI18n();
  const { lang, field } = i18n;
  const tt = (k: FinanceTextKey) => financeText(lang, k);
  const { may } = useMe();
  const payee = record as unknown as PayeeInfo;
  const channel = payee.channel ?? { type: "bank" };
  const [changing, setChanging] = useState(false);
  return (
    <>
      <section className="card" aria-labelledby="payee-bank">
        <div className="related-head">
          <h2 id="payee-bank">{tt("payee.bank")}</h2>
          {may("payee.update") && (
            <button aria-haspopup="dialog" type="button" onClick={() => setChanging(true)}>
              {tt("payee.change")}
            </button>
          )}
        </div>
        {changing && (
          <ChangeBank
            payee={payee}
            onClose={() => setChanging(false)}
            onDone={() => {
              setChanging(false);
              reload();
            }}
          />
        )}
        <p className="muted small">{payee.accountVisible ? tt("payee.full") : tt("payee.masked")}</p>
        <dl className="fields" data-testid="payee-channel">
          <div>
            <dt>{field("channel.type")}</dt>
            <dd>{ChannelTypeLabels[channel.type]?.[lang] ?? channel.type}</dd>
          </div>
          {CHANNEL_FIELDS.filter((f) => channel[f]).map((f) => (
            <div key={f}>
              <dt>{field(`channel.${f}`)}</dt>
              <dd dir="ltr">{String(channel[f])}</dd>
            </div>
          ))}
          <div>
            <dt>{field("nameLatin")}</dt>
            <dd dir="ltr" data-testid="payee-bank-name">
              {payee.nameLatin ?? "—"}
            </dd>
          </div>
          <div>
            <dt>{tt("payee.pays")}</dt>
            <dd>
              <PaysWhom payee={payee} />
            </dd>
          </div>
        </dl>
      </section>
      {may("payment.read") && (
        <RelatedSection
          id="payee-payments"
          title={tt("payee.payments")}
          path={`/api/payments?payeeID=${encodeURIComponent(id)}&limit=200`}
          empty={tt("payee.noPayments")}
          link={(r) => `/payments/${String(r.paymentID)}`}
          columns={[
            { field: "purpose", kind: "enum", table: PaymentPurposeLabels },
            {
              field: "amount",
              kind: "text",
              get: (r) => formatMoney(i18n.locale, String(r.currency), Number(r.amount)),
            },
            { field: "status", kind: "enum", table: PaymentStatusLabels },
            { field: "batchStatus", kind: "enum", table: BatchStatusLabels },
            { field: "timeCreated", kind: "datetime" },
          ]}
        />
      )}
    </>
  );
}
