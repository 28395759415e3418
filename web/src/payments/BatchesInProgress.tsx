import { BatchStatusLabels, codeLabel, type BatchStatus } from "@waypoint/schema";
import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { BatchLink } from "./BatchQueue.tsx";
import { financeText } from "./financeText.ts";
import { formatMoney } from "./money.ts";

type Row = Record<string, unknown>;
/** Batches not yet reconciled, closed or cancelled: what finance still has to move along. */
const IN_PROGRESS: BatchStatus[] = ["assembling", "draft", "submitted", "approved", "exported"];

/**
 * The finance dashboard's "batches in progress": each batch still on its way (number, name, status, payments,
 * total in its currency, paid and failed so far, last change in the operation's time zone), oldest change first,
 * opening the batch page.
 */
export function BatchesInProgress() {
  const i18n = useI18n();
  const { lang, field } = i18n;
  const [items, setItems] = useState<Row[] | null>(null);
  useEffect(() => {
    const load = async () => {
      const out: Row[] = [];
      for (const status of IN_PROGRESS) {
        let cursor: string | null = null;
        do {
          const q = new URLSearchParams({ status, limit: "500" });
          if (cursor) q.set("cursor", cursor);
          const page: { items: Row[]; nextCursor: string | null } = await api(
            "GET",
            `/api/payment-batches?${q}`,
          );
          out.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
      }
      setItems(out.sort((a, b) => String(a.timeUpdated ?? "").localeCompare(String(b.timeUpdated ?? ""))));
    };
    load().catch(() => setItems([]));
  }, []);
  return (
    <section className="card" aria-labelledby="batches-in-progress" data-testid="batches-in-progress">
      <h2 id="batches-in-progress">{financeText(lang, "batch.inProgress")}</h2>
      {items && items.length === 0 && <p className="muted">{financeText(lang, "batch.inProgressEmpty")}</p>}
      {items && items.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{field("batchNumber")}</th>
              <th scope="col">{field("name")}</th>
              <th scope="col">{field("status")}</th>
              <th scope="col">{field("count")}</th>
              <th scope="col">{field("total")}</th>
              <th scope="col">{field("timeUpdated")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => {
              const reconciling = Number(b.paidCount ?? 0) + Number(b.failedCount ?? 0) > 0;
              return (
                <tr key={String(b.batchID)}>
                  <td>
                    <BatchLink batch={b} />
                  </td>
                  <td>{String(b.name ?? "")}</td>
                  <td>
                    {codeLabel(BatchStatusLabels, b.status as BatchStatus, lang)}
                    {reconciling && (
                      <div className="muted">
                        {financeText(lang, "batch.paidFailed", {
                          paid: i18n.number(Number(b.paidCount ?? 0)),
                          failed: i18n.number(Number(b.failedCount ?? 0)),
                        })}
                      </div>
                    )}
                  </td>
                  <td>{i18n.number(b.count as number)}</td>
                  <td>{formatMoney(i18n.locale, String(b.currency), Number(b.total))}</td>
                  <td>{b.timeUpdated ? i18n.dateTime(String(b.timeUpdated)) : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
