import { useEffect, useMemo, useState } from "react";
import {
  HostComplianceLabels,
  HostKindLabels,
  PlacementReasonLabels,
  VisitKindLabels,
  VisitStatusLabels,
} from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { useMe } from "../components/lookups.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useRelated } from "../components/RelatedSection.tsx";
import {
  EndDialog,
  Go,
  PlaceDialog,
  VisitDialog,
  failedItems,
  today,
  useHT,
  usePeople,
  type Row,
} from "./parts.tsx";
import { moneyDigits } from "../payments/money.ts";

const addDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * 864e5).toISOString().slice(0, 10);
const monthStart = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
};

/**
 * The community hosting assistant's desk: find a host with free places near a place and place a person there;
 * the people placed now, those ending first; the month's monitoring visits with the overdue ones marked, each
 * recorded with its code-of-conduct checklist; and the monthly allowance run for those who make payments.
 */
export function HostingDesk(props: { officeID: string | null }) {
  const { may } = useMe();
  const { ht } = useHT();
  const office = props.officeID ?? undefined;
  return (
    <section className="page hosting" aria-labelledby="page-title">
      <h1 id="page-title">{ht("h.title")}</h1>
      {may("programme.read") && (
        <>
          <FindPlace officeID={office} canPlace={may("programme.update")} />
          <Placements officeID={office} canEnd={may("programme.update")} />
          <Visits officeID={office} canRecord={may("programme.update")} />
        </>
      )}
      {may("payment.create") && <AllowanceRun officeID={office} />}
    </section>
  );
}

