import { useEffect, useState } from "react";
import type { ExecutionInfo, RelocationInfo, RelocationTripInfo } from "@waypoint/schema";
import { api } from "../api/client.ts";
import { useAsk } from "../components/Ask.tsx";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";
import type { RelocKey } from "./relocText.ts";
import { FollowUpList } from "./FollowUps.tsx";
import { errorText, may, reasonOf, statusLabel, useWords } from "./shared.ts";
import "./relocation.css";

const ITEMS = ["documents", "briefingAttended", "medical", "consent"] as const;
const CLOSED = ["cancelled", "departed", "arrived", "completed", "no_show"];

/**
 * A household's relocation as the team follows it: the readiness checklist (ticked here, read by the workflow
 * and enforced at check-in and departure), what has happened in plain words with what comes next, the follow-ups
 * after arrival, and the confirmations and cancellation the role may record.
 */
export function RelocationPanel({ id, record, reload }: PanelProps) {
  const rel = record as unknown as RelocationInfo;
  const { i18n, w } = useWords();
  const { t } = i18n;
  const [trip, setTrip] = useState<RelocationTripInfo | null>(null);
  const [stopped, setStopped] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { dialog, ask } = useAsk();
  const canEdit = may("relocation.update");

  useEffect(() => {
    let live = true;
    if (rel.tripID)
      api<RelocationTripInfo>("GET", `/api/relocation-trips/${rel.tripID}`)
        .then((tr) => live && setTrip(tr))
        .catch(() => live && setTrip(null));
    else setTrip(null);
    api<ExecutionInfo>("GET", `/api/relocations/${id}/execution`)
      .then((e) => live && setStopped(e.status === "FAILED" || e.status === "ABORTED"))
      .catch(() => live && setStopped(false));
    return () => {
      live = false;
    };
  }, [id, rel.tripID, rel.version]);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      setError(null);
      reload();
    } catch (e) {
      setError((e as { row?: unknown }).row ? (e as Error).message : errorText(e, i18n.lang));
    } finally {
      setBusy(false);
    }
  };

  const tick = (item: (typeof ITEMS)[number], value: boolean) =>
    run(async () => {
      const res = await api<{ results: { status: string }[] }>("PATCH", "/api/relocations", {
        rows: [{ id, version: rel.version, changes: { readiness: { [item]: value } } }],
      });
      const r = res.results[0];
      if (r && r.status !== "saved") throw Object.assign(new Error(reasonOf(r, i18n.lang)), { row: r });
    });

  const act = (path: string, body: Record<string, unknown> = {}) =>
    run(() => api("POST", `/api/relocations/${id}/${path}`, { ...body, version: rel.version }));

  const city = rel.destination?.name ?? "";
  const when = trip ? i18n.dateTime(trip.departureAt) : "";
  const events: { at?: string; text: string }[] = [{ at: rel.timeCreated, text: w("panel.opened") }];
  if (rel.readySince) events.push({ at: rel.readySince, text: w("panel.readySince") });
  if (rel.tripID && trip)
    events.push({ text: w(rel.confirmed ? "panel.seatConfirmed" : "panel.seat", { city, time: when }) });
  if (rel.briefing) events.push({ at: rel.briefing.reminderAt, text: w("panel.briefing") });
  if (rel.ticket)
    events.push({ at: rel.ticket.issuedAt, text: w("panel.ticketIssued", { numbers: rel.ticket.numbers.join(", ") }) });
  if (rel.ticket?.deliveredAt) events.push({ at: rel.ticket.deliveredAt, text: w("panel.ticketDelivered") });
  if (rel.checkIn) events.push({ at: rel.checkIn.at, text: w("panel.checkIn") });
  if (rel.noShow) events.push({ at: rel.noShow.at, text: w("panel.noShow") });
  if (rel.departure) events.push({ at: rel.departure.at, text: w("panel.departure") });
  if (rel.arrival) events.push({ at: rel.arrival.at, text: w("panel.arrival") });
  for (const f of rel.followUps ?? [])
    if (f.outcome)
      events.push({
        at: f.recordedAt,
        text: w("panel.followUp", {
          when: w(f.month === 1 ? "follow.month1" : "follow.month3"),
          outcome:
            w(f.outcome.reached ? "panel.reached" : "panel.notReached") +
            (f.outcome.referred ? w("follow.referredShort") : ""),
        }),
      });
  if (rel.status === "cancelled") events.push({ text: w("panel.cancelled", { reason: rel.cancelReason ?? "" }) });

  const missing = ITEMS.filter((k) => !rel.readiness?.[k]);
  const next: RelocKey | null = CLOSED.includes(rel.status)
    ? rel.status === "departed"
      ? "panel.next.arrival"
      : rel.status === "arrived"
        ? "panel.next.followUp"
        : null
    : missing.length > 0
      ? "panel.next.checklist"
      : !rel.tripID
        ? "panel.next.seat"
        : !rel.confirmed
          ? "panel.next.confirm"
          : !rel.ticket
            ? "panel.next.ticket"
            : "panel.next.terminal";

  return (
    <section className="card reloc-panel" aria-labelledby="reloc-checklist">
      {dialog}
      <h2 id="reloc-checklist">{w("panel.checklist")}</h2>
      <p className="muted">{w("panel.checklistHelp")}</p>
      <ul className="reloc-checklist">
        {ITEMS.map((k) => (
          <li key={k}>
            <label>
              <input
                type="checkbox"
                checked={Boolean(rel.readiness?.[k])}
                disabled={!canEdit || busy || CLOSED.includes(rel.status)}
                onChange={(e) => void tick(k, e.target.checked)}
              />{" "}
              {w(`panel.${k}` as RelocKey)}
            </label>
          </li>
        ))}
      </ul>
      <h2>{w("panel.timeline")}</h2>
      <p>
        <strong>{statusLabel(rel.status, i18n.lang)}</strong>
        {next ? ` · ${w("panel.next", { step: w(next) })}` : ""}
      </p>
      <ol className="timeline">
        {events.map((e, i) => (
          <li key={i}>
            {e.at ? <span className="muted">{i18n.dateTime(e.at)} · </span> : null}
            {e.text}
          </li>
        ))}
      </ol>
      {stopped && (
        <p className="notice error">
          {w("panel.workflowStopped")}{" "}
          {canEdit && (
            <button disabled={busy} onClick={() => void run(() => api("POST", `/api/relocations/${id}/workflow`))}>
              {w("panel.restart")}
            </button>
          )}
        </p>
      )}
      {rel.departure && <FollowUpList rel={rel} tripDepartureAt={trip?.departureAt} reload={reload} />}
      {canEdit && (
        <div className="actions">
          {rel.status === "departed" && (
            <button disabled={busy} onClick={() => void act("confirm-arrival")}>
              {t("reloc.confirmArrival")}
            </button>
          )}
          {!CLOSED.includes(rel.status) && (
            <button
              disabled={busy}
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
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
