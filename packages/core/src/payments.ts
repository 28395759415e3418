/** The payments module's public surface (payees, payments, FSP profiles, batches, exports, reconciliation). */
export { Payee } from "./payee/index.ts";
export { Payment } from "./payment/index.ts";
export { generatePayments } from "./payment/generate.ts";
export { formatMinor, parseMinor, minorDigits } from "./payment/money.ts";
export { FspProfile } from "./fsp/index.ts";
export { Batch, PaymentSettings } from "./batch/index.ts";
export { endToEndId, paymentIDOf } from "./batch/members.ts";
export { Export, ObjectStore } from "./export/index.ts";
export { safeCell, isoText } from "./export/text.ts";
export { Reconciliation } from "./reconciliation/index.ts";
export { parsePain002 } from "./reconciliation/pain002.ts";
