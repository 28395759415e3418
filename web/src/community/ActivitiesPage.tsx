import { useState } from "react";
import { ActivityKindLabels, ActivityKinds, type ActivityInfo } from "@waypoint/schema";
import { useMe, useOffices } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { navigate } from "../nav.ts";
import { ActivityDetail } from "./ActivityDetail.tsx";
import { ActivityForm } from "./ActivityForm.tsx";
import { attendanceSummary, Go, placeOf, useAreas, useCT, useGet, useStaff } from "./parts.tsx";

/** Sessions and trainings: the list, one activity's page, and a staff member's training record. */
export function ActivitiesPage(props: { officeID: string | null; id?: string }) {
  return props.id ? <ActivityDetail activityID={props.id} /> : <Activities officeID={props.officeID} />;
}

function Activities(props: { officeID: string | null }) {
  const { c, label, language, dateTime, number } = useCT();
  const { may, me } = useMe();
  const offices = useOffices();
  const areas = useAreas();
  const [kind, setKind] = useState("");
  const [adding, setAdding] = useState(false);
  const qs = new URLSearchParams();
  if (props.officeID) qs.set("officeID", props.officeID);
  if (kind) qs.set("kind", kind);
  const list = useGet<{ items: ActivityInfo[] }>(`/api/activities?${qs.toString()}`);
  const officeID = props.officeID ?? (me?.officeIDs?.length === 1 ? me.officeIDs[0]! : null);
  return (
    <section className="page community" aria-labelledby="page-title">
      <h1 id="page-title">{c("act.title")}</h1>
      <p className="muted">{c("act.intro")}</p>
      <div className="filters">
        <label>
          {c("act.filterKind")}{" "}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{c("act.all")}</option>
            {ActivityKinds.map((k) => (
              <option key={k} value={k}>
                {label(ActivityKindLabels, k)}
              </option>
            ))}
          </select>
        </label>
        {may("activity.record") && (
          <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setAdding(true)}>
            {c("act.new")}
          </button>
        )}
      </div>
      {list.data && list.data.items.length === 0 && <p className="muted">{c("act.none")}</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="plain" aria-label={c("act.title")}>
          <thead>
            <tr>
              <th scope="col">{c("act.when")}</th>
              <th scope="col">{c("act.kind")}</th>
              <th scope="col">{c("act.topic")}</th>
              <th scope="col">{c("act.where")}</th>
              <th scope="col">{c("act.language")}</th>
              <th scope="col">{c("act.attendance")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((a) => (
              <tr key={a.activityID}>
                <td>{dateTime(a.start)}</td>
                <td>{label(ActivityKindLabels, a.kind)}</td>
                <td>
                  <Go to={`/activities/${a.activityID}`}>{a.topic}</Go>
                </td>
                <td>{placeOf(a, offices, areas)}</td>
                <td>{language(a.language)}</td>
                <td>{attendanceSummary(a, c, number)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {may("user.read") && <TrainingRecord />}
      {adding && (
        <Modal title={c("act.new")} onClose={() => setAdding(false)} wide>
          <ActivityForm officeID={officeID} onDone={(id) => navigate(`/activities/${id}`)} onCancel={() => setAdding(false)} />
        </Modal>
      )}
    </section>
  );
}

/** The trainings a staff member took part in (SOP trainings included): their training record. */
function TrainingRecord() {
  const { c, label, dateTime } = useCT();
  const staff = useStaff();
  const [who, setWho] = useState("");
  const list = useGet<{ items: ActivityInfo[] }>(who ? `/api/activities?staffID=${encodeURIComponent(who)}` : null);
  return (
    <section className="card" aria-labelledby="training-record">
      <h2 id="training-record">{c("act.record")}</h2>
      <label>
        {c("act.staffMember")}{" "}
        <select value={who} onChange={(e) => setWho(e.target.value)}>
          <option value="">…</option>
          {staff.map((s) => (
            <option key={s.userID} value={s.userID}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      {who && list.data && list.data.items.length === 0 && <p className="muted">{c("act.recordNone")}</p>}
      {who && list.data && list.data.items.length > 0 && (
        <ul>
          {list.data.items.map((a) => (
            <li key={a.activityID}>
              {dateTime(a.start)} · {label(ActivityKindLabels, a.kind)} ·{" "}
              <Go to={`/activities/${a.activityID}`}>{a.topic}</Go>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
