import { isValidBIC, isValidIBAN } from "ibantools";
import { z } from "zod";
import { ConfiguredValues } from "./fields.ts";
import { IsoDate, IsoDateTime, PresignedUpload, RecordMeta } from "./common.ts";
import { type Labels, label } from "./codes.ts";
import { FieldIssue } from "./problem.ts";
import { ExportPurposeFields } from "./privacy.ts";
import { CountryAlpha2 } from "./operations.ts";

/** ISO 4217 alphabetic currency code. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code like MXN");
/** Money is an integer number of minor units (centavos, cents) beside its currency; never a float. */
export const MinorUnits = z.number().int("must be an integer amount in minor units").positive().max(1e13);
/** Accounting period for caps and allowances, `YYYY-MM`. */
export const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a period YYYY-MM");

export const PayeeKinds = ["individual", "host", "supplier"] as const;
export const PayeeKind = z.enum(PayeeKinds);
export const ChannelTypes = ["bank", "mobile_money", "cash_pickup"] as const;
export const ChannelType = z.enum(ChannelTypes);

/**
 * IBAN: ISO 13616 country length and mod-97 check digits (ibantools), so a mistyped digit is caught at the desk
 * instead of by the bank a week later.
 */
export const Iban = z
  .string()
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(
    z
      .string()
      .refine(
        (s) => isValidIBAN(s),
        "must be a valid IBAN: check the country code, the length for that country and the check digits",
      ),
  );
/** BIC (ISO 9362): 8 or 11 characters with a real country code. */
export const Bic = z
  .string()
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().refine((s) => isValidBIC(s), "must be a BIC of 8 or 11 characters, like BCMRMXMMXXX"));
export const Msisdn = z
  .string()
  .regex(/^\+?[1-9]\d{6,14}$/, "must be an international phone number like +525512345678");

