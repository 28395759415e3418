import { z } from "zod";
import { ConfiguredValues } from "./fields.ts";
import { IsoDateTime, LanguageCode, RecordMeta } from "./common.ts";
import { RefID } from "./cases.ts";

const { case: CaseID, individual: IndividualID, office: OfficeID, user: UserID } = RefID;
import { type Labels, label } from "./codes.ts";

export const AppointmentKinds = ["interview", "counselling", "briefing", "selection_mission"] as const;
export const AppointmentKind = z.enum(AppointmentKinds);
export type AppointmentKind = z.infer<typeof AppointmentKind>;
export const AppointmentKindLabels: Record<AppointmentKind, Labels> = {
  interview: label("Interview", "Entrevista", "Entretien", "مقابلة"),
  counselling: label("Counselling", "Consejería", "Conseil", "إرشاد"),
  briefing: label("Briefing", "Sesión informativa", "Séance d'information", "إحاطة"),
  selection_mission: label("Selection mission", "Misión de selección", "Mission de sélection", "بعثة اختيار"),
};

export const AppointmentStatuses = ["booked", "completed", "no_show", "cancelled"] as const;
export const AppointmentStatus = z.enum(AppointmentStatuses);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;
export const AppointmentStatusLabels: Record<AppointmentStatus, Labels> = {
  booked: label("Booked", "Agendada", "Réservé", "محجوز"),
  completed: label("Completed", "Realizada", "Terminé", "مكتمل"),
  no_show: label("No-show", "No se presentó", "Absent", "لم يحضر"),
  cancelled: label("Cancelled", "Cancelada", "Annulé", "ملغى"),
};

/** Bookings are made on a 15-minute grid; a booking holds every slot it covers (at most 4 hours). */
export const SLOT_MINUTES = 15;
export const MAX_APPOINTMENT_MINUTES = 240;

const onGrid = (s: string) => {
  const d = new Date(s);
  return d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0 && d.getUTCMinutes() % SLOT_MINUTES === 0;
};
const Slot = IsoDateTime.refine(onGrid, `must start on a ${SLOT_MINUTES}-minute boundary`);

const slotRange = <T extends z.ZodType<{ start?: string; end?: string }>>(s: T) =>
  s.superRefine((v, ctx) => {
    if (!v.start || !v.end) return;
    const mins = (Date.parse(v.end) - Date.parse(v.start)) / 60000;
    if (mins <= 0) ctx.addIssue({ code: "custom", path: ["end"], message: "must be after start" });
    else if (mins > MAX_APPOINTMENT_MINUTES)
      ctx.addIssue({
        code: "custom",
        path: ["end"],
        message: `an appointment lasts at most ${MAX_APPOINTMENT_MINUTES} minutes`,
      });
  });

export const AppointmentCreate = slotRange(
  z.object({
    officeID: OfficeID,
    kind: AppointmentKind,
    caseID: CaseID.optional(),
    room: z.string().min(1).max(50),
    start: Slot,
    end: Slot,
    participants: z.array(IndividualID).max(30).default([]),
    staffIDs: z.array(UserID).max(10).default([]),
    interpreterLanguage: LanguageCode.optional(),
    interpreterID: UserID.optional(),
    notes: z.string().max(2000).optional(),
    /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
    fields: ConfiguredValues.optional(),
  }),
);
export type AppointmentCreate = z.input<typeof AppointmentCreate>;

export const AppointmentChanges = slotRange(
  z
    .object({
      kind: AppointmentKind,
      room: z.string().min(1).max(50),
      start: Slot,
      end: Slot,
      participants: z.array(IndividualID).max(30),
      staffIDs: z.array(UserID).max(10),
      interpreterLanguage: LanguageCode.nullable(),
      interpreterID: UserID.nullable(),
      status: AppointmentStatus,
      notes: z.string().max(2000).nullable(),
      /** Configured values to change, merged per key (`null` clears one). */
      fields: ConfiguredValues,
    })
    .partial()
    .strict(),
);
export type AppointmentChanges = z.infer<typeof AppointmentChanges>;

export const AppointmentInfo = z.object({
  appointmentID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  kind: AppointmentKind,
  caseID: z.string().optional(),
  room: z.string(),
  start: z.string(),
  end: z.string(),
  participants: z.array(z.string()),
  staffIDs: z.array(z.string()),
  interpreterLanguage: z.string().optional(),
  interpreterID: z.string().optional(),
  status: AppointmentStatus,
  notes: z.string().optional(),
  restricted: z.boolean(),
  fields: ConfiguredValues.optional(),
  /** Configured fields withheld from the reader (`fields.<key>`). */
  redacted: z.array(z.string()).optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type AppointmentInfo = z.infer<typeof AppointmentInfo>;

export const AppointmentListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  /** One calendar day (YYYY-MM-DD) of an office's or an interpreter's agenda, in the operation's time zone. */
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  interpreterID: z.string().optional(),
  caseID: z.string().optional(),
  /** Appointments a person takes part in. */
  individualID: z.string().optional(),
  status: AppointmentStatus.optional(),
  updatedSince: IsoDateTime.optional(),
});
export type AppointmentListQuery = z.input<typeof AppointmentListQuery>;

/** A proposed booking to check before saving: its room, interpreter and people against the agenda. */
export const AvailabilityQueryFields = z.object({
  officeID: OfficeID,
  room: z.string().min(1).max(50),
  start: Slot,
  end: Slot,
  interpreterID: UserID.optional(),
  /** People of the booking, comma-separated individual IDs. */
  participants: z
    .string()
    .max(2000)
    .optional()
    .transform((s) => (s ? s.split(",").filter(Boolean) : [])),
  /** A booking being moved: its own slots do not conflict with it. */
  appointmentID: z.string().optional(),
  /** How many free slots to propose (same length, office hours, from the proposed start on). */
  count: z.coerce.number().int().min(0).max(20).default(3),
  /** IANA time zone office hours are read in; the operation's when absent. */
  tz: z.string().max(60).optional(),
  /** Office hours, local, whole hours; Monday to Friday. */
  opens: z.coerce.number().int().min(0).max(23).default(8),
  closes: z.coerce.number().int().min(1).max(24).default(17),
});
export const AvailabilityQuery = slotRange(AvailabilityQueryFields);
export type AvailabilityQuery = z.input<typeof AvailabilityQuery>;

export const AppointmentConflictKinds = ["room", "interpreter", "person"] as const;
export const AppointmentConflict = z.object({
  kind: z.enum(AppointmentConflictKinds),
  /** The busy booking's time: nothing else of it (it may be one the caller may not read). */
  start: z.string(),
  end: z.string(),
});
export type AppointmentConflict = z.infer<typeof AppointmentConflict>;

export const Availability = z.object({
  free: z.boolean(),
  conflicts: z.array(AppointmentConflict),
  /** The next free slots of the same length, in office hours, earliest first. */
  next: z.array(z.object({ start: z.string(), end: z.string() })),
});
export type Availability = z.infer<typeof Availability>;

export const InterpreterQuery = z.object({
  officeID: z.string().optional(),
  /** ISO 639-3 languages, comma-separated: interpreters working in any of them. */
  languages: z.string().max(200).optional(),
});
export const InterpreterOption = z.object({
  userID: z.string(),
  name: z.string(),
  languages: z.array(z.string()),
});
export type InterpreterOption = z.infer<typeof InterpreterOption>;
