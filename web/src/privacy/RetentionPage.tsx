import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "../api/client.ts";
import { useStaffNames } from "../components/lookups.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { retentionText, type RetentionTextKey } from "./retentionText.ts";

/** The wire shapes of /api/retention-policies (packages/schema/src/retention.ts). */
type Unit = "hours" | "days" | "months";
interface Policy {
  kind: string;
  value: number;
  unit: Unit;
  enabled: boolean;
  custom: boolean;
  version: number;
  updatedBy?: string;
  timeUpdated?: string;
}
interface KindCounts {
  anonymised: number;
  deleted: number;
  skipped: number;
  errors: number;
}
interface Run {
  runID: string;
  trigger: "schedule" | "manual";
  state: "running" | "done" | "failed";
  startedBy?: string;
  timeStarted: string;
  timeFinished?: string;
  resumed: number;
  counts: Record<string, KindCounts>;
  auditEventsBlanked: number;
  filesDeleted: number;
}

const EFFECT: Record<string, "anonymise" | "delete"> = {
  closedCase: "anonymise",
  closedReferral: "anonymise",
  pastAppointment: "anonymise",
  lead: "delete",
  unlinkedIntake: "delete",
  exportFile: "delete",
  idempotency: "delete",
  inactiveRegistration: "anonymise",
  household: "anonymise",
  incident: "anonymise",
  payment: "anonymise",
};
const UNITS: Unit[] = ["hours", "days", "months"];
const TYPES = [
  "case",
  "individual",
  "note",
  "document",
  "assessment",
  "referral",
  "appointment",
  "lead",
  "intakereview",
  "exportfile",
  "idempotency",
  "household",
  "incident",
  "payee",
  "payment",
];

/**
 * Data retention (admins, `retention.manage`): the operation's retention policies, each editable in its row,
 * a "run now" button and the latest runs of the retention job with what each did (counts, no personal data).
 */