/** A name in the characters a bank file carries (the ISO 20022 / EPC Latin set). */
export const BankName = z
  .string()
  .trim()
  .min(1)
  .max(140)
  .regex(/^[A-Za-z0-9/\-?:().,'+ ]+$/, "use only Latin letters, digits, spaces and / - ? : ( ) . , ' +");

/** Where the money goes. Exactly the fields of the channel type are used by exports. */
export const PaymentChannel = z
  .object({
    type: ChannelType,
    iban: Iban.optional(),
    /** Account number for banks without IBAN (CLABE in Mexico, local account ids). */
    accountNumber: z
      .string()
      .regex(/^[A-Za-z0-9-]{4,34}$/, "must be 4-34 letters or digits")
      .optional(),
    bic: Bic.optional(),
    bankName: z.string().max(140).optional(),
    msisdn: Msisdn.optional(),
    /** Mobile-money provider key, e.g. `mpesa`, `mtn`, `spei`. */
    provider: z.string().max(40).optional(),
    pickupPoint: z.string().max(140).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.type === "bank" && !c.iban && !c.accountNumber)
      ctx.addIssue({
        code: "custom",
        path: ["iban"],
        message: "a bank channel needs an IBAN or an account number",
      });
    if (c.type === "mobile_money" && !c.msisdn)
      ctx.addIssue({ code: "custom", path: ["msisdn"], message: "a mobile-money channel needs an MSISDN" });
  });
export type PaymentChannel = z.infer<typeof PaymentChannel>;

export const PayeeCreate = z.object({
  kind: PayeeKind,
  name: z.string().trim().min(1).max(140),
  /** The name as the bank knows it, in Latin letters; suggested from the name when not given. */
  nameLatin: BankName.optional(),
  officeID: z.string().optional(),
  /** The registered person, host or supplier this payee pays. */
  individualID: z.string().optional(),
  hostID: z.string().optional(),
  supplierID: z.string().optional(),
  channel: PaymentChannel,
  note: z.string().max(500).optional(),
  /** Values of the operation's configured fields (docs/fields.md); checked per key by core. */
  fields: ConfiguredValues.optional(),
});
export type PayeeCreate = z.infer<typeof PayeeCreate>;
/**
 * The mobile-money number alone (the payees grid's cell): put into the payee's own mobile-money channel, the rest
 * of the account kept, then checked (a mobile number of the provider's country) and reopening the payee's batches
 * like any change of account.
 */
export const ChannelNumberChange = z.object({ msisdn: Msisdn }).strict();

export const PayeeChanges = z.object({
  name: z.string().trim().min(1).max(140).optional(),
  nameLatin: BankName.optional(),
  officeID: z.string().optional(),
  individualID: z.string().optional(),
  /** The whole account, or (`{msisdn}`) a mobile-money payee's new number. */
  channel: z.union([PaymentChannel, ChannelNumberChange]).optional(),
  note: z.string().max(500).optional(),
  active: z.boolean().optional(),
  /** Configured values to change, merged per key (`null` clears one). */
  fields: ConfiguredValues.optional(),
});
export type PayeeChanges = z.infer<typeof PayeeChanges>;

export const PayeeInfo = PayeeCreate.extend({
  payeeID: z.string(),
  operationID: z.string(),
  active: z.boolean(),
  /** True when account details are shown in full (finance roles); otherwise masked like `****1234`. */
  accountVisible: z.boolean(),
  /** When the name or channel last changed: batches submitted before this flag the payee's payments. */
  timeAccountChanged: IsoDateTime,
  /** Configured fields withheld from the reader (`fields.<key>`). */
  redacted: z.array(z.string()).optional(),
  ...RecordMeta,
});
export type PayeeInfo = z.infer<typeof PayeeInfo>;

export const PaymentPurposes = [
  "cash_for_protection",
  "hosting_allowance",
  "reintegration_grant",
  "supplier_invoice",
  "transport",
] as const;
export const PaymentPurpose = z.enum(PaymentPurposes);
export const PaymentPurposeLabels: Record<(typeof PaymentPurposes)[number], Labels> = {
  cash_for_protection: label(
    "Cash for protection",
    "Efectivo para protección",
    "Espèces pour la protection",
    "نقد للحماية",
  ),
  hosting_allowance: label(
    "Hosting allowance",
    "Apoyo a familias de acogida",
    "Allocation d’accueil",
    "بدل الاستضافة",
  ),
  reintegration_grant: label(
    "Reintegration grant",
    "Subsidio de reintegración",
    "Aide à la réintégration",
    "منحة إعادة الإدماج",
  ),
  supplier_invoice: label("Supplier invoice", "Factura de proveedor", "Facture fournisseur", "فاتورة مورد"),
  transport: label("Transport", "Transporte", "Transport", "نقل"),
};
export const PaymentStatuses = [
  "draft",
  "approved",
  "in_batch",
  "exported",
  "paid",
  "failed",
  "cancelled",
] as const;
export const PaymentStatus = z.enum(PaymentStatuses);
export type PaymentStatus = z.infer<typeof PaymentStatus>;
export const PaymentStatusLabels: Record<PaymentStatus, Labels> = {
  draft: label("Draft", "Borrador", "Brouillon", "مسودة"),
  approved: label("Approved", "Aprobado", "Approuvé", "موافق عليه"),
  in_batch: label("In a batch", "En un lote", "Dans un lot", "ضمن دفعة"),
  exported: label("Exported", "Exportado", "Exporté", "مُصدَّر"),
  paid: label("Paid", "Pagado", "Payé", "مدفوع"),
  failed: label("Failed", "Fallido", "Échoué", "فشل"),
  cancelled: label("Cancelled", "Cancelado", "Annulé", "ملغى"),
};

export const PaymentCreate = z.object({
  payeeID: z.string().min(1),
  purpose: PaymentPurpose,
  amount: MinorUnits,
  currency: CurrencyCode,
  /** Created as `approved` (ready to batch) or `draft`. */
  status: z.enum(["draft", "approved"]).default("approved"),
  officeID: z.string().optional(),
  period: Period.optional(),
  caseID: z.string().optional(),
  placementID: z.string().optional(),
  invoiceID: z.string().optional(),
  fspProfileID: z.string().optional(),
  note: z.string().max(500).optional(),
});
export type PaymentCreate = z.input<typeof PaymentCreate>;

/** Editable while a payment is draft or approved; `status` may move draft ↔ approved or to cancelled. */
export const PaymentChanges = z.object({
  amount: MinorUnits.optional(),
  currency: CurrencyCode.optional(),
  purpose: PaymentPurpose.optional(),
  status: z.enum(["draft", "approved", "cancelled"]).optional(),
  period: Period.optional(),
  fspProfileID: z.string().optional(),
  note: z.string().max(500).optional(),
});
export type PaymentChanges = z.infer<typeof PaymentChanges>;

export const BatchStatuses = [
  "assembling",
  "draft",
  "submitted",
  "approved",
  "exported",
  "reconciled",
  "closed",
  "cancelled",
] as const;
export const BatchStatus = z.enum(BatchStatuses);
export type BatchStatus = z.infer<typeof BatchStatus>;
export const BatchStatusLabels: Record<BatchStatus, Labels> = {
  assembling: label("Assembling", "En preparación", "En constitution", "قيد التجميع"),
  draft: label("Draft", "Borrador", "Brouillon", "مسودة"),
  submitted: label(
    "Submitted for approval",
    "Enviado para aprobación",
    "Soumis pour approbation",
    "مقدم للموافقة",
  ),
  approved: label("Approved", "Aprobado", "Approuvé", "موافق عليه"),
  exported: label("Exported", "Exportado", "Exporté", "مُصدَّر"),
  reconciled: label("Reconciled", "Conciliado", "Rapproché", "تمت المطابقة"),
  closed: label("Closed", "Cerrado", "Clôturé", "مغلق"),
  cancelled: label("Cancelled", "Cancelado", "Annulé", "ملغى"),
};

export const PaymentInfo = z.object({
  paymentID: z.string(),
  operationID: z.string(),
  payeeID: z.string(),
  purpose: PaymentPurpose,
  amount: z.number().int(),
  currency: CurrencyCode,
  status: PaymentStatus,
  /** Starts at 1; a failed payment re-batched gets the next attempt and a new end-to-end id. */
  attempt: z.number().int(),
  batchID: z.string().optional(),
  endToEndId: z.string().optional(),
  failureReason: z.string().optional(),
  flag: z.string().optional(),
  officeID: z.string().optional(),
  period: Period.optional(),
  caseID: z.string().optional(),
  placementID: z.string().optional(),
  invoiceID: z.string().optional(),
  fspProfileID: z.string().optional(),
  note: z.string().optional(),
  createdBy: z.string(),
  /** A cash-for-protection request: who asked for it on the case, why, and the supervisor's decision. */
  request: z
    .object({
      requestedBy: z.string(),
      reason: z.string(),
      decision: z.enum(["approved", "declined"]).optional(),
      decidedBy: z.string().optional(),
      decisionReason: z.string().optional(),
      timeDecided: z.string().optional(),
    })
    .optional(),
  /** Read only, in lists: the status of the batch the payment is in (its file exported, reconciled…). */
  batchStatus: BatchStatus.optional(),
  /** Read only: the payee's name, for whoever reads the payment (also when the payee is not theirs to open). */
  payeeName: z.string().optional(),
  /** Read only: whether the reader may open the payee's own record (its page links only then). */
  payeeReadable: z.boolean().optional(),
  ...RecordMeta,
});
export type PaymentInfo = z.infer<typeof PaymentInfo>;

export const PaymentListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  status: PaymentStatus.optional(),
  batchID: z.string().optional(),
  payeeID: z.string().optional(),
  currency: CurrencyCode.optional(),
  purpose: PaymentPurpose.optional(),
  /** The payments decided in one case (cash for protection), for the case page. */
  caseID: z.string().optional(),
});

