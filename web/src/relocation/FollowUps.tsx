import { useEffect, useState } from "react";
import type { FollowUp, RelocationInfo } from "@waypoint/schema";
import { api } from "../api/client.ts";
import { navigate } from "../nav.ts";
import { errorText, may, useWords } from "./shared.ts";
import "./relocation.css";

type Due = FollowUp & { overdue?: boolean };

const addMonths = (iso: string, n: number) => {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString();
};

/** A relocated household's follow-ups (1 and 3 months after the bus left), as stored or as scheduled. */
export function followUpsOf(rel: RelocationInfo, tripDepartureAt?: string): Due[] {
  const from = rel.departure?.tripDepartureAt ?? tripDepartureAt ?? rel.departure?.at;
  if (!from) return [];
  const now = new Date().toISOString();
  return ([1, 3] as const).map((month) => {
    const f = rel.followUps?.find((x) => x.month === month) ?? { month, dueAt: addMonths(from, month) };
    return { ...f, overdue: !f.outcome && f.dueAt < now };
  });
}

/** One follow-up: when it is due (overdue highlighted), its outcome, or the form to record it. */
function FollowUpItem(props: { relocationID: string; version: number; f: Due; reload: () => void }) {
  const { i18n, w } = useWords();
  const { f } = props;
  const [open, setOpen] = useState(false);
  const [reached, setReached] = useState(true);
  const [referred, setReferred] = useState(false);
  const [needs, setNeeds] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const save = () =>
    api("POST", `/api/relocations/${props.relocationID}/follow-ups`, {
      version: props.version,
      month: f.month,
      reached,
      referred,
      needs,
      note,
    })
      .then(() => {
        setOpen(false);
        props.reload();
      })
      .catch((e) => setError(errorText(e, i18n.lang)));
  return (
    <li className={f.overdue ? "reloc-overdue" : undefined}>
      <strong>{w(f.month === 1 ? "follow.month1" : "follow.month3")}</strong> ·{" "}
      {f.overdue ? w("follow.overdue", { date: i18n.date(f.dueAt) }) : w("follow.due", { date: i18n.date(f.dueAt) })}
      {f.outcome && (
        <div>
          {w(f.outcome.reached ? "follow.reached" : "follow.notReached")}
          {f.outcome.referred ? w("follow.referredShort") : ""}
          {f.outcome.needs ? ` · ${f.outcome.needs}` : ""}
          {f.outcome.note ? ` · ${f.outcome.note}` : ""}
        </div>
      )}
      {!f.outcome && may("relocation.update") && !open && (
        <div>
          <button onClick={() => setOpen(true)}>{w("follow.record")}</button>
        </div>
      )}
      {open && (
        <form
          className="reloc-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            <input type="checkbox" checked={reached} onChange={(e) => setReached(e.target.checked)} />{" "}
            {w("follow.reached")}
          </label>
          <label>
            {w("follow.needs")}
            <textarea value={needs} onChange={(e) => setNeeds(e.target.value)} rows={2} />
          </label>
          <label>
            <input type="checkbox" checked={referred} onChange={(e) => setReferred(e.target.checked)} />{" "}
            {w("follow.referred")}
          </label>
          <label>
            {w("follow.note")}
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
          </label>
          <div className="actions">
            <button type="submit">{w("follow.save")}</button>
            <button type="button" onClick={() => setOpen(false)}>
              {w("day.cancel")}
            </button>
          </div>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </form>
      )}
    </li>
  );
}

/** The follow-ups of one relocation, on its page. */
export function FollowUpList(props: { rel: RelocationInfo; tripDepartureAt?: string; reload: () => void }) {
  const { w } = useWords();
  const list = followUpsOf(props.rel, props.tripDepartureAt);
  if (list.length === 0) return null;
  return (
    <>
      <h2>{w("follow.title")}</h2>
      <ul className="reloc-followups">
        {list.map((f) => (
          <FollowUpItem
            key={f.month}
            relocationID={props.rel.relocationID}
            version={props.rel.version}
            f={f}
            reload={props.reload}
          />
        ))}
      </ul>
    </>
  );
}

interface Row {
  relocationID: string;
  version: number;
  headName?: string;
  destination: { name: string };
  departedAt: string;
  followUps: Due[];
}

/** The receiving office's follow-up calls: every household that left, overdue calls first. */
export function FollowUpsPage(props: { officeID: string | null }) {
  const { i18n, w } = useWords();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    const q = props.officeID ? `?officeID=${encodeURIComponent(props.officeID)}` : "";
    api<{ items: Row[] }>("GET", `/api/relocation-desk/follow-ups${q}`)
      .then((r) => live && setRows(r.items))
      .catch((e) => live && setError(errorText(e, i18n.lang)));
    return () => {
      live = false;
    };
  }, [props.officeID, reloads, i18n.lang]);
  const overdue = (r: Row) => r.followUps.some((f) => f.overdue);
  const sorted = [...(rows ?? [])].sort((a, b) => Number(overdue(b)) - Number(overdue(a)));
  return (
    <section className="page reloc-page" aria-labelledby="page-title">
      <h1 id="page-title">{w("follow.title")}</h1>
      <p className="muted">{w("follow.intro")}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {rows && rows.length === 0 && <p className="muted">{w("follow.none")}</p>}
      <ul className="reloc-cards">
        {sorted.map((r) => (
          <li key={r.relocationID} className={`card ${overdue(r) ? "reloc-overdue" : ""}`}>
            <a
              href={`/relocations/${r.relocationID}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/relocations/${r.relocationID}`);
              }}
            >
              <strong>{r.headName ?? w("eligible.household")}</strong>
            </a>
            <div className="muted">
              {w("follow.left", { date: i18n.date(r.departedAt), city: r.destination.name })}
            </div>
            <ul className="reloc-followups">
              {r.followUps.map((f) => (
                <FollowUpItem
                  key={f.month}
                  relocationID={r.relocationID}
                  version={r.version}
                  f={f}
                  reload={() => setReloads((n) => n + 1)}
                />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
