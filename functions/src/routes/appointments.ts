import { Appointment } from "@waypoint/core/appointment/index";
import {
  AppointmentChanges,
  AppointmentCreate,
  AppointmentInfo,
  AppointmentListQuery,
} from "@waypoint/schema/appointments";
import { recordRoutes } from "./records.ts";

/** Booking is POST (slot claims make double-booking impossible); rescheduling and cancelling are PATCH rows. */
export const appointmentRoutes = recordRoutes({
  tag: "appointment",
  id: "appointmentID",
  item: AppointmentInfo,
  create: AppointmentCreate,
  changes: AppointmentChanges,
  query: AppointmentListQuery,
  list: (q) => Appointment.list(q as never),
  get: (id) => Appointment.get(id),
  createOne: (v) => Appointment.create(v as never),
  createMany: (rows) => Appointment.createMany(rows),
  bulkPatch: (rows) => Appointment.bulkPatch(rows),
});
