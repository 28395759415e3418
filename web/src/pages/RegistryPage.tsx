import { useEffect, useMemo, useState } from "react";
import { api, onUserChange, type Session } from "../api/client.ts";
import { gridRights, may, type Resource } from "../domains/resources.ts";
import { datasetFor } from "../grid/dataset.ts";
import { EditableGrid } from "../grid/EditableGrid.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import type { Office } from "./Shell.tsx";

const householdNumbers = new Map<string, string>();
onUserChange(() => householdNumbers.clear());

export function RegistryPage(props: {
  resource: Resource;
  session: Session;
  offices: Office[];
  officeID: string | null;
}) {
  const { t } = useI18n();
  const ds = datasetFor(props.session.me, props.resource);
  useEffect(() => ds.prefetch(), [ds]);
  const [households, setHouseholds] = useState(householdNumbers);
  const offices = useMemo(() => new Map(props.offices.map((o) => [o.officeID, o.name])), [props.offices]);
  const defaultOffice = props.officeID ?? props.session.me.officeIDs[0] ?? props.offices[0]?.officeID;
  const defaults = useMemo(
    () =>
      props.resource.officeField && defaultOffice ? { [props.resource.officeField]: defaultOffice } : {},
    [props.resource, defaultOffice],
  );
  useEffect(() => {
    if (householdNumbers.size > 0) return;
    ds.firstPage
      .then(() =>
        api<{ items: { householdID: string; registrationNumber: string }[] }>(
          "GET",
          "/api/households?limit=1000",
        ),
      )
      .then((r) => {
        for (const h of r.items) householdNumbers.set(h.householdID, h.registrationNumber);
        setHouseholds(new Map(householdNumbers));
      })
      .catch(() => undefined);
  }, [ds]);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t(props.resource.nav)}</h1>
      {props.resource.intro && <props.resource.intro />}
      <EditableGrid
        key={props.resource.key}
        ds={ds}
        userID={props.session.me.userID}
        offices={offices}
        officeID={props.officeID}
        households={households}
        defaults={defaults}
        canOverrideDuplicates={may(props.session.me, "duplicate.override")}
        rights={gridRights(props.session.me, props.resource)}
      />
    </section>
  );
}