/** Generated payments (allowances): amount = units × unitAmount, capped per payee and period. */
export const EntitlementRule = z.object({
  purpose: PaymentPurpose,
  currency: CurrencyCode,
  period: Period,
  /** Minor units per unit (e.g. per hosted person per month). */
  unitAmount: MinorUnits,
  /** Most a payee may receive for this purpose in the period, across every generation run. */
  capPerPayee: MinorUnits.optional(),
  /** `reject` refuses a row that would exceed the cap; `truncate` pays up to the cap. */
  capMode: z.enum(["reject", "truncate"]).default("reject"),
  status: z.enum(["draft", "approved"]).default("draft"),
  fspProfileID: z.string().optional(),
});
export const EntitlementRow = z.object({
  ref: z.string().max(100).optional(),
  payeeID: z.string().min(1),
  units: z.number().int().min(1).max(10000),
  /** What the entitlement is for (a placement, a case); one payment per source, purpose and period. */
  sourceID: z.string().min(1).max(100),
  caseID: z.string().optional(),
  placementID: z.string().optional(),
  officeID: z.string().optional(),
});
export const GenerateRequest = z.object({
  rule: EntitlementRule,
  rows: z.array(EntitlementRow).min(1).max(5000),
});
export type GenerateRequest = z.input<typeof GenerateRequest>;

