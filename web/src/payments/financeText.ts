import { textFrom } from "../i18n/dictionary.ts";
import { label, type Labels } from "@waypoint/schema";
import { FieldLabels, type Lang } from "../i18n/messages.ts";

/** The payee screens', batch creation's and the approver queue's words, in the four languages. */
const en = {
  "payee.new": "New payee…",
  "payee.newTitle": "New payee",
  "payee.create": "Create payee",
  "payee.nameLatinHint":
    "Latin letters only, as on the bank account. Leave empty and Waypoint suggests one from the name.",
  "payee.individualHint": "For a person: the registered person this payee pays.",
  "payee.channelHint":
    "A bank account needs an IBAN or an account number; mobile money needs a mobile number.",
  "payee.bank": "Bank or mobile-money details",
  "payee.masked": "Shown masked: only finance roles see the full account.",
  "payee.full": "Shown in full: handle with care.",
  "payee.pays": "Pays",
  "payee.nobody": "Not linked to a registered person, host or supplier.",
  "payee.payments": "Payments",
  "payee.noPayments": "No payments to this payee.",
  "payee.change": "Change bank details…",
  "payee.changeTitle": "Change bank details",
  "payee.changeWarn":
    "Batches with this payee that are approved but not exported go back for approval, and you may not approve them.",
  "payee.save": "Save details",
  "batch.createFrom": "Create batch…",
  "batch.createTitle": "Create a payment batch",
  "batch.selection": "{count} selected payments",
  "batch.useFilter": "No payments selected: the batch takes the approved payments that match this filter.",
  "batch.anyPurpose": "Any purpose",
  "batch.anyOffice": "Any office",
  "batch.period": "Period (YYYY-MM, optional)",
  "batch.totals": "Totals by currency",
  "batch.profile": "Payment provider profile",
  "batch.currency": "Currency",
  "batch.only": "Only the {count} payments in {currency} go into this batch.",
  "batch.name": "Name (optional)",
  "batch.createNow": "Create batch",
  "batch.refused": "No batch was created: none of these payments can go into it.",
  "batch.noProfile": "Choose a payment provider profile.",
  "batch.queue": "Waiting for your approval",
  "batch.queueEmpty": "No batch is waiting for your approval.",
  "batch.queueOpen": "Open",
  "batch.inProgress": "Batches in progress",
  "batch.inProgressEmpty": "No batch is in progress.",
  "batch.paidFailed": "{paid} paid, {failed} failed",
  "reason.alreadyBatched": "Already in another batch",
  "reason.sent": "Already sent for payment",
  "reason.notApproved": "Not approved yet",
  "reason.currency": "In another currency",
  "reason.provider": "Set to be paid through another provider",
  "reason.missing": "No such payment",
};
type Key = keyof typeof en;
type Dict = Partial<Record<Key, string>>;

