import { useState } from "react";
import {
  QuotaCreate,
  ResettlementProgrammeLabels,
  ResettlementProgrammes,
  codeLabel,
  type QuotaProgressRow,
} from "@waypoint/schema";
import { useMe } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { RESETTLEMENT_COUNTRIES, countryName } from "./rstText.ts";
import { useResource, useRst } from "./shared.tsx";
import "./resettlement.css";

/** Departed people as a bar against the quota, with the share in words. */
export function QuotaBar(props: { departed: number; quota?: number | null; label: string }) {
  const share = props.quota ? Math.min(1, props.departed / props.quota) : 0;
  return (
    <div className="quota-bar" title={props.label}>
      <div className="quota-track" aria-hidden>
        <div className="quota-fill" style={{ inlineSize: `${Math.round(share * 100)}%` }} />
      </div>
      <span className="small">{props.label}</span>
    </div>
  );
}

/**
 * Quotas and targets per programme, country and year, with the cases and people at each stage (in preparation,
 * submitted, accepted, rejected, deferred, departed) and the share of the quota that has departed. Operation-wide
 * roles set quotas here.
 */
export function QuotasPage() {
  const i18n = useRst();
  const { r, lang } = i18n;
  const { me } = useMe();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [programme, setProgramme] = useState("");
  const [setting, setSetting] = useState(false);
  const q = `/api/quotas/progress?year=${year}${programme ? `&programme=${programme}` : ""}`;
  const progress = useResource<{ items: QuotaProgressRow[] }>(q);
  // quotas are agreed for the whole operation: only operation-wide roles set them (core checks it again)
  const maySet = me?.scopes?.["programme.update"] === "operation" || (!me?.scopes && me?.role === "admin");
  const counts = (c: { cases: number; individuals: number }) =>
    r("quotas.counts", { cases: c.cases, people: c.individuals });
  const rows = progress.data?.items ?? null;
  return (
    <section className="page rst-quotas" aria-labelledby="page-title">
      <h1 id="page-title">{r("quotas.title")}</h1>
      <div className="filters">
        <label>
          {r("quotas.year")}{" "}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {[thisYear - 2, thisYear - 1, thisYear, thisYear + 1].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {r("quotas.programme")}{" "}
          <select value={programme} onChange={(e) => setProgramme(e.target.value)}>
            <option value="">{r("quotas.all")}</option>
            {ResettlementProgrammes.map((p) => (
              <option key={p} value={p}>
                {codeLabel(ResettlementProgrammeLabels, p, lang)}
              </option>
            ))}
          </select>
        </label>{" "}
        {maySet && (
          <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setSetting(true)}>
            {r("quotas.set")}
          </button>
        )}
      </div>
      {progress.error && (
        <p role="alert" className="error">
          {progress.error}
        </p>
      )}
      {rows && rows.length === 0 && <p className="muted">{r("quotas.none")}</p>}
      {rows && rows.length > 0 && (
        <table className="plain quotas">
          <thead>
            <tr>
              <th scope="col">{r("quotas.programme")}</th>
              <th scope="col">{r("quotas.country")}</th>
              <th scope="col">{r("quotas.quota")}</th>
              <th scope="col">{r("quotas.targetCases")}</th>
              <th scope="col">{r("quotas.targetPeople")}</th>
              <th scope="col">{r("quotas.pipeline")}</th>
              <th scope="col">{r("quotas.submitted")}</th>
              <th scope="col">{r("quotas.accepted")}</th>
              <th scope="col">{r("quotas.rejected")}</th>
              <th scope="col">{r("quotas.deferred")}</th>
              <th scope="col">{r("quotas.departed")}</th>
              <th scope="col">{r("quotas.progress")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={`${x.programme}-${x.country}`} data-country={x.country} data-programme={x.programme}>
                <td>{codeLabel(ResettlementProgrammeLabels, x.programme, lang)}</td>
                <th scope="row">{countryName(lang, x.country)}</th>
                <td>{x.quotaIndividuals !== undefined ? i18n.number(x.quotaIndividuals) : "—"}</td>
                <td>{x.targetCases !== undefined ? i18n.number(x.targetCases) : "—"}</td>
                <td>{x.targetIndividuals !== undefined ? i18n.number(x.targetIndividuals) : "—"}</td>
                <td>{counts(x.pipeline)}</td>
                <td className="submitted">{counts(x.submitted)}</td>
                <td className="accepted">{counts(x.accepted)}</td>
                <td>{counts(x.rejected)}</td>
                <td>{counts(x.deferred)}</td>
                <td className="departed">{counts(x.departed)}</td>
                <td>
                  <QuotaBar
                    departed={x.departed.individuals}
                    quota={x.quotaIndividuals}
                    label={
                      x.quotaUsed !== undefined
                        ? r("quotas.used", { n: Math.round(x.quotaUsed * 1000) / 10 })
                        : r("quotas.noQuota")
                    }
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {setting && (
        <Modal title={r("quotas.setTitle")} onClose={() => setSetting(false)}>
          <RecordForm
            schema={QuotaCreate}
            method="PUT"
            path="/api/quotas"
            fixed={{ year }}
            initial={{ programme: programme || "rst" }}
            fields={[
              {
                field: "programme",
                kind: "select",
                label: r("quotas.programme"),
                options: ResettlementProgrammes.map((p) => ({
                  value: p,
                  label: codeLabel(ResettlementProgrammeLabels, p, lang),
                })),
              },
              {
                field: "country",
                kind: "select",
                label: r("quotas.country"),
                options: RESETTLEMENT_COUNTRIES.map((c) => ({ value: c, label: countryName(lang, c) })),
              },
              { field: "quotaIndividuals", kind: "number", label: r("quotas.quota") },
              { field: "targetCases", kind: "number", label: r("quotas.targetCases") },
              { field: "targetIndividuals", kind: "number", label: r("quotas.targetPeople") },
              { field: "notes", kind: "textarea", label: r("quotas.notes") },
            ]}
            submitLabel={r("qa.send")}
            onCancel={() => setSetting(false)}
            onDone={() => {
              setSetting(false);
              progress.reload();
            }}
          />
        </Modal>
      )}
    </section>
  );
}