export const ExportFormats = [
  "csv",
  "xlsx",
  "pain.001.001.09",
  "pain.001.001.03",
  "mobile-money-csv",
] as const;
export const ExportFormat = z.enum(ExportFormats);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Fields an export row can show; a column template maps them to headers. */
export const ExportFields = [
  "paymentID",
  "endToEndId",
  "payeeID",
  "payeeName",
  "payeeKind",
  "amount",
  "amountMinor",
  "currency",
  "purpose",
  "period",
  "iban",
  "accountNumber",
  "bic",
  "bankName",
  "msisdn",
  "provider",
  "pickupPoint",
  "batchNumber",
  "reference",
] as const;
export const ExportField = z.enum(ExportFields);
export const ExportColumn = z.object({ header: z.string().min(1).max(60), field: ExportField });
export type ExportColumn = z.infer<typeof ExportColumn>;

export const FspProfileCreate = z.object({
  name: z.string().min(1).max(140),
  kind: z.enum(["bank", "mobile_money", "cash"]),
  currency: CurrencyCode,
  defaultFormat: ExportFormat,
  /** CSV/XLSX columns; defaults to a generic set. */
  columns: z.array(ExportColumn).min(1).max(60).optional(),
  /** Mobile-money provider template: its column headers and the separator it wants. */
  mobileMoney: z
    .object({
      provider: z.string().min(1).max(40),
      columns: z.array(ExportColumn).min(1).max(30),
      delimiter: z.enum([",", ";"]).default(","),
      /**
       * ISO 3166-1 alpha-2 country whose mobile numbers the provider pays (a payee of this provider must have a
       * mobile number of that country); the operation's country when not given.
       */
      country: CountryAlpha2.optional(),
    })
    .optional(),
  /** ISO 20022 debtor: the operation's account and its bank. */
  debtor: z
    .object({
      name: z.string().min(1).max(70),
      iban: Iban.optional(),
      accountNumber: z.string().max(34).optional(),
      bic: Bic.optional(),
    })
    .optional(),
  /** Service level code for ISO 20022 (`SEPA`, `URGP`, `NURG`); omitted when unset. */
  serviceLevel: z
    .string()
    .regex(/^[A-Z]{4}$/)
    .optional(),
  fspProfileID: z.string().optional(),
});
export type FspProfileCreate = z.input<typeof FspProfileCreate>;

/** A change to a profile at the version read: any field but the ID; `null` removes an optional part. */
export const FspProfileUpdate = z.object({
  version: z.number().int().min(1),
  changes: FspProfileCreate.omit({ fspProfileID: true }).partial().extend({
    columns: FspProfileCreate.shape.columns.nullable(),
    mobileMoney: FspProfileCreate.shape.mobileMoney.nullable(),
    debtor: FspProfileCreate.shape.debtor.nullable(),
    serviceLevel: FspProfileCreate.shape.serviceLevel.nullable(),
  }),
});
export type FspProfileUpdate = z.input<typeof FspProfileUpdate>;