const es: Dict = {
  "payee.new": "Nuevo beneficiario…",
  "payee.newTitle": "Nuevo beneficiario",
  "payee.create": "Crear beneficiario",
  "payee.nameLatinHint":
    "Solo letras latinas, como en la cuenta bancaria. Si lo deja vacío, Waypoint propone uno a partir del nombre.",
  "payee.individualHint": "Para una persona: la persona registrada a la que paga este beneficiario.",
  "payee.channelHint":
    "Una cuenta bancaria necesita un IBAN o un número de cuenta; el dinero móvil, un número de teléfono.",
  "payee.bank": "Datos bancarios o de dinero móvil",
  "payee.masked": "Se muestran enmascarados: solo los roles de finanzas ven la cuenta completa.",
  "payee.full": "Se muestran completos: trátelos con cuidado.",
  "payee.pays": "Paga a",
  "payee.nobody": "No está vinculado a una persona, familia de acogida ni proveedor registrados.",
  "payee.payments": "Pagos",
  "payee.noPayments": "No hay pagos a este beneficiario.",
  "payee.change": "Cambiar datos bancarios…",
  "payee.changeTitle": "Cambiar datos bancarios",
  "payee.changeWarn":
    "Los lotes aprobados y no exportados con este beneficiario vuelven a aprobación, y usted no podrá aprobarlos.",
  "payee.save": "Guardar datos",
  "batch.createFrom": "Crear lote…",
  "batch.createTitle": "Crear un lote de pagos",
  "batch.selection": "{count} pagos seleccionados",
  "batch.useFilter": "No hay pagos seleccionados: el lote toma los pagos aprobados que cumplen este filtro.",
  "batch.anyPurpose": "Cualquier propósito",
  "batch.anyOffice": "Cualquier oficina",
  "batch.period": "Periodo (AAAA-MM, opcional)",
  "batch.totals": "Totales por moneda",
  "batch.profile": "Perfil del proveedor de pagos",
  "batch.currency": "Moneda",
  "batch.only": "Solo los {count} pagos en {currency} entran en este lote.",
  "batch.name": "Nombre (opcional)",
  "batch.createNow": "Crear lote",
  "batch.refused": "No se creó ningún lote: ninguno de estos pagos puede entrar en él.",
  "batch.noProfile": "Elija un perfil de proveedor de pagos.",
  "batch.queue": "Esperan su aprobación",
  "batch.queueEmpty": "Ningún lote espera su aprobación.",
  "batch.queueOpen": "Abrir",
  "batch.inProgress": "Lotes en curso",
  "batch.inProgressEmpty": "No hay lotes en curso.",
  "batch.paidFailed": "{paid} pagados, {failed} fallidos",
  "reason.alreadyBatched": "Ya está en otro lote",
  "reason.sent": "Ya se envió para pago",
  "reason.notApproved": "Todavía no está aprobado",
  "reason.currency": "En otra moneda",
  "reason.provider": "Se pagará por otro proveedor",
  "reason.missing": "No existe ese pago",
};

const fr: Dict = {
  "payee.new": "Nouveau bénéficiaire…",
  "payee.newTitle": "Nouveau bénéficiaire",
  "payee.create": "Créer le bénéficiaire",
  "payee.nameLatinHint":
    "Lettres latines uniquement, comme sur le compte bancaire. Laissé vide, Waypoint en propose un à partir du nom.",
  "payee.individualHint": "Pour une personne : la personne enregistrée que ce bénéficiaire représente.",
  "payee.channelHint":
    "Un compte bancaire demande un IBAN ou un numéro de compte ; le mobile money, un numéro de téléphone.",
  "payee.bank": "Coordonnées bancaires ou de mobile money",
  "payee.masked": "Masquées : seuls les rôles financiers voient le compte entier.",
  "payee.full": "Affichées en entier : à manier avec soin.",
  "payee.pays": "Paie",
  "payee.nobody": "Lié à aucune personne, famille d’accueil ni fournisseur enregistré.",
  "payee.payments": "Paiements",
  "payee.noPayments": "Aucun paiement à ce bénéficiaire.",
  "payee.change": "Modifier les coordonnées bancaires…",
  "payee.changeTitle": "Modifier les coordonnées bancaires",
  "payee.changeWarn":
    "Les lots approuvés et non exportés avec ce bénéficiaire repartent en approbation, et vous ne pourrez pas les approuver.",
  "payee.save": "Enregistrer",
  "batch.createFrom": "Créer un lot…",
  "batch.createTitle": "Créer un lot de paiements",
  "batch.selection": "{count} paiements sélectionnés",
  "batch.useFilter":
    "Aucun paiement sélectionné : le lot prend les paiements approuvés qui répondent à ce filtre.",
  "batch.anyPurpose": "Tout objet",
  "batch.anyOffice": "Tout bureau",
  "batch.period": "Période (AAAA-MM, facultatif)",
  "batch.totals": "Totaux par devise",
  "batch.profile": "Profil du prestataire de paiement",
  "batch.currency": "Devise",
  "batch.only": "Seuls les {count} paiements en {currency} entrent dans ce lot.",
  "batch.name": "Nom (facultatif)",
  "batch.createNow": "Créer le lot",
  "batch.refused": "Aucun lot créé : aucun de ces paiements ne peut y entrer.",
  "batch.noProfile": "Choisissez un profil de prestataire de paiement.",
  "batch.queue": "En attente de votre approbation",
  "batch.queueEmpty": "Aucun lot n’attend votre approbation.",
  "batch.queueOpen": "Ouvrir",
  "batch.inProgress": "Lots en cours",
  "batch.inProgressEmpty": "Aucun lot en cours.",
  "batch.paidFailed": "{paid} payés, {failed} en échec",
  "reason.alreadyBatched": "Déjà dans un autre lot",
  "reason.sent": "Déjà envoyé pour paiement",
  "reason.notApproved": "Pas encore approuvé",
  "reason.currency": "Dans une autre devise",
  "reason.provider": "Prévu pour un autre prestataire",
  "reason.missing": "Paiement introuvable",
};

