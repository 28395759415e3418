import { useState } from "react";
import {
  HostComplianceLabels,
  PlacementEndReasonLabels,
  PlacementReasonLabels,
  VisitKindLabels,
  VisitSchedule,
  VisitStatusLabels,
} from "@waypoint/schema";
import { isoToParts } from "../components/DateInput.tsx";
import { useMe } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { useRelated } from "../components/RelatedSection.tsx";
import type { PanelProps } from "../programmes/ProgrammePanels.tsx";
import {
  EndDialog,
  FilesSection,
  PlaceDialog,
  VisitDialog,
  failedItems,
  today,
  useHT,
  usePeople,
  type Row,
} from "./parts.tsx";

/**
 * A host's page: the people placed there (by name, why, from when; placing and ending), its visits with their
 * code-of-conduct findings (overdue ones marked; recorded and scheduled here), and its contracts and documents.
 */
export function HostPanel({ id, record, reload }: PanelProps) {
  const { ht, label, date } = useHT();
  const { mayOn } = useMe();
  const canEdit = mayOn("programme.update", record);
  const placements = useRelated(`/api/hosts/${id}/placements`, (a, b) =>
    String(b.start).localeCompare(String(a.start)),
  );
  const visits = useRelated(`/api/hosts/${id}/visits`, (a, b) =>
    String(a.scheduledFor).localeCompare(String(b.scheduledFor)),
  );
  const name = usePeople((placements.items ?? []).map((p) => String(p.individualID)));
  const [placing, setPlacing] = useState(false);
  const [ending, setEnding] = useState<Row | null>(null);
  const [recording, setRecording] = useState<Row | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const changed = () => {
    placements.reload();
    visits.reload();
    reload();
  };
  const free = Number(record.capacity) - Number(record.occupied);
  return (
    <>
      <section className="card hosting" aria-labelledby="host-placements">
        <h2 id="host-placements">{ht("h.placements")}</h2>
        <p>
          {ht("h.free")}: {ht("h.freeOf", { free, capacity: Number(record.capacity) })}
        </p>
        {placements.items && placements.items.length === 0 && <p className="muted">{ht("h.noPlacements")}</p>}
        {placements.items && placements.items.length > 0 && (
          <table className="history">
            <thead>
              <tr>
                <th>{ht("h.person")}</th>
                <th>{ht("h.reason")}</th>
                <th>{ht("h.start")}</th>
                <th>{ht("h.plannedEnd")}</th>
                <th>{ht("h.status")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {placements.items.map((p) => (
                <tr key={String(p.placementID)}>
                  <td>
                    {name(p.individualID)} {p.restricted ? <span className="tag">{ht("h.restricted")}</span> : null}
                  </td>
                  <td>{label(PlacementReasonLabels, p.reason)}</td>
                  <td>{date(String(p.start))}</td>
                  <td>{p.plannedEnd ? date(String(p.plannedEnd)) : "—"}</td>
                  <td>
                    {p.status === "ended"
                      ? `${ht("h.ended")} · ${date(String(p.end))} · ${label(PlacementEndReasonLabels, p.endReason)}`
                      : ht("h.open")}
                  </td>
                  <td>
                    {canEdit && p.status === "active" && (
                      <button aria-haspopup="dialog" type="button" onClick={() => setEnding(p)}>
                        {ht("h.end")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canEdit && record.status === "active" && free > 0 && (
          <button aria-haspopup="dialog" type="button" onClick={() => setPlacing(true)}>
            {ht("h.place")}
          </button>
        )}
      </section>
      <section className="card hosting" aria-labelledby="host-visits">
        <h2 id="host-visits">{ht("h.visits")}</h2>
        {visits.items && visits.items.length === 0 && <p className="muted">{ht("h.noVisits")}</p>}
        {visits.items && visits.items.length > 0 && (
          <table className="history">
            <thead>
              <tr>
                <th>{ht("h.when")}</th>
                <th>{ht("h.kind")}</th>
                <th>{ht("h.status")}</th>
                <th>{ht("h.result")}</th>
                <th>{ht("h.findings")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {visits.items.map((v) => {
                const overdue = v.status === "scheduled" && String(v.scheduledFor) < today();
                const failed = failedItems(v, label);
                return (
                  <tr key={String(v.visitID)} className={overdue ? "overdue" : undefined}>
                    <td>
                      {date(String(v.scheduledFor))} {overdue ? <span className="tag bad">{ht("h.overdue")}</span> : null}
                    </td>
                    <td>{label(VisitKindLabels, v.kind)}</td>
                    <td>
                      {label(VisitStatusLabels, v.status)}
                      {v.date ? ` · ${date(String(v.date))}` : ""}
                    </td>
                    <td>
                      {v.result ? label(HostComplianceLabels, v.result) : ""}
                      {failed.length > 0 && <div className="small">{ht("h.failed", { items: failed.join(", ") })}</div>}
                      {v.review === "pending" && <span className="tag warn">{ht("h.reviewPending")}</span>}
                      {v.review === "reviewed" && <span className="tag">{ht("h.reviewed")}</span>}
                    </td>
                    <td>{String(v.findings ?? "")}</td>
                    <td>
                      {canEdit && v.status === "scheduled" && (
                        <button aria-haspopup="dialog" type="button" onClick={() => setRecording(v)}>
                          {ht("h.record")}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {canEdit && (
          <button aria-haspopup="dialog" type="button" onClick={() => setScheduling(true)}>
            {ht("h.schedule")}
          </button>
        )}
      </section>
      <FilesSection base={`/api/hosts/${id}`} canAdd={canEdit} defaultKind="contract" id="host-files" />
      {placing && (
        <PlaceDialog
          host={record}
          onClose={() => setPlacing(false)}
          onDone={() => {
            setPlacing(false);
            changed();
          }}
        />
      )}
      {ending && (
        <EndDialog
          placement={ending}
          name={name(ending.individualID)}
          onClose={() => setEnding(null)}
          onDone={() => {
            setEnding(null);
            changed();
          }}
        />
      )}
      {recording && (
        <VisitDialog
          visit={recording}
          hostName={String(record.name)}
          onClose={() => setRecording(null)}
          onDone={() => {
            setRecording(null);
            changed();
          }}
        />
      )}
      {scheduling && (
        <Modal title={ht("h.schedule")} onClose={() => setScheduling(false)}>
          <RecordForm
            schema={VisitSchedule}
            path={`/api/hosts/${id}/visits`}
            initial={{ from: isoToParts(today()), count: "3", kind: "monitoring" }}
            fields={[
              { field: "from", kind: "date", label: ht("h.scheduleFrom") },
              { field: "count", kind: "number", label: ht("h.scheduleCount") },
              { field: "kind", kind: "enum", table: VisitKindLabels, label: ht("h.kind") },
            ]}
            submitLabel={ht("h.schedule")}
            onDone={() => {
              setScheduling(false);
              changed();
            }}
            onCancel={() => setScheduling(false)}
          />
        </Modal>
      )}
    </>
  );
}