function FindPlace(props: { officeID?: string; canPlace: boolean }) {
  const { ht, label, date, number } = useHT();
  const q = props.officeID ? `&officeID=${encodeURIComponent(props.officeID)}` : "";
  // the areas to choose from: where the office's hosts are
  const hosts = useRelated(`/api/hosts?limit=1000${q}`);
  const areas = useMemo(() => {
    const m = new Map<string, string>();
    for (const h of hosts.items ?? []) {
      if (h.adm1) m.set(`adm1=${String(h.adm1)}`, String(h.adm1));
      if (h.adm2)
        m.set(`adm1=${String(h.adm1)}&adm2=${String(h.adm2)}`, `${String(h.adm1)} › ${String(h.adm2)}`);
    }
    return [...m.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [hosts.items]);
  const [area, setArea] = useState("");
  const [places, setPlaces] = useState("1");
  const [search, setSearch] = useState<string | null>(null);
  const found = useRelated(search);
  const [placing, setPlacing] = useState<Row | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = () =>
    setSearch(
      `/api/hosting/available?places=${encodeURIComponent(places || "1")}${area ? `&${area}` : ""}${q}&t=${Date.now()}`,
    );
  return (
    <section className="card" aria-labelledby="find-place">
      <h2 id="find-place">{ht("h.find")}</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label>
          {ht("h.area")}
          <select value={area} onChange={(e) => setArea(e.target.value)}>
            <option value="">{ht("h.anyArea")}</option>
            {areas.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          {ht("h.places")}
          <input
            inputMode="numeric"
            size={3}
            value={places}
            onChange={(e) => setPlaces(e.target.value.replace(/\D/g, ""))}
          />
        </label>
        <button type="submit">{ht("h.search")}</button>
      </form>
      {done && <p role="status">{done}</p>}
      {found.items && search && found.items.length === 0 && <p className="muted">{ht("h.noHosts")}</p>}
      {found.items && found.items.length > 0 && (
        <table className="history" aria-label={ht("h.find")}>
          <thead>
            <tr>
              <th>{ht("h.host")}</th>
              <th>{ht("h.kind")}</th>
              <th>{ht("h.area")}</th>
              <th>{ht("h.free")}</th>
              <th>{ht("h.result")}</th>
              <th>{ht("h.contractEnd")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {found.items.map((h) => (
              <tr key={String(h.hostID)}>
                <td>
                  <Go to={`/hosts/${String(h.hostID)}`}>{String(h.name)}</Go>
                </td>
                <td>{label(HostKindLabels, h.kind)}</td>
                <td>{[h.adm1, h.adm2].filter(Boolean).join(" › ")}</td>
                <td>
                  {ht("h.freeOf", { free: number(Number(h.free)), capacity: number(Number(h.capacity)) })}
                </td>
                <td>{label(HostComplianceLabels, h.complianceStatus)}</td>
                <td>{date(String(h.contractEnd))}</td>
                <td>
                  {props.canPlace && (
                    <button aria-haspopup="dialog" type="button" onClick={() => setPlacing(h)}>
                      {ht("h.place")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {placing && (
        <PlaceDialog
          host={placing}
          officeID={props.officeID}
          onClose={() => setPlacing(null)}
          onDone={() => {
            setDone(ht("h.placed", { host: String(placing.name) }));
            setPlacing(null);
            run();
            window.dispatchEvent(new Event("waypoint:placements"));
          }}
        />
      )}
    </section>
  );
}

function Placements(props: { officeID?: string; canEnd: boolean }) {
  const { ht, label, date } = useHT();
  const list = useRelated(
    `/api/hosting/placements${props.officeID ? `?officeID=${encodeURIComponent(props.officeID)}` : ""}`,
  );
  useEffect(() => {
    const l = () => list.reload();
    window.addEventListener("waypoint:placements", l);
    return () => window.removeEventListener("waypoint:placements", l);
  }, [list]);
  const name = usePeople((list.items ?? []).map((p) => String(p.individualID)));
  const [ending, setEnding] = useState<Row | null>(null);
  const soon = addDays(today(), 14);
  return (
    <section className="card" aria-labelledby="placements">
      <h2 id="placements">{ht("h.placements")}</h2>
      {list.items && list.items.length === 0 && <p className="muted">{ht("h.noPlacements")}</p>}
      {list.items && list.items.length > 0 && (
        <table className="history">
          <thead>
            <tr>
              <th>{ht("h.person")}</th>
              <th>{ht("h.host")}</th>
              <th>{ht("h.reason")}</th>
              <th>{ht("h.start")}</th>
              <th>{ht("h.plannedEnd")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.items.map((p) => {
              const end = p.plannedEnd ? String(p.plannedEnd) : undefined;
              const passed = end !== undefined && end < today();
              return (
                <tr key={String(p.placementID)} className={passed ? "overdue" : undefined}>
                  <td>{name(p.individualID)}</td>
                  <td>
                    <Go to={`/hosts/${String(p.hostID)}`}>{String(p.hostName)}</Go>
                  </td>
                  <td>{label(PlacementReasonLabels, p.reason)}</td>
                  <td>{date(String(p.start))}</td>
                  <td>
                    {end ? date(end) : "—"}{" "}
                    {passed ? (
                      <span className="tag bad">{ht("h.endPassed")}</span>
                    ) : end && end <= soon ? (
                      <span className="tag warn">{ht("h.endsSoon")}</span>
                    ) : null}
                  </td>
                  <td>
                    {props.canEnd && (
                      <button aria-haspopup="dialog" type="button" onClick={() => setEnding(p)}>
                        {ht("h.end")}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {ending && (
        <EndDialog
          placement={ending}
          name={name(ending.individualID)}
          onClose={() => setEnding(null)}
          onDone={() => {
            setEnding(null);
            list.reload();
          }}
        />
      )}
    </section>
  );
}

/** The month's visits as a list by day (a calendar that reads on a phone), overdue ones marked. */
export function Visits(props: { officeID?: string; canRecord: boolean }) {
  const { ht, label, date, locale } = useHT();
  const [offset, setOffset] = useState(0);
  const from = monthStart(offset);
  const to = addDays(monthStart(offset + 1), -1);
  // the overdue visits of earlier months stay on the current month's list
  const shownFrom = offset === 0 ? addDays(from, -180) : from;
  const q = `from=${shownFrom}&to=${to}${props.officeID ? `&officeID=${encodeURIComponent(props.officeID)}` : ""}`;
  const list = useRelated(`/api/host-visits?${q}`);
  // the month's visits, the overdue ones of earlier months, and those of earlier months done this month
  const items = (list.items ?? []).filter(
    (v) => String(v.scheduledFor) >= from || v.overdue || (v.date !== undefined && String(v.date) >= from),
  );
  const overdue = items.filter((v) => v.overdue).length;
  const [recording, setRecording] = useState<Row | null>(null);
  const title = new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${from}T00:00:00Z`),
  );
  return (
    <section className="card" aria-labelledby="visits">
      <h2 id="visits">
        {ht("h.visits")} · {title}{" "}
        {overdue > 0 && <span className="tag bad">{ht("h.overdueCount", { n: overdue })}</span>}
      </h2>
      <p>
        <button type="button" onClick={() => setOffset((n) => n - 1)}>
          {ht("h.prev")}
        </button>{" "}
        <button type="button" onClick={() => setOffset((n) => n + 1)}>
          {ht("h.next")}
        </button>
      </p>
      {list.items && items.length === 0 && <p className="muted">{ht("h.noVisits")}</p>}
      {items.length > 0 && (
        <table className="history" aria-label={ht("h.visits")}>
          <thead>
            <tr>
              <th>{ht("h.when")}</th>
              <th>{ht("h.host")}</th>
              <th>{ht("h.kind")}</th>
              <th>{ht("h.status")}</th>
              <th>{ht("h.result")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((v) => {
              const failed = failedItems(v, label);
              return (
                <tr key={String(v.visitID)} className={v.overdue ? "overdue" : undefined}>
                  <td>
                    {date(String(v.scheduledFor))}{" "}
                    {v.overdue ? <span className="tag bad">{ht("h.overdue")}</span> : null}
                  </td>
                  <td>
                    <Go to={`/hosts/${String(v.hostID)}`}>{String(v.hostName)}</Go>
                  </td>
                  <td>{label(VisitKindLabels, v.kind)}</td>
                  <td>
                    {label(VisitStatusLabels, v.status)}
                    {v.date ? ` · ${date(String(v.date))}` : ""}
                  </td>
                  <td>
                    {v.result ? label(HostComplianceLabels, v.result) : ""}
                    {failed.length > 0 && (
                      <div className="small">{ht("h.failed", { items: failed.join(", ") })}</div>
                    )}
                    {v.review === "pending" && <span className="tag warn">{ht("h.reviewPending")}</span>}
                    {v.review === "reviewed" && <span className="tag">{ht("h.reviewed")}</span>}
                  </td>
                  <td>
                    {props.canRecord && v.status === "scheduled" && (
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
      {recording && (
        <VisitDialog
          visit={recording}
          hostName={String(recording.hostName ?? "")}
          onClose={() => setRecording(null)}
          onDone={() => {
            setRecording(null);
            list.reload();
          }}
        />
      )}
    </section>
  );
}

/** The month's allowances as payments (one per host and month; a second run adds nothing twice). */
function AllowanceRun(props: { officeID?: string }) {
  const { ht, locale, number } = useHT();
  const i18n = useHT();
  const [period, setPeriod] = useState(monthStart(-1).slice(0, 7));
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("");
  const [per, setPer] = useState<"day" | "month">("day");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { may } = useMe();
  // host names for the refusals, for roles that read hosts (finance makes payments without reading hosts)
  const hosts = useRelated(
    may("programme.read")
      ? `/api/hosts?limit=1000${props.officeID ? `&officeID=${encodeURIComponent(props.officeID)}` : ""}`
      : null,
  );
  const hostName = (id: string) => String((hosts.items ?? []).find((h) => h.hostID === id)?.name ?? "—");
  const submit = async () => {
    setError(null);
    setResult(null);
    const cur = currency.trim().toUpperCase();
    // the currency's ISO digits, as the server stores amounts (the API says what is wrong with an unknown one)
    const digits = moneyDigits(cur);
    const minor = Math.round(Number(amount.replace(",", ".")) * 10 ** digits);
    setBusy(true);
    try {
      const res = await api<{
        results: { ref?: string; id?: string; status: string }[];
        summary: Record<string, number>;
      }>("POST", "/api/hosting/allowances", {
        period,
        currency: cur,
        amount: minor,
        per,
        ...(props.officeID ? { officeID: props.officeID } : {}),
      });
      const s = res.summary;
      setResult(
        ht("h.runDone", {
          created: number(s.created ?? 0),
          duplicate: number(s.duplicate ?? 0),
          invalid: number((s.invalid ?? 0) + (s.forbidden ?? 0)),
        }),
      );
      setProblems(
        res.results
          .filter((r) => r.status === "invalid")
          .map((r) => ht("h.noPayee", { host: hostName(String(r.ref ?? r.id)) })),
      );
    } catch (e) {
      setError(e instanceof ApiError ? problemSentence(i18n, e) : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="allowance">
      <h2 id="allowance">{ht("h.allowance")}</h2>
      <p className="muted">{ht("h.allowanceIntro")}</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <label>
          {ht("h.period")}
          <input type="month" value={period} onChange={(e) => setPeriod(e.target.value)} />
        </label>
        <label>
          {ht("h.amount")}
          <input inputMode="decimal" size={8} value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label>
          {ht("h.currency")}
          <input size={4} maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />
        </label>
        <label>
          {ht("h.per")}
          <select value={per} onChange={(e) => setPer(e.target.value as "day" | "month")}>
            <option value="day">{ht("h.perDay")}</option>
            <option value="month">{ht("h.perMonth")}</option>
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {ht("h.run")}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && <p role="status">{result}</p>}
      {problems.length > 0 && (
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
