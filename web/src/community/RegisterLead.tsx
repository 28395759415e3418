import { useState } from "react";
import { IndividualCreate, SexLabels, type DuplicateCandidate } from "@waypoint/schema";
import { z } from "zod";
import { ApiError, api } from "../api/client.ts";
import { isoToParts } from "../components/DateInput.tsx";
import { useMe } from "../components/lookups.ts";
import { RecordForm } from "../components/RecordForm.tsx";
import { useCT, type Row } from "./parts.tsx";

const Shape = z.object({ person: IndividualCreate });
type Result = { individualID: string };

/**
 * Registers the person of an interest-form request: the request's answers prefilled, completed by the caseworker,
 * saved through the registry's duplicate check. When the check finds them, the request is linked to the person
 * found, or registered anyway with a reason by those who may.
 */
export function RegisterLead(props: { lead: Row; officeID: string | null; onDone: () => void; onCancel: () => void }) {
  const { c, date, problem } = useCT();
  const { may } = useMe();
  const l = props.lead;
  const [dups, setDups] = useState<{ body: Row; candidates: DuplicateCandidate[] } | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const register = (body: Row) =>
    api<Result>("POST", `/api/enquiries/leads/${encodeURIComponent(String(l.leadID))}/register`, {
      version: l.version,
      ...body,
    });
  const finish = (p: Promise<Result>) =>
    p.then(props.onDone).catch((e: unknown) => setError(problem(e)));
  return (
    <>
      <RecordForm
        schema={Shape}
        intro={<p className="muted">{c("enq.registerIntro")}</p>}
        initial={{
          "person.givenName": l.givenName ?? "",
          "person.familyName": l.familyName ?? "",
          "person.sex": l.sex ?? "",
          "person.dateOfBirth": l.dateOfBirth ? isoToParts(String(l.dateOfBirth)) : undefined,
          "person.estimatedAge": l.estimatedAge !== undefined ? String(l.estimatedAge) : "",
          "person.phone": l.phone ?? "",
          "person.nationality": l.nationality ?? "",
        }}
        fixed={props.officeID ? { "person.officeID": props.officeID } : {}}
        fields={[
          ...(props.officeID ? [] : [{ field: "person.officeID", kind: "office" as const, label: c("enq.office") }]),
          { field: "person.givenName", kind: "text", label: c("enq.given") },
          { field: "person.familyName", kind: "text", label: c("enq.family") },
          { field: "person.sex", kind: "enum", table: SexLabels, label: c("enq.sex") },
          { field: "person.dateOfBirth", kind: "date", label: c("enq.dob") },
          { field: "person.estimatedAge", kind: "number", label: c("enq.age") },
          { field: "person.nationality", kind: "text", label: c("enq.nationality"), hint: c("enq.nationalityHint") },
          { field: "person.phone", kind: "text", label: c("enq.phone") },
        ]}
        transform={(body) => {
          const person = (body.person ?? {}) as Row;
          const n = person.nationality;
          return { ...body, person: { ...person, ...(typeof n === "string" ? { nationality: n.toUpperCase() } : {}) } };
        }}
        send={async (body) => {
          try {
            return await register(body);
          } catch (e) {
            const found = e instanceof ApiError && e.status === 409 ? (e.problem.current as Row | undefined)?.candidates : undefined;
            if (Array.isArray(found)) setDups({ body, candidates: found as DuplicateCandidate[] });
            throw e;
          }
        }}
        submitLabel={c("enq.registerSave")}
        onDone={props.onDone}
        onCancel={props.onCancel}
      />
      {dups && (
        <section className="card" aria-labelledby="dup-title">
          <h3 id="dup-title">{c("enq.dupTitle")}</h3>
          <p className="muted">{c("enq.dupIntro")}</p>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <ul>
            {dups.candidates.map((d) => (
              <li key={d.individualID}>
                <strong>{[d.givenName, d.familyName].filter(Boolean).join(" ") || d.registrationNumber}</strong>
                <span className="muted">
                  {" "}
                  · {d.registrationNumber}
                  {d.dateOfBirth ? ` · ${date(d.dateOfBirth)}` : ""}
                </span>{" "}
                <button type="button" onClick={() => void finish(register({ individualID: d.individualID }))}>
                  {c("enq.linkThis")}
                </button>
              </li>
            ))}
          </ul>
          {may("duplicate.override") && (
            <div className="inline-form">
              <label>
                {c("enq.override")}
                <input value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <button
                type="button"
                disabled={reason.trim().length < 5}
                onClick={() => void finish(register({ ...dups.body, overrideDuplicates: { reason: reason.trim() } }))}
              >
                {c("enq.registerAnyway")}
              </button>
            </div>
          )}
        </section>
      )}
    </>
  );
}
