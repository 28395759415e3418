import { useState } from "react";
import { PayeeCreate } from "@waypoint/schema";
import { Modal } from "../components/Modal.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { useMe } from "../components/lookups.ts";
import type { GridToolsProps } from "../domains/resources.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { ChannelTypeLabels, PayeeKindLabels, financeText } from "./financeText.ts";

/**
 * "New payee…" on the payees grid: a form with the channel's own questions (IBAN, BIC, account number, mobile
 * number, provider); the API's errors land on them (`channel.iban`). The new payee's page opens, with the name as
 * the bank knows it that Waypoint suggested.
 */
export function PayeeTools({ ds }: GridToolsProps) {
  const { lang } = useI18n();
  const { may } = useMe();
  const [open, setOpen] = useState(false);
  if (!may("payee.update")) return null;
  const tt = (k: Parameters<typeof financeText>[1]) => financeText(lang, k);
  return (
    <>
      <button aria-haspopup="dialog" type="button" onClick={() => setOpen(true)}>
        {tt("payee.new")}
      </button>
      {open && (
        <Modal title={tt("payee.newTitle")} onClose={() => setOpen(false)} wide>
          <RecordForm
            schema={PayeeCreate}
            path="/api/payees"
            initial={{ kind: "individual", "channel.type": "bank" }}
            fields={[
              { field: "kind", kind: "enum", table: PayeeKindLabels },
              { field: "name", kind: "text" },
              { field: "nameLatin", kind: "text", hint: tt("payee.nameLatinHint") },
              { field: "officeID", kind: "office" },
              { field: "individualID", kind: "ref", ref: "individuals", hint: tt("payee.individualHint") },
              {
                field: "channel.type",
                kind: "enum",
                table: ChannelTypeLabels,
                hint: tt("payee.channelHint"),
              },
              { field: "channel.iban", kind: "text" },
              { field: "channel.bic", kind: "text" },
              { field: "channel.accountNumber", kind: "text" },
              { field: "channel.msisdn", kind: "text" },
              { field: "channel.provider", kind: "text" },
              { field: "note", kind: "textarea" },
            ]}
            submitLabel={tt("payee.create")}
            onCancel={() => setOpen(false)}
            onDone={(r) => {
              const payee = r as Record<string, unknown>;
              ds.merge([payee]);
              setOpen(false);
              navigate(`/payees/${String(payee.payeeID)}`);
            }}
          />
        </Modal>
      )}
    </>
  );
}
