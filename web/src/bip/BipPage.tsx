import {
  AssessmentKindLabels,
  ResettlementProgrammeLabels,
  SubmissionStatusLabels,
  codeLabel,
  type BipAssessment,
} from "@waypoint/schema";
import { useState } from "react";
import { api } from "../api/client.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { countryName, type RstKey } from "../resettlement/rstText.ts";
import { Go, useResource, useRst } from "../resettlement/shared.tsx";
import { ReviewForm } from "../work/Decisions.tsx";
import { useQueue, hasQueue } from "../work/useQueue.ts";
import { useMe } from "../components/lookups.ts";
import "../work/work.css";

const statusKey = (s: string) => `bip.status.${s}` as RstKey;
const voteKey = (d: string) => `bip.vote.${d}` as RstKey;

/** BIAs and BIDs per child (the office's, or one case's): child, kind, state, panel so far, case. */
export function BipPage(props: { officeID: string | null; id?: string }) {
  if (props.id) return <BipFile assessmentID={props.id} />;
  return <BipList officeID={props.officeID} />;
}

function BipList(props: { officeID: string | null }) {
  const i18n = useRst();
  const { r, lang } = i18n;
  const caseID = new URLSearchParams(location.search).get("caseID");
  const list = useResource<{ items: BipAssessment[] }>(
    caseID
      ? `/api/bip/assessments?caseID=${encodeURIComponent(caseID)}`
      : `/api/bip/assessments${props.officeID ? `?officeID=${encodeURIComponent(props.officeID)}` : ""}`,
  );
  // per child, newest first
  const byChild = new Map<string, BipAssessment[]>();
  for (const a of list.data?.items ?? []) {
    const k = a.individualID ?? a.assessmentID;
    byChild.set(k, [...(byChild.get(k) ?? []), a]);
  }
  return (
    <section className="page bip" aria-labelledby="page-title">
      <h1 id="page-title">{r("bip.title")}</h1>
      {list.error && (
        <p role="alert" className="error">
          {list.error}
        </p>
      )}
      {list.data && list.data.items.length === 0 && <p className="muted">{r("bip.none")}</p>}
      {byChild.size > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{r("bip.child")}</th>
              <th scope="col">{r("bip.kind")}</th>
              <th scope="col">{r("bip.status")}</th>
              <th scope="col">{r("bip.panel")}</th>
              <th scope="col">{r("bip.case")}</th>
              <th scope="col">{r("bip.author")}</th>
            </tr>
          </thead>
          <tbody>
            {[...byChild.values()].flatMap((items) =>
              items.map((a, i) => (
                <tr key={a.assessmentID}>
                  <td>{i === 0 ? (a.childName ?? "—") : ""}</td>
                  <td>
                    <Go to={`/bip/${a.assessmentID}`}>{codeLabel(AssessmentKindLabels, a.kind, lang)}</Go>
                  </td>
                  <td>{r(statusKey(a.status))}</td>
                  <td>{a.round > 0 ? r("bip.approvals", { n: a.approvals, needed: a.needed }) : "—"}</td>
                  <td>{a.caseNumber ? <Go to={`/cases/${a.caseID}`}>{a.caseNumber}</Go> : "—"}</td>
                  <td>{a.authorName ?? "—"}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One BIA or BID: the child, its case and submissions, every round with the panel by name, and the review form. */
function BipFile({ assessmentID }: { assessmentID: string }) {
  const i18n = useRst();
  const { r, lang } = i18n;
  const { may, mayOn } = useMe();
  const [failed, setFailed] = useState<string | null>(null);
  const file = useResource<BipAssessment>(`/api/bip/assessments/${assessmentID}`);
  const { queue, reload } = useQueue(hasQueue(may));
  const mine = (queue?.reviews ?? []).find((x) => x.assessmentID === assessmentID);
  const a = file.data;
  return (
    <section className="page bip" aria-labelledby="page-title">
      <Go to="/bip">← {r("bip.back")}</Go>
      <h1 id="page-title">
        {a ? `${codeLabel(AssessmentKindLabels, a.kind, lang)} · ${a.childName ?? "—"}` : r("bip.title")}
      </h1>
      {file.error && (
        <p role="alert" className="error">
          {file.error}
        </p>
      )}
      {a && (
        <div className="record-layout">
          <section className="card" aria-labelledby="bip-details">
            <h2 id="bip-details">{r("bip.status")}</h2>
            <dl className="fields">
              <div>
                <dt>{r("bip.status")}</dt>
                <dd className="bip-status">{r(statusKey(a.status))}</dd>
              </div>
              <div>
                <dt>{r("bip.panel")}</dt>
                <dd>{a.round > 0 ? r("bip.approvals", { n: a.approvals, needed: a.needed }) : "—"}</dd>
              </div>
              <div>
                <dt>{r("bip.case")}</dt>
                <dd>{a.caseNumber ? <Go to={`/cases/${a.caseID}`}>{a.caseNumber}</Go> : "—"}</dd>
              </div>
              <div>
                <dt>{r("bip.author")}</dt>
                <dd>{a.authorName ?? "—"}</dd>
              </div>
              {a.summary && (
                <div>
                  <dt>{r("bip.summary")}</dt>
                  <dd>{a.summary}</dd>
                </div>
              )}
            </dl>
          </section>
          {a.status === "draft" && mayOn("assessment.update", a as unknown as Record<string, unknown>) && (
            <section className="card decision" aria-labelledby="bip-submit">
              <h2 id="bip-submit">{r("bip.status.draft")}</h2>
              <button
                type="button"
                className="primary"
                onClick={() =>
                  void api("POST", `/api/assessments/${a.assessmentID}/submit`, { version: a.version })
                    .then(() => {
                      setFailed(null);
                      file.reload();
                      reload();
                    })
                    .catch((e) => setFailed(problemSentence(i18n, e)))
                }
              >
                {r("bip.submitToPanel")}
              </button>
              {failed && (
                <p role="alert" className="error">
                  {failed}
                </p>
              )}
            </section>
          )}
          {mine && (
            <section className="card decision" aria-labelledby="bip-decide">
              <h2 id="bip-decide">{r("bip.decide")}</h2>
              <ReviewForm
                item={mine}
                onDone={() => {
                  reload();
                  file.reload();
                }}
              />
            </section>
          )}
          <section className="card" aria-labelledby="bip-rounds">
            <h2 id="bip-rounds">{r("bip.panel")}</h2>
            {a.rounds.length === 0 && <p className="muted">{r("bip.noReviews")}</p>}
            {a.rounds.map((round) => (
              <div key={round.round} className="bip-round">
                <h3>{r("bip.round", { n: round.round })}</h3>
                <ul>
                  {round.reviews.map((v, i) => (
                    <li key={i}>
                      <strong>{v.reviewerName ?? "—"}</strong>: {r(voteKey(v.decision))} ·{" "}
                      {i18n.dateTime(v.time)}
                      {v.comment ? ` · ${v.comment}` : ""}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </section>
          <section className="card" aria-labelledby="bip-subs">
            <h2 id="bip-subs">{r("bip.submissions")}</h2>
            {a.submissions.length === 0 ? (
              <p className="muted">{r("bip.noSubmissions")}</p>
            ) : (
              <ul>
                {a.submissions.map((s) => (
                  <li key={s.submissionID}>
                    <Go to={`/resettlement/${s.submissionID}`}>
                      {codeLabel(ResettlementProgrammeLabels, s.programme, lang)} ·{" "}
                      {countryName(lang, s.country)}
                    </Go>{" "}
                    · {codeLabel(SubmissionStatusLabels, s.status, lang)}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
