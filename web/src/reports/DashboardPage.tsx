import { useEffect, useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarProps,
} from "recharts";
import type { Bucket, Dashboard, DrillFilter } from "@waypoint/schema";
import { api, ApiError } from "../api/client.ts";
import { navigate } from "../nav.ts";
import type { Office } from "../pages/Shell.tsx";

const COLORS = { female: "#c2185b", male: "#1565c0", other: "#6a1b9a", unknown: "#9e9e9e", bar: "#00796b" };

/** Opens the grid filtered on exactly the records a figure counted (the API's drill filter). */
export function drillLink(d: DrillFilter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(d)) if (k !== "resource" && v !== undefined) q.set(k, String(v));
  return `/${d.resource}?drill=${encodeURIComponent(q.toString())}`;
}
const go = (b?: Bucket) => b && navigate(drillLink(b.drill));

function Card(props: { title: string; children: React.ReactNode; wide?: boolean }) {
  return (
    <section className={`dash-card${props.wide ? " wide" : ""}`} aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}
const Unavailable = (p: { reason: string }) => <p className="muted">{p.reason}</p>;

/** A horizontal bar chart of buckets; clicking a bar opens its records. */
function Bars(props: { data: Bucket[]; label?: (k: string) => string; color?: string; extra?: BarProps[] }) {
  const data = props.data.map((b) => ({ ...b, name: props.label ? props.label(b.key) : b.key }));
  if (data.length === 0) return <p className="muted">No records</p>;
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, data.length * 28 + 40)}>
      <BarChart data={data} layout="vertical" margin={{ left: 24, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="name" width={130} />
        <Tooltip />
        <Bar
          dataKey="value"
          name="Records"
          fill={props.color ?? COLORS.bar}
          cursor="pointer"
          onClick={(d) => go(d as unknown as Bucket)}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** AGD population pyramid: females to the right, males to the left (negative values drawn, absolute shown). */
function Pyramid(props: { rows: Extract<Dashboard["individuals"], { available: true }>["pyramid"] }) {
  const data = [...props.rows].reverse().map((r) => ({
    bracket: r.bracket,
    male: -r.male.value,
    female: r.female.value,
    other: r.other.value + r.unknown.value,
    row: r,
  }));
  const abs = (v: unknown) => String(Math.abs(Number(v)));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={data} layout="vertical" stackOffset="sign" margin={{ left: 8, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={abs} allowDecimals={false} />
        <YAxis type="category" dataKey="bracket" width={60} />
        <Tooltip formatter={(v) => abs(v)} />
        <Legend />
        <Bar
          dataKey="male"
          name="Male"
          stackId="s"
          fill={COLORS.male}
          cursor="pointer"
          onClick={(d) => go((d as unknown as { row: { male: Bucket } }).row.male)}
        />
        <Bar
          dataKey="female"
          name="Female"
          stackId="s"
          fill={COLORS.female}
          cursor="pointer"
          onClick={(d) => go((d as unknown as { row: { female: Bucket } }).row.female)}
        />
        <Bar dataKey="other" name="Other / unknown sex" stackId="o" fill={COLORS.other} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Integer minor units in the currency's own digits (MXN 2, JPY 0, KWD 3). */
const money = (minor: number, currency: string) => {
  const f = new Intl.NumberFormat(undefined, { style: "currency", currency });
  return f.format(minor / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
};

export function DashboardPage(props: { offices: Office[]; officeID: string | null }) {
  const [officeID, setOfficeID] = useState(props.officeID ?? "");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ms, setMs] = useState(0);
  useEffect(() => setOfficeID(props.officeID ?? ""), [props.officeID]);
  useEffect(() => {
    const q = new URLSearchParams();
    if (officeID) q.set("officeID", officeID);
    if (from) q.set("from", from);
    if (to) q.set("to", to);
    const t = performance.now();
    let live = true;
    api<Dashboard>("GET", `/api/dashboard?${q}`)
      .then((d) => live && (setData(d), setError(null), setMs(performance.now() - t)))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [officeID, from, to]);
  const officeName = (id: string) => props.offices.find((o) => o.officeID === id)?.name ?? id;
  const d = data;
  return (
    <section className="page dashboard" aria-labelledby="page-title">
      <h1 id="page-title">Dashboard</h1>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label className="inline">
          <span>Office</span>
          <select value={officeID} onChange={(e) => setOfficeID(e.target.value)} aria-label="Office">
            <option value="">All my offices</option>
            {props.offices.map((o) => (
              <option key={o.officeID} value={o.officeID}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <span>From</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="inline">
          <span>To</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <span className="spacer" />
        {d && (
          <span className="muted" data-testid="dash-meta">
            Ages at {d.referenceDate} · loaded in {ms.toFixed(0)} ms
          </span>
        )}
      </form>
      {error && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {d && (
        <div className="dash-grid">
          <Card title="Registered individuals (AGD)">
            {d.individuals.available ? (
              <>
                <p className="big">
                  <a
                    href={drillLink(d.individuals.total.drill)}
                    onClick={(e) => (
                      e.preventDefault(),
                      go(d.individuals.available ? d.individuals.total : undefined)
                    )}
                  >
                    {d.individuals.total.value.toLocaleString()}
                  </a>{" "}
                  people
                </p>
                <Pyramid rows={d.individuals.pyramid} />
              </>
            ) : (
              <Unavailable reason={d.individuals.reason} />
            )}
          </Card>
          <Card title="Nationality">
            {d.individuals.available ? (
              <Bars data={d.individuals.byNationality.slice(0, 12)} />
            ) : (
              <Unavailable reason={d.individuals.reason} />
            )}
          </Card>
          <Card title="Specific needs">
            {d.individuals.available && d.individuals.specificNeeds ? (
              <Bars data={d.individuals.specificNeeds} color="#ef6c00" />
            ) : (
              <Unavailable reason="Your role may not see specific needs" />
            )}
          </Card>
          <Card title="Cases by stage">
            {d.cases.available ? (
              <>
                <p>
                  {d.cases.total.value} cases ·{" "}
                  <a
                    href={drillLink(d.cases.overdueFollowUps.drill)}
                    onClick={(e) => (
                      e.preventDefault(),
                      go(d.cases.available ? d.cases.overdueFollowUps : undefined)
                    )}
                    className={d.cases.overdueFollowUps.value ? "warn" : ""}
                  >
                    {d.cases.overdueFollowUps.value} overdue follow-ups
                  </a>
                </p>
                <Bars
                  data={["open", "assessment", "case_plan", "implementation", "follow_up", "closed"].flatMap(
                    (s) => (d.cases.available ? d.cases.byStage.filter((b) => b.key === s) : []),
                  )}
                  color="#5e35b1"
                />
              </>
            ) : (
              <Unavailable reason={d.cases.reason} />
            )}
          </Card>
          <Card title="Cases by type and office">
            {d.cases.available ? (
              <>
                <Bars data={d.cases.byType} color="#3949ab" />
                <Bars data={d.cases.byOffice} label={officeName} color="#546e7a" />
              </>
            ) : (
              <Unavailable reason={d.cases.reason} />
            )}
          </Card>
          <Card title="Referrals: response time by partner">
            {d.referrals.available ? (
              <>
                <Bars data={d.referrals.byStatus} color="#00838f" />
                <table className="mini">
                  <thead>
                    <tr>
                      <th>Partner</th>
                      <th>Referrals</th>
                      <th>Answered</th>
                      <th>Median response</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.referrals.byPartner.map((p) => (
                      <tr key={p.partner}>
                        <td>{p.partnerName}</td>
                        <td>
                          <a
                            href={drillLink(p.total.drill)}
                            onClick={(e) => (e.preventDefault(), go(p.total))}
                          >
                            {p.total.value}
                          </a>
                        </td>
                        <td>{p.responded}</td>
                        <td>{p.medianResponseHours === null ? "—" : `${p.medianResponseHours} h`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : (
              <Unavailable reason={d.referrals.reason} />
            )}
          </Card>
          <Card title="Relocations per month">
            {d.relocations.available ? (
              <ResponsiveContainer width="100%" height={220}>
                <BarChart data={d.relocations.byMonth}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="key" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar
                    dataKey="value"
                    name="Households"
                    fill="#2e7d32"
                    cursor="pointer"
                    onClick={(x) => go(x as unknown as Bucket)}
                  />
                  <Bar dataKey="people" name="People" fill="#81c784" />
                </BarChart>
              </ResponsiveContainer>
            ) : (
              <Unavailable reason={d.relocations.reason} />
            )}
            {d.relocations.available && <Bars data={d.relocations.byDestination} color="#558b2f" />}
          </Card>
          <Card title="Payments by month and status">
            {d.payments.available ? (
              <>
                <ResponsiveContainer width="100%" height={220}>
                  <BarChart data={d.payments.byMonth.map((b) => ({ ...b, amount: b.amountMinor / 100 }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="key" />
                    <YAxis />
                    <Tooltip />
                    <Bar
                      dataKey="amount"
                      name="Amount"
                      fill="#f9a825"
                      cursor="pointer"
                      onClick={(x) => go(x as unknown as Bucket)}
                    />
                  </BarChart>
                </ResponsiveContainer>
                <table className="mini">
                  <tbody>
                    {[...d.payments.byStatus, ...d.payments.byPurpose].map((b) => (
                      <tr key={`${b.drill.status ?? ""}${b.drill.purpose ?? ""}${b.currency}`}>
                        <td>{b.key}</td>
                        <td>
                          <a href={drillLink(b.drill)} onClick={(e) => (e.preventDefault(), go(b))}>
                            {b.value}
                          </a>
                        </td>
                        <td>{money(b.amountMinor, b.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : (
              <Unavailable reason={d.payments.reason} />
            )}
          </Card>
          <Card title="Resettlement pipeline vs quota">
            {d.resettlement.available ? (
              <Bars
                data={d.resettlement.rows.map((r) => ({
                  key: `${r.country} ${r.stage}`,
                  value: r.value,
                  drill: { resource: "cases" },
                }))}
              />
            ) : (
              <Unavailable reason={d.resettlement.reason} />
            )}
          </Card>
        </div>
      )}
    </section>
  );
}
