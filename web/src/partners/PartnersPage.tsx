import { useEffect, useState } from "react";
import {
  OrganisationKinds,
  ServiceCategories,
  ServiceCategoryLabels,
  codeLabel,
  type OrganisationSummary,
} from "@waypoint/schema";
import { ApiError, api, type Session } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { OrganisationPage } from "./OrganisationPage.tsx";
import { partnerText } from "./partnerText.ts";
import "./partners.css";

/**
 * Partner administration: the operation's partner organisations and a form to add one; `/partners/<id>` opens an
 * organisation's page (keys, data-sharing agreement, webhook, Kobo forms).
 */
export function PartnersPage(props: { session: Session; id?: string }) {
  if (props.id) return <OrganisationPage key={props.id} session={props.session} organisationID={props.id} />;
  return <PartnerList />;
}

function PartnerList() {
  const { lang, t } = useI18n();
  const tx = (k: Parameters<typeof partnerText>[1], v?: Record<string, string | number>) =>
    partnerText(lang, k, v);
  const [items, setItems] = useState<OrganisationSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<(typeof OrganisationKinds)[number]>("ngo");
  const [services, setServices] = useState<string[]>([]);
  const [nameError, setNameError] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ items: OrganisationSummary[] }>("GET", "/api/organisations")
      .then((r) => setItems(r.items))
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);

  const create = async () => {
    if (!name.trim()) return setNameError(true);
    setBusy(true);
    setError(null);
    try {
      const org = await api<{ organisationID: string }>("POST", "/api/organisations", {
        name: name.trim(),
        kind,
        services,
      });
      navigate(`/partners/${org.organisationID}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page partners" aria-labelledby="page-title">
      <h1 id="page-title">{tx("title")}</h1>
      <p className="muted">{tx("intro")}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items && items.length === 0 && <p className="muted">{tx("empty")}</p>}
      {items && items.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{tx("name")}</th>
              <th scope="col">{tx("kind")}</th>
              <th scope="col">{tx("services")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr key={o.organisationID}>
                <td>
                  <a
                    href={`/partners/${o.organisationID}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/partners/${o.organisationID}`);
                    }}
                  >
                    {o.name}
                  </a>
                </td>
                <td>{tx(`kind.${o.kind}`)}</td>
                <td>
                  {o.services
                    .map((s) =>
                      codeLabel(ServiceCategoryLabels, s as keyof typeof ServiceCategoryLabels, lang),
                    )
                    .join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="form card partner-new"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h2>{tx("new")}</h2>
        <label>
          {tx("name")}
          <input
            value={name}
            aria-invalid={nameError || undefined}
            onChange={(e) => (setName(e.target.value), setNameError(false))}
          />
        </label>
        {nameError && (
          <p role="alert" className="error">
            {t("ask.required")}
          </p>
        )}
        <label>
          {tx("kind")}
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            {OrganisationKinds.map((k) => (
              <option key={k} value={k}>
                {tx(`kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="checks">
          <legend>{tx("services")}</legend>
          {ServiceCategories.map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                checked={services.includes(s)}
                onChange={(e) =>
                  setServices(e.target.checked ? [...services, s] : services.filter((x) => x !== s))
                }
              />{" "}
              {codeLabel(ServiceCategoryLabels, s, lang)}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {tx("create")}
          </button>
        </div>
      </form>
    </section>
  );
}
