import { useCallback, useEffect, useState } from "react";
import type { BulkRowResult, Manifest, ManifestRow, RelocationTripInfo } from "@waypoint/schema";
import { api, loadSession } from "../api/client.ts";
import { navigate } from "../nav.ts";
import type { Office } from "../pages/Shell.tsx";
import type { RelocKey } from "./relocText.ts";
import { download, errorText, may, needLabel, reasonOf, statusLabel, tripLabel, useWords } from "./shared.ts";
import { usePurpose, whyQuery } from "../privacy/PurposeDialog.tsx";
import "./relocation.css";

const ITEMS = ["documents", "briefingAttended", "medical", "consent"] as const;

/** `YYYY-MM-DDTHH:mm` in the browser's local time, for a datetime-local input. */
const localInput = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** Creates or changes a bus: departure time, terminal, destination, company, seats, office. */
function TripForm(props: {
  trip?: RelocationTripInfo;
  offices: Office[];
  officeID: string | null;
  onSaved: (t: RelocationTripInfo) => void;
  onClose: () => void;
}) {
  const { i18n, w } = useWords();
  const t = props.trip;
  const [departure, setDeparture] = useState(t ? localInput(t.departureAt) : "");
  const [terminal, setTerminal] = useState(t?.originTerminal.name ?? "");
  const [city, setCity] = useState(t?.destination.name ?? "");
  const [code, setCode] = useState(t?.destination.adm ?? "");
  const [carrier, setCarrier] = useState(t?.carrier ?? "");
  const [seats, setSeats] = useState(String(t?.seats ?? 40));
  // the offices the user schedules buses for: theirs, unless their role plans for the whole operation
  const me = loadSession()?.me;
  const offices =
    me?.scopes?.["relocation.plan"] === "operation"
      ? props.offices
      : props.offices.filter((o) => me?.officeIDs.includes(o.officeID));
  const [officeID, setOfficeID] = useState(
    t?.officeID ??
      (props.officeID && offices.some((o) => o.officeID === props.officeID) ? props.officeID : undefined) ??
      offices[0]?.officeID ??
      "",
  );
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const values = {
      departureAt: new Date(departure).toISOString(),
      originTerminal: { name: terminal },
      destination: { name: city, adm: code },
      carrier,
      seats: Number(seats),
    };
    try {
      const saved = t
        ? await api<RelocationTripInfo>("PATCH", `/api/relocation-trips/${t.tripID}`, {
            version: t.version,
            changes: values,
          })
        : await api<RelocationTripInfo>("POST", "/api/relocation-trips", { ...values, officeID });
      setError(null);
      props.onSaved(saved);
    } catch (e) {
      setError(errorText(e, i18n.lang));
    }
  };
  return (
    <form
      className="reloc-form card"
      aria-label={w("day.tripForm")}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{w("day.tripForm")}</h2>
      <label>
        {w("day.departure")}
        <input type="datetime-local" required value={departure} onChange={(e) => setDeparture(e.target.value)} />
      </label>
      <label>
        {w("day.terminal")}
        <input required value={terminal} onChange={(e) => setTerminal(e.target.value)} />
      </label>
      <label>
        {w("day.destinationName")}
        <input required value={city} onChange={(e) => setCity(e.target.value)} />
      </label>
      <label>
        {w("day.destinationCode")}
        <input required value={code} onChange={(e) => setCode(e.target.value)} />
      </label>
      <label>
        {w("day.carrier")}
        <input required value={carrier} onChange={(e) => setCarrier(e.target.value)} />
      </label>
      <label>
        {w("day.seats")}
        <input type="number" min={1} max={500} required value={seats} onChange={(e) => setSeats(e.target.value)} />
      </label>
      {!t && (
        <label>
          {w("day.office")}
          <select value={officeID} onChange={(e) => setOfficeID(e.target.value)}>
            {offices.map((o) => (
              <option key={o.officeID} value={o.officeID}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="actions">
        <button type="submit">{w("day.save")}</button>
        <button type="button" onClick={props.onClose}>
          {w("day.cancel")}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}

/**
 * Relocation day at the bus terminal, on a tablet: pick the bus, see who travels (names, ages, needs, seats,
 * checklist, tickets), check many households in and confirm them on board at once, record who did not come, print
 * each household's tickets and mark them handed over. Buses are created and changed here too.
 */
export function DayPage(props: { offices: Office[]; officeID: string | null; tripID?: string }) {
  const { i18n, w } = useWords();
  const [trips, setTrips] = useState<RelocationTripInfo[] | null>(null);
  const [tripID, setTripID] = useState<string>(props.tripID ?? "");
  const [manifest, setManifest] = useState<Manifest | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [form, setForm] = useState<"new" | "edit" | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const { dialog: whyDialog, askPurpose } = usePurpose();
  const canEdit = may("relocation.update");
  const canPlan = may("relocation.plan");

  const loadTrips = useCallback(() => {
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const q = `from=${from}${props.officeID ? `&officeID=${encodeURIComponent(props.officeID)}` : ""}`;
    return api<{ items: RelocationTripInfo[] }>("GET", `/api/relocation-trips?${q}`)
      .then((r) => {
        const open = r.items.filter((t) => t.status !== "cancelled");
        setTrips(open);
        setTripID((cur) => cur || open[0]?.tripID || "");
      })
      .catch((e) => setMessage(errorText(e, i18n.lang)));
  }, [props.officeID, i18n.lang]);

  const loadManifest = useCallback(() => {
    if (!tripID) return Promise.resolve(setManifest(null));
    return api<Manifest>("GET", `/api/relocation-desk/manifest/${tripID}`)
      .then((m) => setManifest(m))
      .catch((e) => setMessage(errorText(e, i18n.lang)));
  }, [tripID, i18n.lang]);

  useEffect(() => void loadTrips(), [loadTrips]);
  useEffect(() => {
    setSelected(new Set());
    void loadManifest();
  }, [loadManifest]);

  const rows = manifest?.rows ?? [];
  const nameOf = (r: ManifestRow) => r.people[0]?.name ?? r.registrationNumber ?? w("day.household");
  const bulk = async (path: "check-in" | "departures" | "no-shows", only?: ManifestRow[]) => {
    const pick = only ?? rows.filter((r) => selected.has(r.relocationID));
    if (pick.length === 0) return;
    setBusy(true);
    setMessage(null);
    setProblems([]);
    try {
      const res = await api<{ results: BulkRowResult[] }>("POST", `/api/relocation-trips/${tripID}/${path}`, {
        rows: pick.map((r) => ({ id: r.relocationID, version: r.version })),
      });
      const failed = res.results
        .map((r, i) => ({ r, row: pick[i]! }))
        .filter(({ r }) => r.status !== "saved");
      setMessage(w("day.result", { ok: res.results.length - failed.length, failed: failed.length }));
      setProblems(failed.map(({ r, row }) => `${nameOf(row)}: ${reasonOf(r, i18n.lang)}`));
      setSelected(new Set());
    } catch (e) {
      setMessage(errorText(e, i18n.lang));
    } finally {
      setBusy(false);
      await Promise.all([loadManifest(), loadTrips()]);
    }
  };
  const print = async (r: ManifestRow) => {
    // the tickets name the passengers: what they are printed for goes into each one's sharing log
    const why = await askPurpose("assistance");
    if (!why) return;
    await download(
      `/api/relocations/${r.relocationID}/tickets?lang=${i18n.lang}&${whyQuery(why)}`,
      `${r.tickets[0] ?? "tickets"}.pdf`,
    ).catch((e) => setMessage(errorText(e, i18n.lang)));
  };
  const manifestFile = async () => {
    // the manifest names everyone on the bus: what it is for goes into each one's sharing log
    const why = await askPurpose("assistance");
    if (!why) return;
    await download(`/api/relocation-trips/${tripID}/manifest?format=csv&${whyQuery(why)}`, `manifest-${tripID}.csv`).catch(
      (e) => setMessage(errorText(e, i18n.lang)),
    );
  };
  const deliver = (r: ManifestRow) =>
    api("POST", `/api/relocations/${r.relocationID}/ticket-delivered`, { version: r.version })
      .then(() => loadManifest())
      .catch((e) => setMessage(errorText(e, i18n.lang)));

  const trip = manifest?.trip ?? trips?.find((t) => t.tripID === tripID);
  const open = (r: ManifestRow) => !["no_show", "departed", "arrived", "completed", "cancelled"].includes(r.status);
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });

  return (
    <section className="page reloc-page" aria-labelledby="page-title">
      <h1 id="page-title">{w("day.title")}</h1>
      <div className="reloc-filters">
        <label>
          {w("day.trip")}
          <select value={tripID} onChange={(e) => setTripID(e.target.value)}>
            {!tripID && <option value="">{w("day.pickTrip")}</option>}
            {(trips ?? []).map((t) => (
              <option key={t.tripID} value={t.tripID}>
                {tripLabel(t, i18n)}
              </option>
            ))}
          </select>
        </label>
        {canPlan && (
          <button type="button" onClick={() => setForm("new")}>
            {w("day.newTrip")}
          </button>
        )}
        {canPlan && trip && (
          <button type="button" onClick={() => setForm("edit")}>
            {w("day.editTrip")}
          </button>
        )}
      </div>
      {trips && trips.length === 0 && <p className="muted">{w("day.noTrips")}</p>}
      {form && (
        <TripForm
          key={form + (trip?.version ?? "")}
          trip={form === "edit" ? trip : undefined}
          offices={props.offices}
          officeID={props.officeID}
          onClose={() => setForm(null)}
          onSaved={(t) => {
            setForm(null);
            setMessage(w("day.saved"));
            setTripID(t.tripID);
            void loadTrips().then(() => loadManifest());
          }}
        />
      )}
      {trip && manifest && (
        <p className="reloc-counters" data-testid="trip-counters">
          {trip.originTerminal.name} → {trip.destination.name} · {i18n.dateTime(trip.departureAt)} · {trip.carrier}
          <br />
          {w("day.counters", {
            taken: manifest.trip.seatsTaken ?? manifest.seatsTaken,
            seats: trip.seats,
            checked: manifest.trip.seatsCheckedIn ?? 0,
            departed: manifest.trip.seatsDeparted ?? 0,
          })}
          <br />
          <button type="button" aria-haspopup="dialog" onClick={() => void manifestFile()}>
            {w("day.manifestCsv")}
          </button>
        </p>
      )}
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
      {manifest && rows.length === 0 && <p className="muted">{w("day.empty")}</p>}
      {manifest && rows.length > 0 && (
        <>
          {canEdit && (
            <div className="reloc-bar">
              <label>
                <input
                  type="checkbox"
                  checked={rows.filter(open).length > 0 && rows.filter(open).every((r) => selected.has(r.relocationID))}
                  onChange={(e) => setSelected(new Set(e.target.checked ? rows.filter(open).map((r) => r.relocationID) : []))}
                />{" "}
                {w("day.selectAll")}
              </label>
              <button disabled={busy || selected.size === 0} onClick={() => void bulk("check-in")}>
                {w("day.checkInSelected")}
              </button>
              <button disabled={busy || selected.size === 0} onClick={() => void bulk("departures")}>
                {w("day.departSelected")}
              </button>
            </div>
          )}
          <table className="reloc-table">
            <thead>
              <tr>
                <th aria-label={w("day.selectAll")} />
                <th>{w("day.household")}</th>
                <th>{w("day.people")}</th>
                <th>{w("day.seats")}</th>
                <th className="reloc-hide-narrow">{w("day.checklist")}</th>
                <th>{w("day.status")}</th>
                <th>{w("day.tickets")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const missing = ITEMS.filter((k) => !r.readiness[k]);
                return (
                  <tr key={r.relocationID} className={r.status === "no_show" ? "reloc-noshow" : undefined}>
                    <td>
                      {canEdit && open(r) && (
                        <input
                          type="checkbox"
                          aria-label={nameOf(r)}
                          checked={selected.has(r.relocationID)}
                          onChange={(e) => toggle(r.relocationID, e.target.checked)}
                        />
                      )}
                    </td>
                    <td>
                      <a
                        href={`/relocations/${r.relocationID}`}
                        onClick={(e) => {
                          e.preventDefault();
                          navigate(`/relocations/${r.relocationID}`);
                        }}
                      >
                        {r.registrationNumber ?? w("day.household")}
                      </a>
                    </td>
                    <td>
                      <ul className="reloc-people">
                        {r.people.map((p, i) => (
                          <li key={i}>
                            {p.name}
                            {p.age !== undefined ? ` · ${w("day.age", { n: p.age })}` : ""}
                            {p.needs.map((n) => (
                              <span key={n} className="reloc-need">
                                {needLabel(n, i18n.lang)}
                              </span>
                            ))}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{i18n.number(r.seats)}</td>
                    <td className="reloc-hide-narrow">
                      {missing.length === 0 ? (
                        <span className="reloc-ok">{w("day.ready")}</span>
                      ) : (
                        <span className="reloc-missing">
                          {w("day.missing", { items: missing.map((k) => w(`panel.${k}` as RelocKey)).join(", ") })}
                        </span>
                      )}
                    </td>
                    <td>
                      {statusLabel(r.status, i18n.lang)}
                      {r.checkedInAt && !r.departedAt && (
                        <div className="muted">{w("day.checkedIn", { time: i18n.dateTime(r.checkedInAt) })}</div>
                      )}
                      {canEdit && open(r) && (
                        <div>
                          <button disabled={busy} onClick={() => void bulk("no-shows", [r])}>
                            {w("day.noShow")}
                          </button>
                        </div>
                      )}
                    </td>
                    <td>
                      {r.tickets.join(", ")}
                      {r.tickets.length > 0 && r.status !== "no_show" && canEdit && (
                        <div className="actions">
                          <button aria-haspopup="dialog" onClick={() => void print(r)}>
                            {w("day.print")}
                          </button>
                          {r.ticketDelivered ? (
                            <span className="reloc-ok">{w("day.delivered")}</span>
                          ) : (
                            <button onClick={() => void deliver(r)}>{w("day.markDelivered")}</button>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      {whyDialog}
    </section>
  );
}
