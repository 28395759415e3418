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
import {
  CaseStageLabels,
  CaseTypeLabels,
  codeLabel,
  PaymentPurposeLabels,
  PaymentStatusLabels,
  ReferralStatusLabels,
  type Bucket,
  type CaseStage,
  type CaseType,
  type Dashboard,
  type DrillFilter,
  PaymentPurposes,
  type PaymentStatus,
  type ReferralStatus,
} from "@waypoint/schema";
import { api, ApiError } from "../api/client.ts";
import { useMe } from "../components/lookups.ts";
import { BatchesInProgress } from "../payments/BatchesInProgress.tsx";
import { BreakdownCard } from "./BreakdownCard.tsx";
import { useI18n, type I18n } from "../i18n/i18n.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { navigate } from "../nav.ts";
import type { Office } from "../pages/Shell.tsx";
import { ResettlementCard } from "../resettlement/ResettlementCard.tsx";
import { countryName } from "../i18n/countries.ts";
import { formatMoney } from "../payments/money.ts";

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
/** The API's reasons (English) in the UI language; a reason not known here is shown as the API wrote it. */
const REASONS: Record<string, MessageKey> = {
  "Your role may not read the register": "dashboard.reason.register",
  "Your role may not read cases": "dashboard.reason.cases",
  "Your role may not read referrals": "dashboard.reason.referrals",
  "Your role may not read relocations": "dashboard.reason.relocations",
  "Your role may not read payments": "dashboard.reason.payments",
  "Resettlement figures are not on the dashboard yet: see the submissions in Resettlement & PTA":
    "dashboard.reason.resettlement",
};
function Unavailable(p: { reason: string }) {
  const { t } = useI18n();
  const key = REASONS[p.reason];
  return <p className="muted">{key ? t(key) : p.reason}</p>;
}

/** A count with its plural form ("{n} cases"), `{n}` replaced by `n` or by a node (a drill-down link). */
function counted(i18n: I18n, base: string, n: number, node?: React.ReactNode): React.ReactNode {
  const one = new Intl.PluralRules(i18n.locale).select(n) === "one";
  const key = `${base}.${one ? "one" : "other"}` as MessageKey;
  if (node === undefined) return i18n.t(key, { n });
  const [before = "", after = ""] = i18n.t(key).split("{n}");
  return (
    <>
      {before}
      {node}
      {after}
    </>
  );
}

/** "2026-03" as a month of the UI language ("mar 2026", "مارس ٢٠٢٦"). */
function monthLabel(locale: string, key: string): string {
  if (!/^\d{4}-\d{2}$/.test(key)) return key;
  const f = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
  return f.format(new Date(`${key}-01T00:00:00Z`));
}

/** An AGD age bracket ("0-4", "60+", "unknown") with the UI language's digits. */
function bracketLabel(i18n: I18n, bracket: string): string {
  if (bracket === "unknown") return i18n.t("dashboard.unknown");
  return bracket.replace(/\d+/g, (n) => i18n.number(Number(n))).replace("-", "–");
}

/** Axis ticks and tooltips: numbers of the UI language. */
const num = (i18n: I18n) => (v: unknown) => i18n.number(Number(v));

