import { z } from "zod";
import { AdminCode, IsoDate, IsoDateTime, RecordMeta } from "./common.ts";
import { type Labels, label } from "./codes.ts";

/** A receiving city: admin-area p-code (municipality) and its display name. */
export const Destination = z.object({
  adm: AdminCode,
  name: z.string().min(1).max(120),
});
export type Destination = z.infer<typeof Destination>;

export const TripStatuses = ["planned", "confirmed", "departed", "cancelled"] as const;
export const TripStatus = z.enum(TripStatuses);
export type TripStatus = z.infer<typeof TripStatus>;
export const TripStatusLabels: Record<TripStatus, Labels> = {
  planned: label("Planned", "Planificado", "Prévu", "مخطط"),
  confirmed: label(
    "Confirmed with carrier",
    "Confirmado con el transportista",
    "Confirmé avec le transporteur",
    "مؤكد مع شركة النقل",
  ),
  departed: label("Departed", "Salió", "Parti", "غادر"),
  cancelled: label("Cancelled", "Cancelado", "Annulé", "ملغى"),
};

/** The terminal a bus leaves from: an office of kind `terminal`, or just its name. */
export const OriginTerminal = z.object({
  officeID: z.string().optional(),
  name: z.string().min(1).max(200),
});

export const RelocationTripInfo = z.object({
  tripID: z.string(),
  operationID: z.string(),
  /** The office that runs the departure (its staff meet families at the terminal). */
  officeID: z.string(),
  departureAt: IsoDateTime,
  originTerminal: OriginTerminal,
  destination: Destination,
  carrier: z.string(),
  seats: z.number().int(),
  /** Seats held by relocations on the trip (kept atomically with every assignment). */
  seatsTaken: z.number().int().optional(),
  status: TripStatus,
  notes: z.string().optional(),
  deleted: z.boolean().optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type RelocationTripInfo = z.infer<typeof RelocationTripInfo>;

export const RelocationTripCreate = z.object({
  officeID: z.string().min(1),
  departureAt: IsoDateTime,
  originTerminal: OriginTerminal,
  destination: Destination,
  carrier: z.string().min(1).max(120),
  seats: z.number().int().min(1).max(500),
  status: TripStatus.default("planned"),
  notes: z.string().max(2000).optional(),
});
export type RelocationTripCreate = z.input<typeof RelocationTripCreate>;

export const RelocationTripChanges = z
  .object({
    departureAt: IsoDateTime,
    originTerminal: OriginTerminal,
    destination: Destination,
    carrier: z.string().min(1).max(120),
    seats: z.number().int().min(1).max(500),
    status: TripStatus,
    notes: z.string().max(2000),
  })
  .partial();

export const RelocationStatuses = [
  "preparing",
  "ready",
  "assigned",
  "scheduled",
  "ticketed",
  "departed",
  "arrived",
  "completed",
  "missed",
  "cancelled",
] as const;
export const RelocationStatus = z.enum(RelocationStatuses);
export type RelocationStatus = z.infer<typeof RelocationStatus>;
export const RelocationStatusLabels: Record<RelocationStatus, Labels> = {
  preparing: label(
    "Preparing (readiness incomplete)",
    "En preparación (requisitos incompletos)",
    "En préparation (conditions incomplètes)",
    "قيد التحضير (الجاهزية غير مكتملة)",
  ),
  ready: label(
    "Ready, waiting for a seat",
    "Lista, en espera de plaza",
    "Prête, en attente d’une place",
    "جاهزة، بانتظار مقعد",
  ),
  assigned: label(
    "Seat proposed by the planner",
    "Plaza propuesta por el planificador",
    "Place proposée par le planificateur",
    "مقعد مقترح من المخطِّط",
  ),
  scheduled: label("Seat confirmed", "Plaza confirmada", "Place confirmée", "مقعد مؤكد"),
  ticketed: label("Tickets issued", "Boletos emitidos", "Billets émis", "التذاكر صادرة"),
  departed: label("Departed", "Salió", "Partie", "غادرت"),
  arrived: label("Arrived", "Llegó", "Arrivée", "وصلت"),
  completed: label("Follow-ups done", "Seguimientos hechos", "Suivis effectués", "اكتملت المتابعات"),
  missed: label(
    "Departure not confirmed",
    "Salida no confirmada",
    "Départ non confirmé",
    "المغادرة غير مؤكدة",
  ),
  cancelled: label("Cancelled", "Cancelada", "Annulée", "ملغاة"),
};

/** The four checks a household passes before it may be given a seat. */
export const Readiness = z.object({
  documents: z.boolean(),
  medical: z.boolean(),
  briefingAttended: z.boolean(),
  consent: z.boolean(),
});
export type Readiness = z.infer<typeof Readiness>;

export const Ticket = z.object({
  tripID: z.string(),
  numbers: z.array(z.string()),
  issuedAt: IsoDateTime,
  voidedAt: IsoDateTime.optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const Confirmation = z.object({ at: IsoDateTime, by: z.string(), note: z.string().optional() });

export const FollowUp = z.object({
  month: z.union([z.literal(1), z.literal(3)]),
  dueAt: IsoDateTime,
  notifiedAt: IsoDateTime.optional(),
});

/** Why the planner left a household without a seat. */
export const PlanReasons = [
  "not_ready",
  "no_trip_to_destination",
  "earliest_date_after_trips",
  "household_larger_than_trips",
  "trips_full",
  "trip_cancelled",
] as const;
export const PlanReason = z.enum(PlanReasons);
export type PlanReason = z.infer<typeof PlanReason>;

export const RelocationInfo = z.object({
  relocationID: z.string(),
  operationID: z.string(),
  officeID: z.string(),
  householdID: z.string(),
  householdSize: z.number().int(),
  /** 0–100, from the household's vulnerability assessment; higher is served first. */
  vulnerability: z.number(),
  destination: Destination,
  earliestDate: IsoDate,
  readiness: Readiness,
  /** When the last readiness check was passed; older readiness is served first. */
  readySince: IsoDateTime.optional(),
  tripID: z.string().optional(),
  seats: z.number().int().optional(),
  confirmed: z.boolean(),
  planReason: PlanReason.optional(),
  ticket: Ticket.optional(),
  voidedTickets: z.array(Ticket).optional(),
  briefing: z.object({ tripID: z.string(), reminderAt: IsoDateTime }).optional(),
  departure: Confirmation.optional(),
  arrival: Confirmation.optional(),
  followUps: z.array(FollowUp).optional(),
  status: RelocationStatus,
  cancelReason: z.string().optional(),
  executionArn: z.string().optional(),
  workflowError: z.string().optional(),
  deleted: z.boolean().optional(),
  createdBy: z.string(),
  ...RecordMeta,
});
export type RelocationInfo = z.infer<typeof RelocationInfo>;

export const RelocationCreate = z.object({
  householdID: z.string().min(1),
  officeID: z.string().min(1),
  /** Seats needed; defaults to the registry household's size. */
  householdSize: z.number().int().min(1).max(30).optional(),
  /** 0–100 from the household's vulnerability assessment (entered here until assessments are scored). */
  vulnerability: z.number().min(0).max(100).default(0),
  destination: Destination,
  earliestDate: IsoDate,
  readiness: Readiness.partial().default({}),
});
export type RelocationCreate = z.input<typeof RelocationCreate>;

/** Grid-editable fields. Trip and seats are set by the planner or by hand; workflow fields are not editable. */
export const RelocationChanges = z
  .object({
    householdSize: z.number().int().min(1).max(30),
    vulnerability: z.number().min(0).max(100),
    destination: Destination,
    earliestDate: IsoDate,
    readiness: Readiness.partial(),
    tripID: z.string().min(1).nullable(),
    confirmed: z.boolean(),
  })
  .partial();
export type RelocationChanges = z.infer<typeof RelocationChanges>;

export const RelocationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  officeID: z.string().optional(),
  status: RelocationStatus.optional(),
  tripID: z.string().optional(),
  householdID: z.string().optional(),
});

export const TripListQuery = z.object({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  officeID: z.string().optional(),
  status: TripStatus.optional(),
});

export const PlanRequest = z
  .object({
    from: IsoDate,
    to: IsoDate,
    /** Computes and returns the plan without saving it. */
    dryRun: z.boolean().default(false),
    officeID: z.string().optional(),
  })
  .refine((p) => p.from <= p.to, { path: ["to"], message: "must not be before from" });
export type PlanRequest = z.input<typeof PlanRequest>;

export const PlanResult = z.object({
  dryRun: z.boolean(),
  assignments: z.array(z.object({ relocationID: z.string(), tripID: z.string(), seats: z.number() })),
  unplaced: z.array(z.object({ relocationID: z.string(), reason: PlanReason })),
  summary: z.object({
    households: z.number(),
    placed: z.number(),
    kept: z.number(),
    unplaced: z.number(),
    seats: z.number(),
    seatsFilled: z.number(),
  }),
  results: z.array(z.unknown()).optional(),
});

export const ReasonBody = z.object({ reason: z.string().min(3).max(500) });
export const ConfirmBody = z.object({ note: z.string().max(500).optional() });

export const ExecutionStatuses = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "ABORTED"] as const;
export const ExecutionInfo = z.object({
  executionID: z.string(),
  executionArn: z.string(),
  machine: z.string(),
  subjectID: z.string(),
  status: z.enum(ExecutionStatuses),
  currentStep: z.string().optional(),
  runs: z.number(),
  history: z.array(
    z.object({
      type: z.string(),
      state: z.string().optional(),
      time: z.string(),
      error: z.string().optional(),
    }),
  ),
  error: z.string().optional(),
  timeStarted: z.string(),
  timeStopped: z.string().optional(),
});
export type ExecutionInfo = z.infer<typeof ExecutionInfo>;

export const RelocationReportRow = z.object({
  originOfficeID: z.string(),
  destination: z.string(),
  month: z.string(),
  households: z.number(),
  people: z.number(),
});