const ar: Dict = {
  "payee.new": "مستفيد جديد…",
  "payee.newTitle": "مستفيد جديد",
  "payee.create": "إنشاء المستفيد",
  "payee.nameLatinHint":
    "بأحرف لاتينية فقط، كما في الحساب المصرفي. اتركه فارغًا ليقترح Waypoint اسمًا انطلاقًا من الاسم.",
  "payee.individualHint": "للشخص: الشخص المسجَّل الذي يُدفع له عبر هذا المستفيد.",
  "payee.channelHint": "يحتاج الحساب المصرفي إلى IBAN أو رقم حساب؛ وتحتاج المحفظة المتنقلة إلى رقم هاتف.",
  "payee.bank": "البيانات المصرفية أو بيانات المحفظة المتنقلة",
  "payee.masked": "معروضة مخفية: لا يرى الحساب كاملًا إلا موظفو المالية.",
  "payee.full": "معروضة كاملة: تعامل معها بحذر.",
  "payee.pays": "يدفع إلى",
  "payee.nobody": "غير مرتبط بشخص أو مضيف أو مورد مسجَّل.",
  "payee.payments": "المدفوعات",
  "payee.noPayments": "لا توجد مدفوعات لهذا المستفيد.",
  "payee.change": "تغيير البيانات المصرفية…",
  "payee.changeTitle": "تغيير البيانات المصرفية",
  "payee.changeWarn":
    "تعود الدفعات المعتمدة غير المصدّرة التي تضم هذا المستفيد إلى الاعتماد، ولن يحق لك اعتمادها.",
  "payee.save": "حفظ البيانات",
  "batch.createFrom": "إنشاء دفعة…",
  "batch.createTitle": "إنشاء دفعة مدفوعات",
  "batch.selection": "{count} من المدفوعات المحددة",
  "batch.useFilter": "لم تُحدَّد أي مدفوعات: تأخذ الدفعة المدفوعات المعتمدة المطابقة لهذا المرشّح.",
  "batch.anyPurpose": "أي غرض",
  "batch.anyOffice": "أي مكتب",
  "batch.period": "الفترة (YYYY-MM، اختياري)",
  "batch.totals": "المجاميع حسب العملة",
  "batch.profile": "ملف مقدّم خدمة الدفع",
  "batch.currency": "العملة",
  "batch.only": "تدخل هذه الدفعة المدفوعات الـ{count} بعملة {currency} فقط.",
  "batch.name": "الاسم (اختياري)",
  "batch.createNow": "إنشاء الدفعة",
  "batch.refused": "لم تُنشأ أي دفعة: لا يمكن لأي من هذه المدفوعات أن يدخلها.",
  "batch.noProfile": "اختر ملف مقدّم خدمة الدفع.",
  "batch.queue": "بانتظار اعتمادك",
  "batch.queueEmpty": "لا توجد دفعة بانتظار اعتمادك.",
  "batch.queueOpen": "فتح",
  "batch.inProgress": "الدفعات قيد المعالجة",
  "batch.inProgressEmpty": "لا توجد دفعات قيد المعالجة.",
  "batch.paidFailed": "{paid} مدفوعة، {failed} فاشلة",
  "reason.alreadyBatched": "موجودة بالفعل في دفعة أخرى",
  "reason.sent": "أُرسلت للدفع بالفعل",
  "reason.notApproved": "لم تُعتمد بعد",
  "reason.currency": "بعملة أخرى",
  "reason.provider": "مقرر دفعها عبر مقدّم خدمة آخر",
  "reason.missing": "لا توجد دفعة بهذا الرقم",
};