/** A horizontal bar chart of buckets; clicking a bar opens its records. */
function Bars(props: { data: Bucket[]; label?: (k: string) => string; color?: string; extra?: BarProps[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const data = props.data.map((b) => ({ ...b, name: props.label ? props.label(b.key) : b.key }));
  if (data.length === 0) return <p className="muted">{t("dashboard.noRecords")}</p>;
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, data.length * 28 + 40)}>
      <BarChart data={data} layout="vertical" margin={{ left: 24, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tickFormatter={num(i18n)} />
        <YAxis type="category" dataKey="name" width={130} />
        <Tooltip formatter={num(i18n)} />
        <Bar
          dataKey="value"
          name={t("dashboard.records")}
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
  const i18n = useI18n();
  const { t } = i18n;
  const data = [...props.rows].reverse().map((r) => ({
    bracket: bracketLabel(i18n, r.bracket),
    male: -r.male.value,
    female: r.female.value,
    other: r.other.value + r.unknown.value,
    row: r,
  }));
  const abs = (v: unknown) => i18n.number(Math.abs(Number(v)));
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
          name={t("dashboard.male")}
          stackId="s"
          fill={COLORS.male}
          cursor="pointer"
          onClick={(d) => go((d as unknown as { row: { male: Bucket } }).row.male)}
        />
        <Bar
          dataKey="female"
          name={t("dashboard.female")}
          stackId="s"
          fill={COLORS.female}
          cursor="pointer"
          onClick={(d) => go((d as unknown as { row: { female: Bucket } }).row.female)}
        />
        <Bar dataKey="other" name={t("dashboard.otherSex")} stackId="o" fill={COLORS.other} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Integer minor units in the currency's own digits (MXN 2, JPY 0, KWD 3). */
const money = (locale: string, minor: number, currency: string) => formatMoney(locale, currency, minor);

export function DashboardPage(props: { offices: Office[]; officeID: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { may } = useMe();
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
      <h1 id="page-title">{t("dashboard.title")}</h1>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label className="inline">
          <span>{t("dashboard.office")}</span>
          <select
            value={officeID}
            onChange={(e) => setOfficeID(e.target.value)}
            aria-label={t("dashboard.office")}
          >
            <option value="">{t("dashboard.allOffices")}</option>
            {props.offices.map((o) => (
              <option key={o.officeID} value={o.officeID}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <span>{t("dashboard.from")}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="inline">
          <span>{t("dashboard.to")}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <span className="spacer" />
        {d && (
          <span className="muted" data-testid="dash-meta">
            {t("dashboard.meta", { date: i18n.date(d.referenceDate), ms: Math.round(ms) })}
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
          <Card title={t("dashboard.individuals")}>
            {d.individuals.available ? (
              <>
                <p className="big">
                  {counted(
                    i18n,
                    "dashboard.count.people",
                    d.individuals.total.value,
                    <a
                      href={drillLink(d.individuals.total.drill)}
                      onClick={(e) => (
                        e.preventDefault(),
                        go(d.individuals.available ? d.individuals.total : undefined)
                      )}
                    >
                      {i18n.number(d.individuals.total.value)}
                    </a>,
                  )}
                </p>
                <Pyramid rows={d.individuals.pyramid} />
              </>
            ) : (
              <Unavailable reason={d.individuals.reason} />
            )}
          </Card>
          <Card title={t("dashboard.nationality")}>
            {d.individuals.available ? (
              <Bars
                data={d.individuals.byNationality.slice(0, 12)}
                label={(k) => (k === "unknown" ? t("dashboard.unknown") : countryName(i18n.lang, k))}
              />
            ) : (
              <Unavailable reason={d.individuals.reason} />
            )}
          </Card>
          <Card title={t("dashboard.specificNeeds")}>
            {d.individuals.available && d.individuals.specificNeeds ? (
              <Bars data={d.individuals.specificNeeds} color="#ef6c00" />
            ) : (
              <p className="muted">{t("dashboard.reason.specificNeeds")}</p>
            )}
          </Card>
          <Card title={t("dashboard.casesByStage")}>
            {d.cases.available ? (
              <>
                <p>
                  {counted(i18n, "dashboard.count.cases", d.cases.total.value)} ·{" "}
                  <a
                    href={drillLink(d.cases.overdueFollowUps.drill)}
                    onClick={(e) => (
                      e.preventDefault(),
                      go(d.cases.available ? d.cases.overdueFollowUps : undefined)
                    )}
                    className={d.cases.overdueFollowUps.value ? "warn" : ""}
                  >
                    {counted(i18n, "dashboard.count.overdue", d.cases.overdueFollowUps.value)}
                  </a>
                </p>
                <Bars
                  data={["open", "assessment", "case_plan", "implementation", "follow_up", "closed"].flatMap(
                    (s) => (d.cases.available ? d.cases.byStage.filter((b) => b.key === s) : []),
                  )}
                  label={(k) => codeLabel(CaseStageLabels, k as CaseStage, i18n.lang)}
                  color="#5e35b1"
                />
              </>
            ) : (
              <Unavailable reason={d.cases.reason} />
            )}
          </Card>
          <Card title={t("dashboard.casesByTypeOffice")}>
            {d.cases.available ? (
              <>
                <Bars
                  data={d.cases.byType}
                  label={(k) => codeLabel(CaseTypeLabels, k as CaseType, i18n.lang)}
                  color="#3949ab"
                />
                <Bars data={d.cases.byOffice} label={officeName} color="#546e7a" />
              </>
            ) : (
              <Unavailable reason={d.cases.reason} />
            )}
          </Card>
          <Card title={t("dashboard.referrals")}>
            {d.referrals.available ? (
              <>
                <Bars
                  data={d.referrals.byStatus}
                  label={(k) => codeLabel(ReferralStatusLabels, k as ReferralStatus, i18n.lang)}
                  color="#00838f"
                />
                <table className="mini">
                  <thead>
                    <tr>
                      <th>{t("dashboard.partner")}</th>
                      <th>{t("dashboard.referralCount")}</th>
                      <th>{t("dashboard.answered")}</th>
                      <th>{t("dashboard.medianResponse")}</th>
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
                            {i18n.number(p.total.value)}
                          </a>
                        </td>
                        <td>{i18n.number(p.responded)}</td>
                        <td>
                          {p.medianResponseHours === null
                            ? "—"
                            : t("dashboard.hours", { n: p.medianResponseHours })}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : (
              <Unavailable reason={d.referrals.reason} />
            )}
          </Card>
          <Card title={t("dashboard.relocations")}>
            {d.relocations.available ? (
              <ResponsiveContainer width="100%" height={220}>
                <BarChart
                  data={d.relocations.byMonth.map((b) => ({ ...b, label: monthLabel(i18n.locale, b.key) }))}
                >
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="label" />
                  <YAxis allowDecimals={false} tickFormatter={num(i18n)} />
                  <Tooltip formatter={num(i18n)} />
                  <Legend />
                  <Bar
                    dataKey="value"
                    name={t("dashboard.households")}
                    fill="#2e7d32"
                    cursor="pointer"
                    onClick={(x) => go(x as unknown as Bucket)}
                  />
                  <Bar dataKey="people" name={t("dashboard.people")} fill="#81c784" />
                </BarChart>
              </ResponsiveContainer>
            ) : (
              <Unavailable reason={d.relocations.reason} />
            )}
            {d.relocations.available && <Bars data={d.relocations.byDestination} color="#558b2f" />}
          </Card>
          <Card title={t("dashboard.payments")}>
            {d.payments.available ? (
              <>
                <ResponsiveContainer width="100%" height={220}>
                  <BarChart
                    data={d.payments.byMonth.map((b) => ({
                      ...b,
                      amount: b.amountMinor / 100,
                      label: monthLabel(i18n.locale, b.key),
                    }))}
                  >
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="label" />
                    <YAxis tickFormatter={num(i18n)} />
                    <Tooltip formatter={num(i18n)} />
                    <Bar
                      dataKey="amount"
                      name={t("dashboard.amount")}
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
                        <td>
                          {b.drill.purpose
                            ? codeLabel(
                                PaymentPurposeLabels,
                                b.key as (typeof PaymentPurposes)[number],
                                i18n.lang,
                              )
                            : codeLabel(PaymentStatusLabels, b.key as PaymentStatus, i18n.lang)}
                        </td>
                        <td>
                          <a href={drillLink(b.drill)} onClick={(e) => (e.preventDefault(), go(b))}>
                            {i18n.number(b.value)}
                          </a>
                        </td>
                        <td>{money(i18n.locale, b.amountMinor, b.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : (
              <Unavailable reason={d.payments.reason} />
            )}
          </Card>
          <Card title={t("dashboard.resettlement")}>
            <ResettlementCard figures={d.resettlement} />
          </Card>
        </div>
      )}
      {may("report.export") && <BreakdownCard officeID={officeID} from={from} to={to} />}
      {may("batch.read") && <BatchesInProgress />}
    </section>
  );
}
