import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { useMe } from "../components/lookups.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { financeText } from "./financeText.ts";
import { formatMoney } from "./money.ts";

type Row = Record<string, unknown>;

/**
 * Whether this submitted batch waits for `userID`: never one they created or submitted, changed a payee in, or
 * already approved (core refuses those approvals; the queue does not offer them).
 */
export function waitsFor(b: Row, userID: string): boolean {
  if (b.status !== "submitted") return false;
  if (b.createdBy === userID || b.submittedBy === userID) return false;
  if (((b.accountChangedBy as string[] | undefined) ?? []).includes(userID)) return false;
  return !((b.approvals as { userID: string }[] | undefined) ?? []).some((a) => a.userID === userID);
}

/** A batch's number, opening its page in the app. */
export function BatchLink({ batch }: { batch: Row }) {
  const href = `/payment-batches/${String(batch.batchID)}`;
  return (
    <a
      href={href}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {String(batch.batchNumber)}
    </a>
  );
}

/**
 * The approver's queue, at the top of the payment batches page where approvers land: the submitted batches
 * waiting for them, oldest submission first.
 */
export function BatchQueue() {
  const i18n = useI18n();
  const { lang, field } = i18n;
  const { me, may } = useMe();
  const [items, setItems] = useState<Row[] | null>(null);
  const userID = me?.userID ?? "";
  const approver = may("batch.approve");
  useEffect(() => {
    if (!approver) return;
    const all: Row[] = [];
    const load = async () => {
      let cursor: string | null = null;
      do {
        const q = new URLSearchParams({ status: "submitted", limit: "1000" });
        if (cursor) q.set("cursor", cursor);
        const page: { items: Row[]; nextCursor: string | null } = await api(
          "GET",
          `/api/payment-batches?${q}`,
        );
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      setItems(
        all
          .filter((b) => waitsFor(b, userID))
          .sort((a, b) => String(a.timeSubmitted ?? "").localeCompare(String(b.timeSubmitted ?? ""))),
      );
    };
    load().catch(() => setItems([]));
  }, [approver, userID]);
  if (!approver) return null;
  return (
    <section className="card" aria-labelledby="batch-queue" data-testid="batch-queue">
      <h2 id="batch-queue">{financeText(lang, "batch.queue")}</h2>
      {items && items.length === 0 && <p className="muted">{financeText(lang, "batch.queueEmpty")}</p>}
      {items && items.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{field("batchNumber")}</th>
              <th scope="col">{field("name")}</th>
              <th scope="col">{field("count")}</th>
              <th scope="col">{field("total")}</th>
              <th scope="col">{field("timeSubmitted")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => {
              return (
                <tr key={String(b.batchID)}>
                  <td>
                    <BatchLink batch={b} />
                  </td>
                  <td>{String(b.name ?? "")}</td>
                  <td>{i18n.number(b.count as number)}</td>
                  <td>{formatMoney(i18n.locale, String(b.currency), Number(b.total))}</td>
                  <td>{b.timeSubmitted ? i18n.dateTime(String(b.timeSubmitted)) : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
