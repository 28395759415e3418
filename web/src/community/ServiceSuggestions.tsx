import { useCallback, useMemo, useState } from "react";
import type { ServiceInfo } from "@waypoint/schema";
import { useMe } from "../components/lookups.ts";
import { useCT, useGet } from "./parts.tsx";

type Setter = { current?: (values: Record<string, unknown>) => void };

/**
 * The directory's services that fit a case, beside its referral form: those reaching the case's area, of the
 * category chosen in the form. "Refer to this service" fills in the form's partner and category.
 */
export function useServiceChoice(caseID: string) {
  const { may } = useMe();
  const control = useMemo<Setter>(() => ({}), []);
  const [category, setCategory] = useState<string | undefined>();
  const onValues = useCallback((v: Record<string, unknown>) => setCategory((v.serviceCategory as string) || undefined), []);
  if (!may("service.read")) return {};
  return {
    control,
    onValues,
    intro: (
      <ServiceSuggestions
        caseID={caseID}
        category={category}
        onUse={(s) => control.current?.({ serviceCategory: s.category, toOrganisationID: s.organisationID ?? "" })}
      />
    ),
  };
}

function ServiceSuggestions(props: { caseID: string; category?: string; onUse: (s: ServiceInfo) => void }) {
  const { c, language } = useCT();
  const [used, setUsed] = useState<string | null>(null);
  const qs = new URLSearchParams({ caseID: props.caseID });
  if (props.category) qs.set("category", props.category);
  const list = useGet<{ items: ServiceInfo[] }>(`/api/services?${qs.toString()}`);
  const items = (list.data?.items ?? []).slice(0, 6);
  return (
    <section className="service-fit" aria-labelledby="service-fit">
      <h3 id="service-fit">{c("svc.fit")}</h3>
      <p className="muted small">{c("svc.fitIntro")}</p>
      {list.data && items.length === 0 && <p className="muted small">{c("svc.fitNone")}</p>}
      {items.length > 0 && (
        <ul>
          {items.map((s) => (
            <li key={s.serviceID}>
              <strong>{s.name}</strong>
              <span className="muted">
                {" "}
                · {s.providerName}
                {s.languages.length ? ` · ${s.languages.map(language).join(", ")}` : ""}
                {s.eligibility ? ` · ${s.eligibility}` : ""}
              </span>{" "}
              <button
                type="button"
                className="link"
                onClick={() => {
                  props.onUse(s);
                  setUsed(s.name);
                }}
              >
                {c("svc.use")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {used && (
        <p role="status" className="notice">
          {c("svc.used", { name: used })}
        </p>
      )}
    </section>
  );
}
