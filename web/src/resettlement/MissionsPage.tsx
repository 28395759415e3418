import { useState } from "react";
import {
  MissionCreate,
  MissionInterviewInput,
  MissionChanges,
  SubmissionStatusLabels,
  codeLabel,
  type MissionInfo,
  type MissionInterview,
  type SubmissionStatus,
} from "@waypoint/schema";
import { z } from "zod";
import { api } from "../api/client.ts";
import { recordName, useMe, useRecords } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { navigate } from "../nav.ts";
import { RESETTLEMENT_COUNTRIES, countryName } from "./rstText.ts";
import { Go, useResource, useRst } from "./shared.tsx";
import "./resettlement.css";

type Row = Record<string, unknown>;

/** "Name, role" per line → the delegation list. */
const delegationFrom = (text: unknown) =>
  String(text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, ...role] = l.split(",");
      return { name: name!.trim(), ...(role.join(",").trim() ? { role: role.join(",").trim() } : {}) };
    });

/** Selection missions of resettlement countries: the list, and one mission with its cases and interview schedule. */
export function MissionsPage(props: { officeID: string | null; id?: string }) {
  return props.id ? <Mission missionID={props.id} /> : <Missions officeID={props.officeID} />;
}

function Missions(props: { officeID: string | null }) {
  const i18n = useRst();
  const { r, lang, t } = i18n;
  const { mayOn, me } = useMe();
  const [planning, setPlanning] = useState(false);
  const list = useResource<{ items: MissionInfo[] }>(
    `/api/selection-missions${props.officeID ? `?officeID=${encodeURIComponent(props.officeID)}` : ""}`,
  );
  const mayPlan = mayOn("programme.update", { officeID: props.officeID ?? me?.officeIDs?.[0] });
  return (
    <section className="page rst-missions" aria-labelledby="page-title">
      <h1 id="page-title">{r("missions.title")}</h1>
      <div className="filters">
        {mayPlan && (
          <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setPlanning(true)}>
            {r("missions.plan")}
          </button>
        )}
      </div>
      {list.error && (
        <p role="alert" className="error">
          {list.error}
        </p>
      )}
      {list.data && list.data.items.length === 0 && <p className="muted">{r("missions.none")}</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{r("missions.location")}</th>
              <th scope="col">{r("missions.country")}</th>
              <th scope="col">{r("missions.start")}</th>
              <th scope="col">{r("missions.delegation")}</th>
              <th scope="col">{r("missions.cases")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((m) => (
              <tr key={m.missionID}>
                <td>
                  <Go to={`/missions/${m.missionID}`}>{m.location}</Go>
                </td>
                <td>{countryName(lang, m.country)}</td>
                <td>{r("missions.dates", { from: i18n.date(m.startDate), to: i18n.date(m.endDate) })}</td>
                <td>{m.delegation.map((d) => d.name).join(", ") || "—"}</td>
                <td>{i18n.number(m.submissionIDs.length)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {planning && (
        <Modal title={r("missions.plan")} onClose={() => setPlanning(false)} wide>
          <RecordForm
            schema={MissionCreate}
            fields={[
              {
                field: "country",
                kind: "select",
                label: r("missions.country"),
                options: RESETTLEMENT_COUNTRIES.map((c) => ({ value: c, label: countryName(lang, c) })),
              },
              { field: "location", kind: "text", label: r("missions.location") },
              // an operation-wide role chooses the office hosting the mission
              ...(props.officeID || (me?.officeIDs?.length ?? 0) === 1
                ? []
                : [{ field: "officeID", kind: "office" as const }]),
              { field: "startDate", kind: "date", label: r("missions.start") },
              { field: "endDate", kind: "date", label: r("missions.end") },
              {
                field: "delegationText",
                kind: "textarea",
                label: r("missions.delegation"),
                hint: r("missions.delegationHint"),
              },
            ]}
            fixed={props.officeID ? { officeID: props.officeID } : undefined}
            transform={({ delegationText, ...rest }) => ({
              ...rest,
              delegation: delegationFrom(delegationText),
            })}
            fieldOfPath={(p) => (p.startsWith("delegation") ? "delegationText" : undefined)}
            path="/api/selection-missions"
            submitLabel={r("missions.plan")}
            onCancel={() => setPlanning(false)}
            onDone={(m) => {
              setPlanning(false);
              list.reload();
              const id = (m as { missionID?: string }).missionID;
              if (id) navigate(`/missions/${id}`);
            }}
          />
        </Modal>
      )}
    </section>
  );
}

function Mission({ missionID }: { missionID: string }) {
  const i18n = useRst();
  const { r, lang, t } = i18n;
  const { mayOn } = useMe();
  const mission = useResource<MissionInfo>(`/api/selection-missions/${missionID}`);
  const schedule = useResource<{ items: MissionInterview[] }>(
    mission.data ? `/api/selection-missions/${missionID}/schedule?v=${mission.data.version}` : null,
  );
  const m = mission.data;
  const candidates = useResource<{ items: Row[] }>(
    m ? `/api/resettlement?country=${m.country}&limit=500` : null,
  );
  const subs = (candidates.data?.items ?? []) as Row[];
  const cases = useRecords(
    "cases",
    subs.map((s) => String(s.caseID)),
  );
  const caseName = (s: Row) => recordName("cases", cases.get(String(s.caseID))) ?? "…";
  const [editing, setEditing] = useState(false);
  const [booking, setBooking] = useState(false);
  const canChange = m ? mayOn("programme.update", m as unknown as Row) : false;
  const onMission = subs.filter((s) => m?.submissionIDs.includes(String(s.submissionID)));
  const time = (iso: string) =>
    new Intl.DateTimeFormat(i18n.locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  return (
    <section className="page rst-missions" aria-labelledby="page-title">
      <Go to="/missions">← {r("missions.back")}</Go>
      <h1 id="page-title">{m ? `${m.location} · ${countryName(lang, m.country)}` : r("missions.title")}</h1>
      {mission.error && (
        <p role="alert" className="error">
          {mission.error}
        </p>
      )}
      {m && (
        <div className="record-layout">
          <section className="card" aria-labelledby="msn-details">
            <h2 id="msn-details">{r("missions.title")}</h2>
            <dl className="fields">
              <div>
                <dt>{r("missions.country")}</dt>
                <dd>{countryName(lang, m.country)}</dd>
              </div>
              <div>
                <dt>{r("missions.location")}</dt>
                <dd>{m.location}</dd>
              </div>
              <div>
                <dt>{r("missions.start")}</dt>
                <dd>{r("missions.dates", { from: i18n.date(m.startDate), to: i18n.date(m.endDate) })}</dd>
              </div>
              <div>
                <dt>{r("missions.delegation")}</dt>
                <dd>
                  <ul>
                    {m.delegation.map((d, i) => (
                      <li key={i}>
                        {d.name}
                        {d.role ? ` · ${d.role}` : ""}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            </dl>
          </section>
          <section className="card" aria-labelledby="msn-cases">
            <div className="related-head">
              <h2 id="msn-cases">{r("missions.cases")}</h2>
              {canChange && (
                <button
                  aria-haspopup="dialog"
                  type="button"
                  className="primary"
                  onClick={() => setEditing(true)}
                >
                  {r("missions.editCases")}
                </button>
              )}
            </div>
            {m.submissionIDs.length === 0 ? (
              <p className="muted">{r("missions.noCases")}</p>
            ) : (
              <ul>
                {onMission.map((s) => (
                  <li key={String(s.submissionID)}>
                    <Go to={`/resettlement/${String(s.submissionID)}`}>{caseName(s)}</Go> ·{" "}
                    {r("missions.people", { n: Number(s.individualCount ?? 0) })} ·{" "}
                    {codeLabel(SubmissionStatusLabels, s.status as SubmissionStatus, lang)}
                    {Number(s.openFlags ?? 0) > 0 && (
                      <>
                        {" · "}
                        <strong className="error" data-testid="mission-case-flags">
                          {r("missions.openFlags", { n: i18n.number(Number(s.openFlags)) })}
                        </strong>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="msn-schedule">
            <div className="related-head">
              <h2 id="msn-schedule">{r("missions.schedule")}</h2>
              {canChange && m.submissionIDs.length > 0 && (
                <button
                  aria-haspopup="dialog"
                  type="button"
                  className="primary"
                  onClick={() => setBooking(true)}
                >
                  {r("missions.book")}
                </button>
              )}
            </div>
            {schedule.data && schedule.data.items.length === 0 && (
              <p className="muted">{r("missions.noSchedule")}</p>
            )}
            {schedule.data && schedule.data.items.length > 0 && (
              <table className="plain">
                <thead>
                  <tr>
                    <th scope="col">{r("missions.time")}</th>
                    <th scope="col">{r("missions.room")}</th>
                    <th scope="col">{r("missions.case")}</th>
                    <th scope="col">{t("case.people")}</th>
                  </tr>
                </thead>
                <tbody>
                  {schedule.data.items.map((x) => (
                    <tr key={x.appointmentID}>
                      <td>
                        {i18n.dateTime(x.start)} – {time(x.end)}
                      </td>
                      <td>{x.room}</td>
                      <td>
                        <Go to={`/resettlement/${x.submissionID}`}>{x.caseNumber ?? "—"}</Go>
                      </td>
                      <td>{x.people.map((p) => p.name).join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
      {editing && m && (
        <Modal title={r("missions.editCases")} onClose={() => setEditing(false)} wide>
          <RecordForm
            schema={z.object({ submissionIDs: MissionChanges.shape.submissionIDs })}
            initial={{ submissionIDs: m.submissionIDs }}
            fields={[
              {
                field: "submissionIDs",
                kind: "codes",
                label: r("missions.cases"),
                hint: r("missions.casesHint"),
                options: subs.map((s) => ({
                  value: String(s.submissionID),
                  label: `${caseName(s)} · ${codeLabel(SubmissionStatusLabels, s.status as SubmissionStatus, lang)}`,
                })),
              },
            ]}
            transform={(b) => ({ submissionIDs: b.submissionIDs ?? [] })}
            send={(changes) =>
              api("PATCH", `/api/selection-missions/${missionID}`, { version: m.version, changes })
            }
            submitLabel={r("qa.send")}
            onCancel={() => setEditing(false)}
            onDone={() => {
              setEditing(false);
              mission.reload();
            }}
          />
        </Modal>
      )}
      {booking && m && (
        <Modal title={r("missions.book")} onClose={() => setBooking(false)} wide>
          <RecordForm
            schema={MissionInterviewInput}
            fields={[
              {
                field: "submissionID",
                kind: "select",
                label: r("missions.case"),
                options: onMission.map((s) => ({ value: String(s.submissionID), label: caseName(s) })),
              },
              { field: "room", kind: "text", label: r("missions.room") },
              { field: "day", kind: "date", label: r("missions.day") },
              { field: "from", kind: "time", label: r("missions.from") },
              { field: "to", kind: "time", label: r("missions.to") },
            ]}
            transform={({ day, from, to, ...rest }) => {
              const at = (hhmm: unknown) =>
                day && hhmm ? new Date(`${String(day)}T${String(hhmm)}`).toISOString() : undefined;
              return { ...rest, start: at(from), end: at(to) };
            }}
            fieldOfPath={(p) => (p === "start" ? "from" : p === "end" ? "to" : undefined)}
            path={`/api/selection-missions/${missionID}/interviews`}
            submitLabel={r("missions.book")}
            onCancel={() => setBooking(false)}
            onDone={() => {
              setBooking(false);
              schedule.reload();
            }}
          />
        </Modal>
      )}
    </section>
  );
}