const dicts = { en, es, fr, ar };

export type FinanceTextKey = Key;
export const financeText = textFrom<Key>(dicts);

/** Core's reasons a payment cannot join a batch (English sentences), in the user's language. */
export function reasonText(lang: Lang, message: string): string {
  const k: Key | undefined = message.startsWith("Already in another batch")
    ? "reason.alreadyBatched"
    : message.startsWith("Already sent")
      ? "reason.sent"
      : message.startsWith("Not approved")
        ? "reason.notApproved"
        : message.startsWith("Paid in ")
          ? "reason.currency"
          : message.startsWith("Set to be paid")
            ? "reason.provider"
            : message.startsWith("No such payment")
              ? "reason.missing"
              : undefined;
  return k ? financeText(lang, k) : message;
}

export const PayeeKindLabels: Record<"individual" | "host" | "supplier", Labels> = {
  individual: label("Person", "Persona", "Personne", "شخص"),
  host: label("Host family", "Familia de acogida", "Famille d’accueil", "أسرة مضيفة"),
  supplier: label("Supplier", "Proveedor", "Fournisseur", "مورد"),
};
export const ChannelTypeLabels: Record<"bank" | "mobile_money" | "cash_pickup", Labels> = {
  bank: label("Bank account", "Cuenta bancaria", "Compte bancaire", "حساب مصرفي"),
  mobile_money: label("Mobile money", "Dinero móvil", "Mobile money", "محفظة متنقلة"),
  cash_pickup: label("Cash pick-up", "Retiro en efectivo", "Retrait en espèces", "استلام نقدي"),
};

/**
 * Labels of the payee fields, kept beside the payee screens and added to the shared field labels once (only where
 * the shared table has none), so grid headers, forms and record pages name them in the user's language.
 */
const payeeFields: Record<string, Labels> = {
  nameLatin: label(
    "Name as the bank knows it",
    "Nombre como lo conoce el banco",
    "Nom connu de la banque",
    "الاسم كما يعرفه المصرف",
  ),
  active: label("Active", "Activo", "Actif", "نشط"),
  account: label("Account", "Cuenta", "Compte", "الحساب"),
  channel: label("Payment channel", "Canal de pago", "Canal de paiement", "قناة الدفع"),
  "channel.type": label("Channel", "Canal", "Canal", "القناة"),
  "channel.iban": label("IBAN", "IBAN", "IBAN", "IBAN"),
  "channel.bic": label("BIC", "BIC", "BIC", "BIC"),
  "channel.accountNumber": label("Account number", "Número de cuenta", "Numéro de compte", "رقم الحساب"),
  "channel.bankName": label("Bank", "Banco", "Banque", "المصرف"),
  "channel.msisdn": label("Mobile number", "Número de móvil", "Numéro de mobile", "رقم الهاتف المحمول"),
  "channel.provider": label("Provider", "Proveedor del servicio", "Opérateur", "مقدّم الخدمة"),
  "channel.pickupPoint": label("Pick-up point", "Punto de retiro", "Point de retrait", "نقطة الاستلام"),
  iban: label("IBAN", "IBAN", "IBAN", "IBAN"),
  bic: label("BIC", "BIC", "BIC", "BIC"),
  accountNumber: label("Account number", "Número de cuenta", "Numéro de compte", "رقم الحساب"),
  msisdn: label("Mobile number", "Número de móvil", "Numéro de mobile", "رقم الهاتف المحمول"),
  provider: label("Provider", "Proveedor del servicio", "Opérateur", "مقدّم الخدمة"),
  hostID: label("Host", "Familia de acogida", "Famille d’accueil", "المضيف"),
  supplierID: label("Supplier", "Proveedor", "Fournisseur", "المورد"),
  timeAccountChanged: label(
    "Account last changed",
    "Última modificación de la cuenta",
    "Compte modifié le",
    "آخر تغيير للحساب",
  ),
};
for (const [k, v] of Object.entries(payeeFields)) if (!Object.hasOwn(FieldLabels, k)) FieldLabels[k] = v;
