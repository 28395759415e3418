import { useState, type ReactNode } from "react";
import {
  codeLabel,
  CodeOfConduct,
  CodeOfConductLabels,
  PlacementCreate,
  PlacementEnd,
  PlacementEndReasonLabels,
  PlacementReasonLabels,
  ProgrammeFileComplete,
  ProgrammeFileKindLabels,
  ProgrammeFileMaxBytes,
  VisitComplete,
  type Labels,
} from "@waypoint/schema";
import { z } from "zod";
import { api } from "../api/client.ts";
import { isoToParts } from "../components/DateInput.tsx";
import { downloadFile, recordName, useRecords } from "../components/lookups.ts";
import { Modal } from "../components/Modal.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { useRelated } from "../components/RelatedSection.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { navigate } from "../nav.ts";
import { hostingText, type HostingTextKey } from "./hostingText.ts";
import "./hosting.css";

export type Row = Record<string, unknown>;
export const today = () => new Date().toISOString().slice(0, 10);

/** The screen's words in the user's language. */
export function useHT() {
  const i18n = useI18n();
  const ht = (k: HostingTextKey, v?: Record<string, string | number>) => hostingText(i18n.lang, k, v);
  return { ...i18n, ht, label: (table: Record<string, Labels>, code: unknown) => codeLabel(table, String(code ?? ""), i18n.lang) };
}

