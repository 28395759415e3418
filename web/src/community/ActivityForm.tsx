import { ActivityCreate, ActivityKindLabels, type ActivityInfo } from "@waypoint/schema";
import { z } from "zod";
import { api } from "../api/client.ts";
import { isoToParts } from "../components/DateInput.tsx";
import { RecordForm } from "../components/RecordForm.tsx";
import { instantOf, wallTime } from "../i18n/zone.ts";
import { COMMUNITY_LANGUAGES } from "./communityText.ts";
import { useAreas, useCT, useStaff } from "./parts.tsx";

/** What the form asks: the start as a date and a time in the operation's zone (sent as one instant). */
const FormShape = ActivityCreate.omit({ start: true }).extend({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  time: z.string().regex(/^\d{2}:\d{2}$/),
});

/** Records a session, or changes one (`activity`, at its version); the start is entered in the operation's zone. */
export function ActivityForm(props: {
  officeID: string | null;
  activity?: ActivityInfo;
  onDone: (id: string) => void;
  onCancel: () => void;
}) {
  const { c, language } = useCT();
  const a = props.activity;
  const local = a ? wallTime(a.start) : undefined;
  const staff = useStaff();
  const areas = useAreas();
  return (
    <RecordForm
      schema={FormShape}
      fixed={a ? { officeID: a.officeID } : props.officeID ? { officeID: props.officeID } : {}}
      initial={
        a && local
          ? {
              kind: a.kind,
              topic: a.topic,
              date: isoToParts(local.date),
              time: local.time,
              durationMinutes: a.durationMinutes !== undefined ? String(a.durationMinutes) : "",
              language: a.language,
              adm1: a.adm1 ?? "",
              venue: a.venue ?? "",
              facilitatorIDs: a.facilitatorIDs,
              otherFacilitators: a.otherFacilitators ?? "",
              notes: a.notes ?? "",
            }
          : undefined
      }
      fields={[
        ...(a || props.officeID ? [] : [{ field: "officeID", kind: "office" as const, label: c("act.office") }]),
        { field: "kind", kind: "enum", table: ActivityKindLabels, label: c("act.kind") },
        { field: "topic", kind: "text", label: c("act.topic") },
        { field: "date", kind: "date", label: c("act.date") },
        { field: "time", kind: "time", label: c("act.time"), hint: c("act.timeHint") },
        { field: "durationMinutes", kind: "number", label: c("act.duration") },
        {
          field: "language",
          kind: "select",
          label: c("act.language"),
          options: COMMUNITY_LANGUAGES.map((l) => ({ value: l, label: language(l) })),
        },
        {
          field: "adm1",
          kind: "select",
          label: c("act.area"),
          hint: c("act.areaHint"),
          options: areas.filter((a) => a.level === 1).map((a) => ({ value: a.pcode, label: a.name })),
        },
        { field: "venue", kind: "text", label: c("act.venue") },
        {
          field: "facilitatorIDs",
          kind: "codes",
          label: c("act.facilitators"),
          options: staff.map((s) => ({ value: s.userID, label: s.name })),
        },
        { field: "otherFacilitators", kind: "text", label: c("act.others") },
        { field: "notes", kind: "textarea", label: c("act.notes") },
      ]}
      fieldOfPath={(p) => (p === "start" ? "date" : undefined)}
      send={({ date, time, officeID, ...rest }) => {
        const start = instantOf(String(date), String(time));
        return a
          ? api<ActivityInfo>("PATCH", `/api/activities/${encodeURIComponent(a.activityID)}`, {
              version: a.version,
              changes: { facilitatorIDs: [], ...rest, start },
            })
          : api<ActivityInfo>("POST", "/api/activities", { ...rest, officeID, start });
      }}
      submitLabel={c("act.save")}
      onDone={(r) => props.onDone((r as ActivityInfo).activityID)}
      onCancel={props.onCancel}
    />
  );
}