export const BatchFilter = z.object({
  purpose: PaymentPurpose.optional(),
  period: Period.optional(),
  officeID: z.string().optional(),
  /** Payments of this FSP profile only (or with none set). */
  limit: z.number().int().min(1).max(1_000_000).optional(),
});
export const BatchCreate = z
  .object({
    fspProfileID: z.string().min(1),
    currency: CurrencyCode,
    name: z.string().max(140).optional(),
    paymentIDs: z.array(z.string()).min(1).max(5000).optional(),
    filter: BatchFilter.optional(),
    /** Requested execution date for the bank (ISO 20022 ReqdExctnDt); defaults to the export day. */
    executionDate: IsoDate.optional(),
  })
  .refine((b) => Boolean(b.paymentIDs) !== Boolean(b.filter), {
    message: "give either paymentIDs or filter",
    path: ["paymentIDs"],
  });
export type BatchCreate = z.input<typeof BatchCreate>;

export const Approval = z.object({ userID: z.string(), time: IsoDateTime, note: z.string().optional() });
export const BatchInfo = z.object({
  batchID: z.string(),
  batchNumber: z.string(),
  operationID: z.string(),
  fspProfileID: z.string(),
  currency: CurrencyCode,
  name: z.string().optional(),
  status: BatchStatus,
  /** Frozen at submission; before that, the running membership count. */
  count: z.number().int(),
  total: z.number().int(),
  approvalsRequired: z.number().int(),
  approvals: z.array(Approval),
  flaggedCount: z.number().int(),
  paidCount: z.number().int(),
  failedCount: z.number().int(),
  executionDate: IsoDate.optional(),
  createdBy: z.string(),
  timeSubmitted: IsoDateTime.optional(),
  /** When the batch last reached `approved`. */
  timeApproved: IsoDateTime.optional(),
  /** Users who changed a member payee's account since submission: they may not approve it. */
  accountChangedBy: z.array(z.string()).optional(),
  timeExported: IsoDateTime.optional(),
  ...RecordMeta,
});
export type BatchInfo = z.infer<typeof BatchInfo>;

export const BatchListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
  status: BatchStatus.optional(),
});

export const BatchAction = z.object({
  version: z.number().int().min(1).optional(),
  note: z.string().max(500).optional(),
});
export const ExportRequest = z.object({
  format: ExportFormat,
  /** Export even though some payees changed since submission (the flagged payments are listed in the audit). */
  acceptFlagged: z.boolean().default(false),
  /** Why the file goes to the FSP (default: delivering assistance); kept in the payees' people's sharing log. */
  ...ExportPurposeFields,
});

export const ExportInfo = z.object({
  exportID: z.string(),
  batchID: z.string(),
  format: ExportFormat,
  fileName: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  count: z.number().int(),
  total: z.number().int(),
  currency: CurrencyCode,
  messageId: z.string(),
  downloadUrl: z.string(),
  createdBy: z.string(),
  timeCreated: IsoDateTime,
});
export type ExportInfo = z.infer<typeof ExportInfo>;

