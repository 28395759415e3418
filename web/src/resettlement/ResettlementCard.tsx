import type { Dashboard } from "@waypoint/schema";
import { QuotaBar } from "./QuotasPage.tsx";
import { countryName } from "./rstText.ts";
import { Go, useRst } from "./shared.tsx";
import "./resettlement.css";

/**
 * The dashboard's resettlement card: per resettlement country, people submitted, accepted, rejected and
 * departed this year against the quota. Opens the quotas screen.
 */
export function ResettlementCard({ figures }: { figures: Dashboard["resettlement"] }) {
  const i18n = useRst();
  const { r, lang } = i18n;
  if (!figures.available) return <p className="muted">{r("dash.unavailable")}</p>;
  const countries = [...new Set(figures.rows.map((x) => x.country))];
  if (countries.length === 0) return <p className="muted">{r("dash.none")}</p>;
  const value = (country: string, stage: string) =>
    figures.rows.find((x) => x.country === country && x.stage === stage)?.value ?? 0;
  return (
    <table className="mini rst-dashboard">
      <thead>
        <tr>
          <th scope="col">{r("quotas.country")}</th>
          <th scope="col">{r("quotas.submitted")}</th>
          <th scope="col">{r("quotas.accepted")}</th>
          <th scope="col">{r("quotas.rejected")}</th>
          <th scope="col">{r("quotas.departed")}</th>
          <th scope="col">{r("quotas.progress")}</th>
        </tr>
      </thead>
      <tbody>
        {countries.map((c) => {
          const quota = figures.rows.find((x) => x.country === c)?.quota ?? null;
          const departed = value(c, "departed");
          return (
            <tr key={c} data-country={c}>
              <th scope="row">
                <Go to="/quotas">{countryName(lang, c)}</Go>
              </th>
              <td>{i18n.number(value(c, "submitted"))}</td>
              <td>{i18n.number(value(c, "accepted"))}</td>
              <td>{i18n.number(value(c, "rejected"))}</td>
              <td className="departed">{i18n.number(departed)}</td>
              <td>
                <QuotaBar
                  departed={departed}
                  quota={quota}
                  label={quota ? r("dash.of", { departed, quota }) : r("dash.noQuota", { departed })}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