/** A link inside the app (a host's or a return's page). */
export function Go(props: { to: string; children: ReactNode }) {
  return (
    <a
      href={props.to}
      onClick={(e) => {
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

/** People's names by ID (placements, returns): never the ID itself. */
export function usePeople(ids: string[]) {
  const found = useRecords("individuals", ids);
  return (id: unknown) => recordName("individuals", found.get(String(id))) ?? "…";
}

/** Place a person with a host: the person picked by name, the start, the planned end and why. */
export function PlaceDialog(props: { host: Row; officeID?: string; onDone: () => void; onClose: () => void }) {
  const { ht } = useHT();
  return (
    <Modal title={ht("h.placeWith", { host: String(props.host.name) })} onClose={props.onClose}>
      <RecordForm
        schema={PlacementCreate}
        path="/api/placements"
        fixed={{ hostID: props.host.hostID }}
        officeID={props.officeID ?? String(props.host.officeID ?? "")}
        initial={{ start: isoToParts(today()) }}
        fields={[
          { field: "individualID", kind: "ref", ref: "individuals", label: ht("h.person") },
          { field: "start", kind: "date", label: ht("h.start") },
          { field: "plannedEnd", kind: "date", label: ht("h.plannedEnd") },
          { field: "reason", kind: "enum", table: PlacementReasonLabels, label: ht("h.reason") },
        ]}
        submitLabel={ht("h.place")}
        onDone={props.onDone}
        onCancel={props.onClose}
      />
    </Modal>
  );
}

/** End a placement: the day the person left (not in the future) and why. */
export function EndDialog(props: { placement: Row; name: string; onDone: () => void; onClose: () => void }) {
  const { ht } = useHT();
  return (
    <Modal title={ht("h.endTitle", { name: props.name })} onClose={props.onClose}>
      <RecordForm
        schema={PlacementEnd}
        path={`/api/placements/${String(props.placement.placementID)}/end`}
        fixed={{ version: props.placement.version }}
        initial={{ end: isoToParts(today()) }}
        fields={[
          { field: "end", kind: "date" },
          { field: "endReason", kind: "enum", table: PlacementEndReasonLabels },
          { field: "note", kind: "textarea" },
        ]}
        submitLabel={ht("h.end")}
        onDone={props.onDone}
        onCancel={props.onClose}
      />
    </Modal>
  );
}

/**
 * Record a visit: the day, the findings, and the code-of-conduct items checked (every item for a compliance
 * check). Items not met go to the supervisor's queue.
 */
export function VisitDialog(props: { visit: Row; hostName: string; onDone: () => void; onClose: () => void }) {
  const { ht, label } = useHT();
  const compliance = props.visit.kind === "compliance";
  const choices = [
    { value: "met", label: ht("h.met") },
    { value: "not_met", label: ht("h.notMet") },
  ];
  return (
    <Modal title={ht("h.recordTitle", { host: props.hostName })} onClose={props.onClose} wide>
      <RecordForm
        schema={VisitComplete}
        path={`/api/host-visits/${String(props.visit.visitID)}/complete`}
        fixed={{ version: props.visit.version }}
        initial={{ date: isoToParts(today()), followUpNeeded: false }}
        intro={<p className="muted">{ht("h.toSupervisor")}</p>}
        fields={[
          { field: "date", kind: "date", label: ht("h.doneOn") },
          { field: "findings", kind: "textarea", label: ht("h.findings") },
          ...CodeOfConduct.map((item) => ({
            field: `cl.${item}`,
            kind: "select" as const,
            label: `${ht("h.checklist")}: ${label(CodeOfConductLabels, item)}`,
            options: choices,
            hint: compliance ? undefined : ht("h.notChecked"),
          })),
          { field: "followUpNeeded", kind: "bool", label: ht("h.followUp") },
        ]}
        transform={({ cl, ...rest }) => {
          const marks = (cl ?? {}) as Record<string, string>;
          const checklist = CodeOfConduct.filter((i) => marks[i]).map((item) => ({ item, met: marks[item] === "met" }));
          return { ...rest, ...(checklist.length ? { checklist } : {}) };
        }}
        fieldOfPath={(p) => {
          const m = /^checklist\.(\d+)/.exec(p);
          return m ? `cl.${CodeOfConduct[Number(m[1])] ?? CodeOfConduct[0]}` : undefined;
        }}
        submitLabel={ht("h.save")}
        onDone={props.onDone}
        onCancel={props.onClose}
      />
    </Modal>
  );
}

/** The code-of-conduct items a visit found not met, in the user's words. */
export function failedItems(v: Row, label: (t: Record<string, Labels>, c: unknown) => string): string[] {
  return ((v.checklist as { item: string; met: boolean }[] | undefined) ?? [])
    .filter((c) => !c.met)
    .map((c) => label(CodeOfConductLabels, c.item));
}

/** Sends a file to its upload link and records it on the host or return (`base`: `/api/hosts/<id>`). */
export async function uploadFile(base: string, file: File, kind: string, title: string): Promise<Row> {
  const contentType = file.type || "application/octet-stream";
  const link = await api<{ ticket: string; upload: { url: string; method: string; headers: Record<string, string> } }>(
    "POST",
    `${base}/files/uploads`,
    { fileName: file.name, contentType },
  );
  const res = await fetch(link.upload.url, { method: "PUT", headers: link.upload.headers, body: file });
  if (!res.ok) throw new Error(String(res.status));
  return api<Row>("POST", `${base}/files`, { ticket: link.ticket, kind, title });
}

const ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.doc,.docx,application/pdf,image/*";
const FileForm = ProgrammeFileComplete.omit({ ticket: true }).extend({ file: z.instanceof(File) });

/** Files kept on a host or a return: listed with kind and date, downloaded, added by those who may edit. */
export function FilesSection(props: { base: string; canAdd: boolean; defaultKind: string; id?: string }) {
  const { ht, label, dateTime } = useHT();
  const files = useRelated(`${props.base}/files`);
  const [adding, setAdding] = useState(false);
  return (
    <section className="card" aria-labelledby={props.id ?? "files"}>
      <h2 id={props.id ?? "files"}>{ht("h.files")}</h2>
      {files.items && files.items.length === 0 && <p className="muted">{ht("h.noFiles")}</p>}
      {files.items && files.items.length > 0 && (
        <table className="history">
          <thead>
            <tr>
              <th>{ht("h.fileTitle")}</th>
              <th>{ht("h.fileKind")}</th>
              <th>{ht("h.file")}</th>
              <th>{ht("h.when")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {files.items.map((f) => (
              <tr key={String(f.fileID)}>
                <td>{String(f.title)}</td>
                <td>{label(ProgrammeFileKindLabels, f.kind)}</td>
                <td>
                  {String(f.fileName)} · {ht("h.size", { kb: Math.max(1, Math.round(Number(f.size) / 1024)) })}
                </td>
                <td>{dateTime(String(f.timeCreated))}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => void downloadFile(`${props.base}/files/${String(f.fileID)}/content`, String(f.fileName))}
                  >
                    {ht("h.download")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canAdd && (
        <button aria-haspopup="dialog" type="button" onClick={() => setAdding(true)}>
          {ht("h.upload")}
        </button>
      )}
      {adding && (
        <Modal title={ht("h.upload")} onClose={() => setAdding(false)}>
          <RecordForm
            schema={FileForm}
            initial={{ kind: props.defaultKind }}
            fields={[
              { field: "file", kind: "file", accept: ACCEPT, maxBytes: ProgrammeFileMaxBytes, label: ht("h.file") },
              { field: "kind", kind: "enum", table: ProgrammeFileKindLabels, label: ht("h.fileKind") },
              { field: "title", kind: "text", label: ht("h.fileTitle") },
            ]}
            send={({ file, kind, title }) => uploadFile(props.base, file as File, String(kind), String(title))}
            submitLabel={ht("h.upload")}
            onDone={() => {
              setAdding(false);
              files.reload();
            }}
            onCancel={() => setAdding(false)}
          />
        </Modal>
      )}
    </section>
  );
}