/** Per-payment outcome of a status file; an unmatched or already reconciled line changes nothing. */
export const ReconciliationOutcomes = [
  "paid",
  "failed",
  "acknowledged",
  "already_reconciled",
  /** The file contradicts an earlier outcome (a paid payment now reported rejected): held for a person to review. */
  "held_for_review",
  "unmatched",
  "invalid",
] as const;
export const ReconciliationOutcomeLabels: Record<(typeof ReconciliationOutcomes)[number], Labels> = {
  paid: label("Paid", "Pagado", "Payé", "مدفوع"),
  failed: label("Failed", "Fallido", "Échoué", "فشل"),
  acknowledged: label(
    "Acknowledged by the bank",
    "Recibido por el banco",
    "Reçu par la banque",
    "استلمه البنك",
  ),
  already_reconciled: label("Already reconciled", "Ya conciliado", "Déjà rapproché", "تمت تسويته من قبل"),
  held_for_review: label(
    "Contradicts an earlier result: held for review",
    "Contradice un resultado anterior: retenido para revisión",
    "Contredit un résultat antérieur : mis en attente de vérification",
    "يتعارض مع نتيجة سابقة: محجوز للمراجعة",
  ),
  unmatched: label(
    "No matching payment",
    "Sin pago correspondiente",
    "Aucun paiement correspondant",
    "لا توجد دفعة مطابقة",
  ),
  invalid: label("Unreadable line", "Línea ilegible", "Ligne illisible", "سطر غير مقروء"),
};
export const ReconciliationRow = z.object({
  line: z.number().int(),
  reference: z.string(),
  paymentID: z.string().optional(),
  outcome: z.enum(ReconciliationOutcomes),
  reason: z.string().optional(),
});
export const ReconciliationReport = z.object({
  batchID: z.string(),
  format: z.enum(["csv", "pain.002"]),
  /** The file's lines: up to 1,000 paid or acknowledged ones and 10,000 others (failed, unmatched, held, …). */
  rows: z.array(ReconciliationRow),
  /** Lines counted in `summary` and `totals` but not listed in `rows` (a large file). */
  rowsOmitted: z.number().int().optional(),
  summary: z.record(z.string(), z.number()),
  /** Money per outcome of this file, in the batch's currency (minor units). */
  totals: z.record(z.string(), z.object({ count: z.number().int(), amount: z.number().int() })),
  /** Count and sum the file states, against the batch's frozen totals. */
  control: z.object({
    fileCount: z.number().int().optional(),
    fileTotal: z.number().int().optional(),
    batchCount: z.number().int(),
    batchTotal: z.number().int(),
    matches: z.boolean(),
  }),
  batchStatus: BatchStatus,
});
export type ReconciliationReport = z.infer<typeof ReconciliationReport>;
export const ReconciliationUpload = z.object({
  format: z.enum(["csv", "pain.002"]),
  /** The file's text (CSV or XML). */
  content: z.string().min(1).max(20_000_000),
  /** CSV: the column holding the payment reference (endToEndId, paymentID or msisdn). */
  matchColumn: z.string().max(60).optional(),
  matchOn: z.enum(["endToEndId", "paymentID", "msisdn"]).default("endToEndId"),
  statusColumn: z.string().max(60).default("status"),
  reasonColumn: z.string().max(60).default("reason"),
});
export type ReconciliationUpload = z.input<typeof ReconciliationUpload>;

/**
 * A status file too large for a request body (a 131,072-line pain.002 is ~13 MB; a Lambda request stops at 6 MB)
 * is sent to an upload link first, then reconciled from there.
 */
export const ReconciliationUploadMaxBytes = 20_000_000;
export const ReconciliationUploadLinkRequest = z.object({
  fileName: z.string().min(1).max(255),
  /** The type the file is sent with (the link is signed for it); a browser's `File.type`, possibly empty. */
  contentType: z.string().max(100).default(""),
});
export const ReconciliationUploadLink = z.object({
  /** Hand it back to reconcile the uploaded file (signed; names the batch, the file and who asked). */
  ticket: z.string(),
  upload: PresignedUpload,
  maxBytes: z.number().int(),
});
export const ReconciliationFromUpload = ReconciliationUpload.omit({ content: true, format: true }).extend({
  ticket: z.string().min(1).max(4000),
  /** Read from the file when absent: XML is a pain.002, anything else CSV. */
  format: z.enum(["csv", "pain.002"]).optional(),
  /** The SHA-256 (hex) of the file as the client sent it: a file that arrived different is refused. */
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "a SHA-256 in hexadecimal")
    .optional(),
});
export type ReconciliationFromUpload = z.input<typeof ReconciliationFromUpload>;

/**
 * A caseworker's request for cash for protection on a case: one payment to a payee of one of the case's people,
 * held as a draft until a supervisor who did not ask for it approves it. Currency defaults to the operation's.
 */
export const CashRequestCreate = z.object({
  payeeID: z.string().min(1, "choose who receives the cash"),
  amount: MinorUnits,
  currency: CurrencyCode.optional(),
  reason: z.string().trim().min(10, "say in a sentence why the person needs this cash").max(1000),
});
export type CashRequestCreate = z.input<typeof CashRequestCreate>;

