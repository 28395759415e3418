import { useEffect, useMemo, useState } from "react";
import type { AreaInfo, BulkRowResult, Candidate, RelocationTripInfo } from "@waypoint/schema";
import { SpecificNeedsCodes } from "@waypoint/schema";
import { ApiError, api, loadSession } from "../api/client.ts";
import { NamePicker } from "../components/NamePicker.tsx";
import { errorText, may, needLabel, reasonOf, tripLabel, useWords } from "./shared.ts";
import "./relocation.css";

const CATEGORIES = Object.keys(SpecificNeedsCodes).filter((c) => !c.includes("-"));

/** The API's field errors of a refused request, by field (`destination.adm` → `destination`). */
function fieldErrors(e: unknown, lang: Parameters<typeof reasonOf>[1]): Record<string, string> {
  if (!(e instanceof ApiError) || e.status !== 422) return {};
  const issues = (e.problem as { errors?: { path?: string; code?: string }[] }).errors ?? [];
  const out: Record<string, string> = {};
  for (const i of issues) {
    const field = (i.path ?? "").split(".")[0]!;
    out[field] ??= reasonOf({ status: "invalid", issues: [i] }, lang);
  }
  return out;
}

/**
 * Identifying eligible households (DUTIES.md, Mexico 8): the registry's households without a relocation under
 * way, filtered on their interest in the programme, assessments and specific needs; a selection becomes
 * relocations to one destination (picked by name among the operation's areas), on a bus if one is picked (seats
 * permitting). A refused field says why under it; a household that could not be opened says why on its row.
 */
