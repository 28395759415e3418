import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { useAsk } from "../components/Ask.tsx";
import { downloadFile, useMe, useOrganisations } from "../components/lookups.ts";
import { problemSentence } from "../components/RecordForm.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { privacyText, type PrivacyTextKey } from "./privacyText.ts";
import { purposeText, usePurpose, whyQuery } from "./PurposeDialog.tsx";

type Row = Record<string, unknown>;
const PURPOSES = ["registration", "sharing", "messages", "resettlement"] as const;
const HOWS = ["verbal", "written", "digital", "guardian"] as const;

/**
 * A person's data protection on their page: consent by purpose (record, withdraw), the sharing log (who received
 * their data, when, how) for those who read audit trails, and the subject-access file for those who may produce it.
 */
export function PrivacySections({ id, record }: { id: string; record: Row }) {
  const i18n = useI18n();
  const { lang, date, dateTime } = i18n;
  const tt = (k: PrivacyTextKey) => privacyText(lang, k);
  const { may, mayOn } = useMe();
  const orgs = useOrganisations(mayOn("individual.update", record));
  const orgName = (oid: unknown) => String(orgs.find((o) => o.organisationID === oid)?.name ?? "");
  const { dialog, ask } = useAsk();
  const { dialog: whyDialog, askPurpose } = usePurpose();
  const [consents, setConsents] = useState<Row[] | null>(null);
  const [sharing, setSharing] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const base = `/api/individuals/${encodeURIComponent(id)}`;
  const load = useCallback(() => {
    api<{ items: Row[] }>("GET", `${base}/consents`)
      .then((r) => setConsents(r.items))
      .catch(() => setConsents([]));
    if (may("audit.read"))
      api<{ items: Row[] }>("GET", `${base}/sharing`)
        .then((r) => setSharing(r.items))
        .catch(() => setSharing([]));
  }, [base]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(load, [load]);
  const canEdit = mayOn("individual.update", record);
  const today = new Date().toISOString().slice(0, 10);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      load();
    } catch (err) {
      setError(problemSentence(i18n, err));
    }
  };
  const target = (c: Row) =>
    c.organisationID
      ? orgName(c.organisationID) || tt("privacy.partner")
      : c.serviceCategory
        ? String(c.serviceCategory)
        : "";

  return (
    <>
      <section id="person-consents" className="related">
        <h3>{tt("privacy.consents")}</h3>
        {consents && consents.length === 0 && <p className="muted">{tt("privacy.noConsents")}</p>}
        {consents && consents.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{tt("privacy.purpose")}</th>
                <th>{tt("privacy.partner")}</th>
                <th>{tt("privacy.status")}</th>
                <th>{tt("privacy.date")}</th>
                <th>{tt("privacy.how")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {consents.map((c) => (
                <tr key={`${String(c.purpose)}-${String(c.organisationID ?? c.serviceCategory ?? "")}`}>
                  <td>{tt(`privacy.purpose.${String(c.purpose)}` as PrivacyTextKey)}</td>
                  <td>{target(c)}</td>
                  <td>{tt(`privacy.status.${String(c.status)}` as PrivacyTextKey)}</td>
                  <td>{date(String(c.status === "withdrawn" ? c.withdrawnOn : c.date))}</td>
                  <td>
                    {tt(
                      `privacy.how.${String(c.status === "withdrawn" ? c.withdrawnHow : c.how)}` as PrivacyTextKey,
                    )}
                  </td>
                  <td>
                    {canEdit && c.status === "given" && (
                      <button
                        onClick={async () => {
                          const on = await ask({
                            title: tt("privacy.withdrawTitle"),
                            label: tt("privacy.withdrawDate"),
                            submit: tt("privacy.withdraw"),
                            type: "date",
                          });
                          if (on)
                            await run(() =>
                              api("POST", `${base}/consents/withdraw`, {
                                purpose: c.purpose,
                                ...(c.organisationID ? { organisationID: c.organisationID } : {}),
                                ...(c.serviceCategory ? { serviceCategory: c.serviceCategory } : {}),
                                date: on,
                                how: "verbal",
                              }),
                            );
                        }}
                      >
                        {tt("privacy.withdraw")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canEdit && !adding && <button onClick={() => setAdding(true)}>{tt("privacy.record")}</button>}
        {canEdit && adding && (
          <form
            className="form"
            onSubmit={async (e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const purpose = String(f.get("purpose"));
              await run(() =>
                api("POST", `${base}/consents`, {
                  purpose,
                  ...(purpose === "sharing" ? { organisationID: String(f.get("organisationID")) } : {}),
                  date: String(f.get("date")),
                  how: String(f.get("how")),
                }),
              );
              setAdding(false);
            }}
          >
            <label>
              {tt("privacy.purpose")}
              <select name="purpose" defaultValue="sharing">
                {PURPOSES.map((p) => (
                  <option key={p} value={p}>
                    {tt(`privacy.purpose.${p}` as PrivacyTextKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {tt("privacy.partner")}
              <select name="organisationID">
                {orgs.map((o) => (
                  <option key={String(o.organisationID)} value={String(o.organisationID)}>
                    {String(o.name)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {tt("privacy.date")}
              <input type="date" name="date" defaultValue={today} required />
            </label>
            <label>
              {tt("privacy.how")}
              <select name="how" defaultValue="verbal">
                {HOWS.map((h) => (
                  <option key={h} value={h}>
                    {tt(`privacy.how.${h}` as PrivacyTextKey)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{tt("privacy.save")}</button>
            <button type="button" onClick={() => setAdding(false)}>
              {tt("privacy.cancel")}
            </button>
          </form>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>
      {may("audit.read") && sharing && (
        <section id="person-sharing" className="related">
          <h3>{tt("privacy.sharing")}</h3>
          {sharing.length === 0 ? (
            <p className="muted">{tt("privacy.noSharing")}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{tt("privacy.when")}</th>
                  <th>{tt("privacy.partner")}</th>
                  <th>{tt("privacy.what")}</th>
                  <th>{tt("privacy.why")}</th>
                </tr>
              </thead>
              <tbody>
                {sharing.map((s, n) => (
                  <tr key={n}>
                    <td>{dateTime(String(s.time))}</td>
                    <td>{String(s.organisationName ?? "")}</td>
                    <td>{tt(`privacy.channel.${String(s.channel)}` as PrivacyTextKey)}</td>
                    <td>{purposeText(lang, s.purpose, s.purposeOther)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {mayOn("individual.subjectAccess", record) && (
        <section id="person-subject-access" className="surface-actions">
          {(["pdf", "json"] as const).map((format) => (
            <button
              key={format}
              aria-haspopup="dialog"
              onClick={() =>
                run(async () => {
                  // what the file is for goes into the person's sharing log (their own request unless told otherwise)
                  const why = await askPurpose("subject_access");
                  if (!why) return;
                  await downloadFile(
                    `${base}/subject-access?format=${format}&${whyQuery(why)}`,
                    `subject-access-${String(record.registrationNumber ?? id)}.${format}`,
                  );
                })
              }
            >
              {tt(format === "pdf" ? "privacy.subjectAccess" : "privacy.subjectAccessJson")}
            </button>
          ))}
        </section>
      )}
      {dialog}
      {whyDialog}
    </>
  );
}
