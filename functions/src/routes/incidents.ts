import { Incident } from "@waypoint/core/incident/index";
import { IncidentChanges, IncidentCreate, IncidentInfo, IncidentListQuery } from "@waypoint/schema/cases";
import { recordRoutes } from "./records.ts";

/** Protection incidents: always restricted (assigned staff and supervisors only; unknown to anyone else). */
export const incidentRoutes = recordRoutes({
  tag: "incident",
  id: "incidentID",
  item: IncidentInfo,
  create: IncidentCreate,
  changes: IncidentChanges,
  query: IncidentListQuery,
  list: (q) => Incident.list(q as never),
  get: (id) => Incident.get(id),
  createOne: (v) => Incident.create(v as never),
  createMany: (rows) => Incident.createMany(rows),
  bulkPatch: (rows) => Incident.bulkPatch(rows),
});