export function EligiblePage(props: { officeID: string | null }) {
  const { i18n, w } = useWords();
  const [interested, setInterested] = useState("");
  const [assessed, setAssessed] = useState("");
  const [need, setNeed] = useState("");
  const [rows, setRows] = useState<Candidate[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [trips, setTrips] = useState<RelocationTripInfo[]>([]);
  const [destination, setDestination] = useState("");
  const [tripID, setTripID] = useState("");
  const [earliest, setEarliest] = useState(new Date().toISOString().slice(0, 10));
  const [message, setMessage] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [rowErrors, setRowErrors] = useState<Map<string, string>>(new Map());
  const [areas, setAreas] = useState<AreaInfo[]>([]);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let live = true;
    const q = new URLSearchParams();
    if (props.officeID) q.set("officeID", props.officeID);
    if (interested) q.set("interested", interested);
    if (assessed) q.set("assessed", assessed);
    if (need) q.set("need", need);
    api<{ items: Candidate[] }>("GET", `/api/relocation-desk/candidates?${q}`)
      .then((r) => live && setRows(r.items))
      .catch((e) => live && setMessage(errorText(e, i18n.lang)));
    return () => {
      live = false;
    };
  }, [props.officeID, interested, assessed, need, reloads, i18n.lang]);

  useEffect(() => {
    const from = new Date().toISOString().slice(0, 10);
    api<{ items: RelocationTripInfo[] }>("GET", `/api/relocation-trips?from=${from}`)
      .then((r) => setTrips(r.items.filter((t) => t.status === "planned" || t.status === "confirmed")))
      .catch(() => setTrips([]));
  }, [reloads]);

  useEffect(() => {
    const operationID = loadSession()?.me.operationID;
    if (!operationID) return;
    api<{ items: AreaInfo[] }>("GET", `/api/operations/${encodeURIComponent(operationID)}/areas`)
      .then((r) => setAreas(r.items))
      .catch(() => setAreas([]));
  }, []);

  // the operation's municipalities and regions (with the region a municipality is in), and any city a bus goes
  // to, each offered once by name
  const destinations = useMemo(() => {
    const region = new Map(areas.filter((a) => a.level === 1).map((a) => [a.pcode, a.name]));
    const m = new Map<string, { id: string; name: string; detail?: string }>();
    for (const a of areas)
      if (a.level <= 2)
        m.set(a.pcode, { id: a.pcode, name: a.name, detail: a.parent ? region.get(a.parent) : undefined });
    for (const t of trips)
      if (!m.has(t.destination.adm)) m.set(t.destination.adm, { id: t.destination.adm, name: t.destination.name });
    return [...m.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [areas, trips]);
  const tripsTo = trips.filter((t) => t.destination.adm === destination);

  const toggleInterest = (c: Candidate, on: boolean) =>
    api("PUT", `/api/relocation-desk/interest/${c.householdID}`, { interested: on, version: c.interestVersion })
      .then(() => setReloads((n) => n + 1))
      .catch((e) => setMessage(errorText(e, i18n.lang)));

  const create = async () => {
    const picked = (rows ?? []).filter((r) => selected.has(r.householdID));
    const name = destinations.find((d) => d.id === destination)?.name;
    if (picked.length === 0 || !name) return;
    setBusy(true);
    setMessage(null);
    setProblems([]);
    setFields({});
    setRowErrors(new Map());
    const failed = new Map<string, string>();
    try {
      // one request per office: a relocation is opened by the household's office
      const byOffice = new Map<string, Candidate[]>();
      for (const c of picked) byOffice.set(c.officeID, [...(byOffice.get(c.officeID) ?? []), c]);
      let opened = 0;
      const notes: string[] = [];
      for (const [officeID, list] of byOffice) {
        const res = await api<{ results: BulkRowResult[] }>("POST", "/api/relocation-desk/relocations", {
          householdIDs: list.map((c) => c.householdID),
          officeID,
          destination: { adm: destination, name },
          earliestDate: earliest,
          ...(tripID ? { tripID } : {}),
        });
        res.results.forEach((r, i) => {
          const c = list[i]!;
          const who = c.headName ?? c.registrationNumber;
          if (r.status === "created") opened++;
          else if (r.id) {
            opened++;
            notes.push(w("eligible.noSeat", { name: who, reason: reasonOf(r, i18n.lang) }));
          } else failed.set(c.householdID, reasonOf(r, i18n.lang));
        });
      }
      setMessage(w("eligible.done", { n: opened }));
      setProblems(notes);
      setRowErrors(failed);
      // the households not opened stay selected, each saying why on its row
      setSelected(new Set(failed.keys()));
    } catch (e) {
      const byField = fieldErrors(e, i18n.lang);
      if (Object.keys(byField).length) setFields(byField);
      else setMessage(errorText(e, i18n.lang));
    } finally {
      setBusy(false);
      setReloads((n) => n + 1);
    }
  };

  const all = rows ?? [];
  const canEdit = may("relocation.update");
  return (
    <section className="page reloc-page" aria-labelledby="page-title">
      <h1 id="page-title">{w("eligible.title")}</h1>
      <p className="muted">{w("eligible.intro")}</p>
      <div className="reloc-filters">
        <label>
          {w("eligible.interested")}
          <select value={interested} onChange={(e) => setInterested(e.target.value)}>
            <option value="">{w("eligible.any")}</option>
            <option value="yes">{w("eligible.yes")}</option>
            <option value="no">{w("eligible.no")}</option>
          </select>
        </label>
        <label>
          {w("eligible.assessed")}
          <select value={assessed} onChange={(e) => setAssessed(e.target.value)}>
            <option value="">{w("eligible.any")}</option>
            <option value="yes">{w("eligible.withAssessment")}</option>
            <option value="no">{w("eligible.withoutAssessment")}</option>
          </select>
        </label>
        <label>
          {w("eligible.need")}
          <select value={need} onChange={(e) => setNeed(e.target.value)}>
            <option value="">{w("eligible.any")}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {needLabel(c, i18n.lang)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {message && (
        <div className="notice" role="status">
          {message}
          {problems.length > 0 && (
            <ul>
              {problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {canEdit && (
        <div className="reloc-bar card">
          <span>{w("eligible.selected", { n: selected.size })}</span>
              <NamePicker
                id="reloc-destination"
                label={w("eligible.destination")}
                placeholder={w("eligible.searchPlace")}
                none={w("eligible.noPlace")}
                options={destinations}
                value={destination || undefined}
                error={fields.destination}
                onChange={(id) => {
                  setDestination(id ?? "");
                  setTripID("");
                  setFields(({ destination: _d, tripID: _t, ...rest }) => rest);
                }}
              />
              <NamePicker
                id="reloc-trip"
                label={w("eligible.trip")}
                placeholder={destination ? w("eligible.searchTrip") : w("eligible.tripAfterDestination")}
                none={w("eligible.noTripThere")}
                disabled={!destination}
                options={tripsTo.map((t) => ({
                  id: t.tripID,
                  name: tripLabel(t, i18n),
                  detail: [
                    t.originTerminal.name,
                    t.carrier,
                    w("eligible.seatsFree", { n: i18n.number(Math.max(0, t.seats - (t.seatsTaken ?? 0))) }),
                  ].join(" · "),
                }))}
                value={tripID || undefined}
                error={fields.tripID}
                onChange={(id) => {
                  setTripID(id ?? "");
                  setFields(({ tripID: _t, ...rest }) => rest);
                }}
              />
              <label>
                {w("eligible.earliest")}{" "}
                <input
                  type="date"
                  value={earliest}
                  aria-invalid={fields.earliestDate ? true : undefined}
                  onChange={(e) => setEarliest(e.target.value)}
                />
                {fields.earliestDate && <span className="row-error">{fields.earliestDate}</span>}
              </label>
              <button disabled={busy || selected.size === 0 || !destination} onClick={() => void create()}>
                {w("eligible.create")}
              </button>
              {!tripID && destination && <span className="muted">{w("eligible.noTrip")}</span>}
        </div>
      )}
      {rows && all.length === 0 && <p className="muted">{w("eligible.none")}</p>}
      {all.length > 0 && (
        <table className="reloc-table">
          <thead>
            <tr>
              <th>
                {canEdit && (
                  <input
                    type="checkbox"
                    aria-label={w("eligible.selectAll")}
                    checked={all.every((r) => selected.has(r.householdID))}
                    onChange={(e) => setSelected(new Set(e.target.checked ? all.map((r) => r.householdID) : []))}
                  />
                )}
              </th>
              <th>{w("eligible.household")}</th>
              <th>{w("eligible.head")}</th>
              <th>{w("eligible.size")}</th>
              <th>{w("eligible.needs")}</th>
              <th className="reloc-hide-narrow">{w("eligible.score")}</th>
              <th>{w("eligible.isInterested")}</th>
            </tr>
          </thead>
          <tbody>
            {all.map((c) => (
              <tr key={c.householdID}>
                <td>
                  {canEdit && (
                    <input
                      type="checkbox"
                      aria-label={c.headName ?? c.registrationNumber}
                      checked={selected.has(c.householdID)}
                      onChange={(e) =>
                        setSelected((s) => {
                          const n = new Set(s);
                          if (e.target.checked) n.add(c.householdID);
                          else n.delete(c.householdID);
                          return n;
                        })
                      }
                    />
                  )}
                </td>
                <td>{c.registrationNumber}</td>
                <td>
                  {c.headName ?? "—"}
                  {rowErrors.has(c.householdID) && (
                    <p className="row-error" role="alert">
                      {w("eligible.notOpened", { reason: rowErrors.get(c.householdID)! })}
                    </p>
                  )}
                </td>
                <td>{i18n.number(c.size)}</td>
                <td>
                  {c.needs.map((n) => (
                    <span key={n} className="reloc-need">
                      {needLabel(n, i18n.lang)}
                    </span>
                  ))}
                </td>
                <td className="reloc-hide-narrow">{c.vulnerability !== undefined ? i18n.number(c.vulnerability) : "—"}</td>
                <td>
                  <label>
                    <input
                      type="checkbox"
                      disabled={!canEdit}
                      checked={c.interested}
                      onChange={(e) => void toggleInterest(c, e.target.checked)}
                    />{" "}
                    {w(c.interested ? "eligible.yes" : "eligible.no")}
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
