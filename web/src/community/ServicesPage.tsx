import { useEffect, useState, type ReactNode } from "react";
import { ServiceCategoryLabels, ServiceCreate, type ServiceInfo } from "@waypoint/schema";
import { api } from "../api/client.ts";
import { useMe, useOrganisations } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { COMMUNITY_LANGUAGES } from "./communityText.ts";
import { useAreas, useCT, useGet } from "./parts.tsx";

/** The service directory: searched by words, category, area and language; edited by those who manage it. */
export function ServicesPage() {
  const { c, label } = useCT();
  const { may } = useMe();
  const areas = useAreas();
  const [q, setQ] = useState("");
  const [typed, setTyped] = useState("");
  const [category, setCategory] = useState("");
  const [area, setArea] = useState("");
  const [lang, setLang] = useState("");
  const [editing, setEditing] = useState<ServiceInfo | "new" | null>(null);
  useEffect(() => {
    const t = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(t);
  }, [typed]);
  const qs = new URLSearchParams();
  if (q) qs.set("q", q);
  if (category) qs.set("category", category);
  if (area) qs.set("area", area);
  if (lang) qs.set("language", lang);
  if (may("service.manage")) qs.set("includeInactive", "true");
  const list = useGet<{ items: ServiceInfo[] }>(`/api/services?${qs.toString()}`);
  const { language } = useCT();
  return (
    <section className="page community" aria-labelledby="page-title">
      <h1 id="page-title">{c("svc.title")}</h1>
      <p className="muted">{c("svc.intro")}</p>
      <div className="filters">
        <label>
          {c("svc.search")}{" "}
          <input type="search" value={typed} placeholder={c("svc.searchHint")} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <label>
          {c("svc.category")}{" "}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{c("svc.any")}</option>
            {Object.keys(ServiceCategoryLabels).map((k) => (
              <option key={k} value={k}>
                {label(ServiceCategoryLabels, k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {c("svc.area")}{" "}
          <select value={area} onChange={(e) => setArea(e.target.value)}>
            <option value="">{c("svc.any")}</option>
            {areas.map((a) => (
              <option key={a.pcode} value={a.pcode}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {c("svc.language")}{" "}
          <select value={lang} onChange={(e) => setLang(e.target.value)}>
            <option value="">{c("svc.any")}</option>
            {COMMUNITY_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {language(l)}
              </option>
            ))}
          </select>
        </label>
        {may("service.manage") && (
          <button aria-haspopup="dialog" type="button" className="primary" onClick={() => setEditing("new")}>
            {c("svc.add")}
          </button>
        )}
      </div>
      {list.data && list.data.items.length === 0 && <p className="muted">{c("svc.none")}</p>}
      {list.data && list.data.items.length > 0 && (
        <ServiceTable items={list.data.items} onEdit={may("service.manage") ? setEditing : undefined} />
      )}
      {editing && (
        <Modal title={c(editing === "new" ? "svc.add" : "svc.editTitle")} onClose={() => setEditing(null)} wide>
          <ServiceForm
            service={editing === "new" ? undefined : editing}
            onDone={() => {
              setEditing(null);
              list.reload();
            }}
            onCancel={() => setEditing(null)}
          />
        </Modal>
      )}
    </section>
  );
}

/** Services as a table: what, who provides it, where, languages, for whom, how to reach it. */
export function ServiceTable(props: {
  items: ServiceInfo[];
  onEdit?: (s: ServiceInfo) => void;
  action?: (s: ServiceInfo) => ReactNode;
}) {
  const { c, label, language } = useCT();
  const areas = useAreas();
  const areaName = (p: string) => areas.find((a) => a.pcode === p)?.name ?? p;
  return (
    <table className="plain" aria-label={c("svc.title")}>
      <thead>
        <tr>
          <th scope="col">{c("svc.name")}</th>
          <th scope="col">{c("svc.category")}</th>
          <th scope="col">{c("svc.provider")}</th>
          <th scope="col">{c("svc.areas")}</th>
          <th scope="col">{c("svc.languages")}</th>
          <th scope="col">{c("svc.eligibility")}</th>
          <th scope="col">{c("svc.contact")}</th>
          {(props.onEdit || props.action) && (
            <th scope="col">
              <span className="sr-only">{c("svc.edit")}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {props.items.map((s) => (
          <tr key={s.serviceID}>
            <td>
              {s.name}
              {s.active === false && <span className="badge warning"> {c("svc.inactive")}</span>}
            </td>
            <td>{label(ServiceCategoryLabels, s.category)}</td>
            <td>{s.providerName}</td>
            <td>{s.areas.length ? s.areas.map(areaName).join(", ") : c("svc.wholeOperation")}</td>
            <td>{s.languages.map(language).join(", ")}</td>
            <td>{s.eligibility}</td>
            <td>{[s.contactPhone, s.contactEmail, s.address, s.openingHours].filter(Boolean).join(" · ")}</td>
            {(props.onEdit || props.action) && (
              <td>
                {props.onEdit && (
                  <button type="button" className="link" onClick={() => props.onEdit!(s)}>
                    {c("svc.edit")}
                  </button>
                )}
                {props.action?.(s)}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ServiceForm(props: { service?: ServiceInfo; onDone: () => void; onCancel: () => void }) {
  const { c, language } = useCT();
  const orgs = useOrganisations();
  const areas = useAreas();
  const s = props.service;
  return (
    <RecordForm
      schema={ServiceCreate}
      initial={
        s
          ? {
              name: s.name,
              category: s.category,
              providerName: s.providerName,
              organisationID: s.organisationID ?? "",
              areas: s.areas,
              languages: s.languages,
              eligibility: s.eligibility ?? "",
              description: s.description ?? "",
              contactPhone: s.contactPhone ?? "",
              contactEmail: s.contactEmail ?? "",
              address: s.address ?? "",
              openingHours: s.openingHours ?? "",
              active: s.active !== false,
            }
          : { active: true }
      }
      fields={[
        { field: "name", kind: "text", label: c("svc.name") },
        { field: "category", kind: "enum", table: ServiceCategoryLabels, label: c("svc.category") },
        { field: "providerName", kind: "text", label: c("svc.provider") },
        {
          field: "organisationID",
          kind: "select",
          label: c("svc.partner"),
          hint: c("svc.partnerHint"),
          options: orgs.map((o) => ({ value: String(o.organisationID), label: String(o.name) })),
        },
        {
          field: "areas",
          kind: "codes",
          label: c("svc.areas"),
          hint: c("svc.areasHint"),
          options: areas.filter((a) => a.level === 1).map((a) => ({ value: a.pcode, label: a.name })),
        },
        {
          field: "languages",
          kind: "codes",
          label: c("svc.languages"),
          options: COMMUNITY_LANGUAGES.map((l) => ({ value: l, label: language(l) })),
        },
        { field: "eligibility", kind: "textarea", label: c("svc.eligibility") },
        { field: "description", kind: "textarea", label: c("svc.description") },
        { field: "contactPhone", kind: "text", label: c("svc.contactPhone") },
        { field: "contactEmail", kind: "text", label: c("svc.contactEmail") },
        { field: "address", kind: "text", label: c("svc.address") },
        { field: "openingHours", kind: "text", label: c("svc.hours") },
        { field: "active", kind: "bool", label: c("svc.active") },
      ]}
      send={(body) =>
        s
          ? api("PATCH", `/api/services/${encodeURIComponent(s.serviceID)}`, {
              version: s.version,
              changes: { areas: [], languages: [], ...body },
            })
          : api("POST", "/api/services", body)
      }
      submitLabel={c("svc.save")}
      onDone={props.onDone}
      onCancel={props.onCancel}
    />
  );
}
