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
  /** Seats of the households checked in at the terminal (kept atomically with every check-in and no-show). */
  seatsCheckedIn: z.number().int().optional(),
  /** Seats of the households confirmed on board. */
  seatsDeparted: z.number().int().optional(),
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
  "no_show",
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
  no_show: label(
    "Did not come to the terminal",
    "No se presentó en la terminal",
    "Ne s’est pas présentée au terminal",
    "لم تحضر إلى المحطة",
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
  /** When the printed tickets were handed to the household, and by whom. */
  deliveredAt: IsoDateTime.optional(),
  deliveredBy: z.string().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const Confirmation = z.object({ at: IsoDateTime, by: z.string(), note: z.string().optional() });

/** What a follow-up call after arrival found. */
export const FollowUpOutcome = z.object({
  /** The household was reached (by phone or visit). */
  reached: z.boolean(),
  /** Needs the household reported (free text; empty when none). */
  needs: z.string().max(2000).optional(),
  /** The household was referred to a service. */
  referred: z.boolean(),
  note: z.string().max(2000).optional(),
});
export type FollowUpOutcome = z.infer<typeof FollowUpOutcome>;

export const FollowUp = z.object({
  month: z.union([z.literal(1), z.literal(3)]),
  dueAt: IsoDateTime,
  notifiedAt: IsoDateTime.optional(),
  outcome: FollowUpOutcome.optional(),
  recordedAt: IsoDateTime.optional(),
  recordedBy: z.string().optional(),
});
export type FollowUp = z.infer<typeof FollowUp>;

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
  /** Checked in at the terminal on relocation day. */
  checkIn: Confirmation.optional(),
  /** Did not come to the terminal: the seats went back to the trip. */
  noShow: Confirmation.extend({ tripID: z.string() }).optional(),
  departure: Confirmation.extend({ tripDepartureAt: IsoDateTime.optional() }).optional(),
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

/** Households picked on the terminal screen (each at the version the screen showed). */
export const TripDayRequest = z.object({
  rows: z
    .array(z.object({ id: z.string().min(1), version: z.number().int().min(1) }))
    .min(1)
    .max(500),
  note: z.string().max(500).optional(),
});
export type TripDayRequest = z.infer<typeof TripDayRequest>;

export const FollowUpRecord = FollowUpOutcome.extend({
  month: z.union([z.literal(1), z.literal(3)]),
  version: z.number().int().min(1),
});

/** Relocations opened from a selection of registry households, all to one destination (and trip, if given). */
export const RelocationBulkCreate = z.object({
  householdIDs: z.array(z.string().min(1)).min(1).max(200),
  officeID: z.string().min(1),
  destination: Destination,
  earliestDate: IsoDate,
  /** Puts every household on this trip with a confirmed seat (seats permitting, row by row). */
  tripID: z.string().min(1).optional(),
});
export type RelocationBulkCreate = z.input<typeof RelocationBulkCreate>;

export const CandidateQuery = z.object({
  officeID: z.string().optional(),
  /** Only households that said they are interested in the programme. */
  interested: z.enum(["yes", "no"]).optional(),
  /** Only households with a vulnerability or socio-economic assessment (submitted or approved). */
  assessed: z.enum(["yes", "no"]).optional(),
  /** Only households with a member having a specific need of this category (e.g. SM, DS). */
  need: z.string().max(10).optional(),
});
export type CandidateQuery = z.input<typeof CandidateQuery>;

/** A registry household that could be relocated (no relocation open yet). */
export const Candidate = z.object({
  householdID: z.string(),
  registrationNumber: z.string(),
  officeID: z.string(),
  headName: z.string().optional(),
  size: z.number().int(),
  /** Specific-needs categories among its members, as the viewer may see them. */
  needs: z.array(z.string()),
  /** Highest score of its members' vulnerability assessments (submitted or approved). */
  vulnerability: z.number().optional(),
  assessed: z.boolean(),
  interested: z.boolean(),
  interestVersion: z.number().int().optional(),
});
export type Candidate = z.infer<typeof Candidate>;

export const InterestBody = z.object({ interested: z.boolean(), note: z.string().max(500).optional() });

/** One member as the terminal team sees them. */
export const ManifestPerson = z.object({
  name: z.string(),
  age: z.number().int().optional(),
  sex: z.string().optional(),
  /** Specific-needs codes the viewer may see. */
  needs: z.array(z.string()),
});

export const ManifestRow = z.object({
  relocationID: z.string(),
  version: z.number().int(),
  householdID: z.string(),
  registrationNumber: z.string().optional(),
  people: z.array(ManifestPerson),
  seats: z.number().int(),
  confirmed: z.boolean(),
  ready: z.boolean(),
  readiness: Readiness,
  status: RelocationStatus,
  tickets: z.array(z.string()),
  ticketDelivered: z.boolean(),
  checkedInAt: IsoDateTime.optional(),
  departedAt: IsoDateTime.optional(),
});
export type ManifestRow = z.infer<typeof ManifestRow>;

export const Manifest = z.object({
  trip: RelocationTripInfo,
  rows: z.array(ManifestRow),
  seatsTaken: z.number().int(),
});
export type Manifest = z.infer<typeof Manifest>;