export const CashRequestDecision = z.object({
  version: z.number().int().positive(),
  decision: z.enum(["approved", "declined"]),
  /** Required when declining: the caseworker reads it. */
  reason: z.string().trim().max(1000).optional(),
});
export type CashRequestDecision = z.infer<typeof CashRequestDecision>;

/** Who a request on a case may pay: the active payees of the case's people, account details masked. */
export const CashRequestPayee = z.object({
  payeeID: z.string(),
  name: z.string(),
  individualID: z.string(),
  channelType: z.enum(ChannelTypes),
  /** The last digits of the account or phone number, for recognising it: `…1234`. */
  accountHint: z.string(),
});
export type CashRequestPayee = z.infer<typeof CashRequestPayee>;

/** A request as its case shows it: the payee by name, who asked and who decided, without account details. */
export const CashRequestView = z.object({
  paymentID: z.string(),
  payeeName: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: PaymentStatus,
  reason: z.string(),
  requestedBy: z.string(),
  requestedByName: z.string().optional(),
  decision: z.enum(["approved", "declined"]).optional(),
  decidedBy: z.string().optional(),
  decidedByName: z.string().optional(),
  decisionReason: z.string().optional(),
  timeCreated: z.string(),
  version: z.number().int(),
});
export type CashRequestView = z.infer<typeof CashRequestView>;

/**
 * An amount typed or pasted in major units ("1500", "1,500.50", "1.500,50", "1 500,5") as integer minor units of a
 * currency with `digits` decimals, or null when it is not an amount. The last separator followed by at most
 * `digits` figures is the decimal mark; other separators group thousands (by threes). No floats.
 */
export function majorToMinor(typed: string, digits: number): number | null {
  const s = typed.replace(/[\s\u00a0\u202f']/g, "");
  const m = /^(\d{1,3}(?:([.,])\d{3}(?:\2\d{3})*)?|\d+)(?:([.,])(\d+))?$/.exec(s);
  if (!m) return null;
  let whole = m[1]!;
  let frac = m[4] ?? "";
  const group = m[2];
  // "1,500" with no decimals: a thousands group, unless the currency has 3 decimals
  if (m[3] && !group && frac.length === 3 && digits !== 3) {
    whole += frac;
    frac = "";
  }
  if (group && m[3] === group) return null;
  whole = whole.replace(/[.,]/g, "");
  if (frac.length > digits) return null;
  const n = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * A payment pasted from a spreadsheet: the payee by name (or the name as the bank knows it) or by the registration
 * number of the person it pays, the purpose as a code or its label in any language, the amount in major units.
 */
export const PastedPayment = z.object({
  payee: z.string().trim().min(1).max(140),
  purpose: z.string().trim().min(1).max(80),
  amount: z.string().trim().min(1).max(40),
  /** ISO 4217; the operation's currency when empty. */
  currency: z.string().trim().max(3).optional(),
  period: z.string().trim().max(7).optional(),
  note: z.string().max(500).optional(),
});
export type PastedPayment = z.infer<typeof PastedPayment>;

export const PastePaymentsRequest = z.object({
  rows: z.array(PastedPayment).min(1).max(1000),
  /** Check and resolve only (the default): nothing is stored. */
  dryRun: z.boolean().default(true),
  status: z.enum(["draft", "approved"]).default("approved"),
});
export type PastePaymentsRequest = z.input<typeof PastePaymentsRequest>;

export const PastePaymentsRow = z.object({
  index: z.number().int(),
  /** `ready` in a dry run, `created` once stored, `invalid` with the issues on `rows.<index>.<field>`. */
  status: z.enum(["ready", "created", "invalid"]),
  payeeID: z.string().optional(),
  payeeName: z.string().optional(),
  purpose: PaymentPurpose.optional(),
  amount: z.number().int().optional(),
  currency: z.string().optional(),
  paymentID: z.string().optional(),
  issues: z.array(FieldIssue).optional(),
});
export type PastePaymentsRow = z.infer<typeof PastePaymentsRow>;
export const PastePaymentsResponse = z.object({
  rows: z.array(PastePaymentsRow),
  summary: z.record(z.string(), z.number()),
});
export type PastePaymentsResponse = z.infer<typeof PastePaymentsResponse>;