export function RetentionPage() {
  const { lang, dateTime } = useI18n();
  const say = (k: RetentionTextKey, v?: Record<string, string | number>) => retentionText(lang, k, v);
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const [running, setRunning] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = useStaffNames([...(policies ?? []).map((p) => p.updatedBy), ...runs.map((r) => r.startedBy)]);

  const load = useCallback(async () => {
    const [p, r] = await Promise.all([
      api<{ items: Policy[] }>("GET", "/api/retention-policies"),
      api<{ items: Run[] }>("GET", "/api/retention-policies/runs"),
    ]);
    setPolicies(p.items);
    setRuns(r.items);
  }, []);
  useEffect(() => {
    load().catch((err) => setError(err instanceof ApiError ? err.message : say("ret.failed")));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once
  }, [load]);

  const save = async (p: Policy, value: number, unit: Unit, enabled: boolean) => {
    setMessage(null);
    setError(null);
    try {
      const saved = await api<Policy>("PUT", `/api/retention-policies/${p.kind}`, {
        value,
        unit,
        enabled,
        expectedVersion: p.version,
      });
      setPolicies((ps) => (ps ?? []).map((x) => (x.kind === p.kind ? saved : x)));
      setMessage(say("ret.saved"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setError(say("ret.stale"));
        await load();
      } else if (err instanceof ApiError && err.status === 422) setError(say("ret.tooShort"));
      else setError(err instanceof ApiError ? err.message : say("ret.failed"));
    }
  };

  const runNow = async () => {
    setMessage(null);
    setError(null);
    setRunning(true);
    try {
      await api<Run>("POST", "/api/retention-policies/runs");
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 409
          ? say("ret.busy")
          : err instanceof ApiError
            ? err.message
            : say("ret.failed"),
      );
    } finally {
      setRunning(false);
      await load().catch(() => undefined);
    }
  };

  if (!policies) return error ? <p className="error">{error}</p> : null;
  return (
    <section className="page retention">
      <h1>{say("ret.title")}</h1>
      <p>{say("ret.intro")}</p>
      {message && <p className="notice" role="status">{message}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <table className="plain" aria-label={say("ret.title")}>
        <thead>
          <tr>
            <th>{say("ret.col.kind")}</th>
            <th>{say("ret.col.keep")}</th>
            <th>{say("ret.col.effect")}</th>
            <th>{say("ret.col.on")}</th>
            <th>{say("ret.col.changed")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <PolicyRow key={`${p.kind}-${p.version}`} p={p} say={say} onSave={save} changed={
              p.timeUpdated ? `${dateTime(p.timeUpdated)}${p.updatedBy && names.get(p.updatedBy) ? ` · ${names.get(p.updatedBy)}` : ""}` : say("ret.default")
            } />
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" onClick={runNow} disabled={running}>
          {running ? say("ret.running") : say("ret.runNow")}
        </button>
      </p>
      <h2>{say("ret.runs")}</h2>
      {runs.length === 0 ? (
        <p className="muted">{say("ret.noRuns")}</p>
      ) : (
        <table className="plain" aria-label={say("ret.runs")}>
          <thead>
            <tr>
              <th>{say("ret.col.started")}</th>
              <th>{say("ret.col.by")}</th>
              <th>{say("ret.col.state")}</th>
              <th>{say("ret.col.did")}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.runID}>
                <td>{dateTime(r.timeStarted)}</td>
                <td>{r.trigger === "schedule" ? say("ret.by.schedule") : (r.startedBy && names.get(r.startedBy)) || ""}</td>
                <td>
                  {say(`ret.state.${r.state}` as RetentionTextKey)}
                  {r.resumed > 0 ? ` (${say("ret.resumed", { count: r.resumed })})` : ""}
                </td>
                <td>
                  <RunSummary r={r} say={say} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PolicyRow(props: {
  p: Policy;
  say: (k: RetentionTextKey, v?: Record<string, string | number>) => string;
  onSave: (p: Policy, value: number, unit: Unit, enabled: boolean) => Promise<void>;
  changed: string;
}) {
  const { p, say } = props;
  const [value, setValue] = useState(String(p.value));
  const [unit, setUnit] = useState<Unit>(p.unit);
  const [enabled, setEnabled] = useState(p.enabled);
  const label = say(`ret.kind.${p.kind}` as RetentionTextKey);
  const dirty = value !== String(p.value) || unit !== p.unit || enabled !== p.enabled;
  return (
    <tr>
      <td>{label}</td>
      <td>
        <input
          type="number"
          min={1}
          max={1200}
          value={value}
          aria-label={`${label}: ${say("ret.col.keep")}`}
          onChange={(e) => setValue(e.target.value)}
          style={{ width: "6em" }}
        />{" "}
        <select
          value={unit}
          aria-label={`${label}: ${say("ret.col.keep")}`}
          onChange={(e) => setUnit(e.target.value as Unit)}
        >
          {UNITS.map((u) => (
            <option key={u} value={u}>
              {say(`ret.unit.${u}`)}
            </option>
          ))}
        </select>
      </td>
      <td>{say(`ret.effect.${EFFECT[p.kind] ?? "delete"}`)}</td>
      <td>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{" "}
          {enabled ? say("ret.on") : say("ret.off")}
        </label>
      </td>
      <td>{props.changed}</td>
      <td>
        <button
          type="button"
          disabled={!dirty || !(Number(value) >= 1)}
          onClick={() => void props.onSave(p, Number(value), unit, enabled)}
        >
          {say("ret.save")}
        </button>
      </td>
    </tr>
  );
}

function RunSummary(props: { r: Run; say: (k: RetentionTextKey, v?: Record<string, string | number>) => string }) {
  const { r, say } = props;
  const lines: string[] = [];
  for (const type of TYPES) {
    const c = r.counts[type];
    if (!c) continue;
    const parts = (["anonymised", "deleted", "skipped", "errors"] as const)
      .filter((k) => c[k] > 0)
      .map((k) => say(`ret.did.${k}`, { count: c[k] }));
    if (parts.length) lines.push(`${say(`ret.type.${type}` as RetentionTextKey)}: ${parts.join(", ")}`);
  }
  if (r.auditEventsBlanked > 0) lines.push(say("ret.did.audit", { count: r.auditEventsBlanked }));
  if (r.filesDeleted > 0) lines.push(say("ret.did.files", { count: r.filesDeleted }));
  if (lines.length === 0) return <>{say("ret.nothing")}</>;
  return (
    <ul className="plain">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}
