import { textFrom } from "../i18n/dictionary.ts";
import type { Lang } from "../i18n/messages.ts";

/** The payment batch page's words, in the four languages (kept beside the page that uses them). */
const en = {
  "batch.work": "Work on this batch",
  "batch.approvals": "Approvals: {given} of {required}",
  "batch.flagged":
    "The bank or mobile-money details of {count} payees changed after this batch was submitted. The approvers must look again before it can be exported.",
  "batch.changedBy": "Someone who changed payee details in this batch may not approve it.",
  "batch.yourOwn": "You created or submitted this batch, so someone else must approve it.",
  "batch.submit": "Submit for approval",
  "batch.approve": "Approve",
  "batch.reject": "Reject",
  "batch.rejectTitle": "Reject this batch",
  "batch.rejectReason": "Why is it rejected? The payments go back to be batched again.",
  "batch.approveTitle": "Approve this batch",
  "batch.approveNote": "Note for the record (optional)",
  "batch.export": "Export for the payment provider",
  "batch.format": "File format",
  "batch.acceptFlagged": "I have checked the changed payee details and accept them",
  "batch.exports": "Exported files",
  "batch.noExports": "No file exported yet.",
  "batch.download": "Download",
  "batch.reconcile": "Upload the provider's report",
  "batch.reportFile": "Report file (pain.002 XML, or CSV)",
  "batch.matchOn": "Match lines by",
  "batch.match.endToEndId": "End-to-end reference",
  "batch.match.paymentID": "Payment number",
  "batch.match.msisdn": "Phone number",
  "batch.upload": "Reconcile",
  "batch.report": "Result of the report",
  "batch.controlOk": "The report's count and total match the batch.",
  "batch.controlBad":
    "The report's count or total differ from the batch: {fileCount} lines for {fileTotal}, the batch holds {batchCount} for {batchTotal}.",
  "batch.close": "Close the batch",
  "batch.lines": "Lines that need a look",
  "batch.line": "Line",
  "batch.reference": "Reference",
  "batch.outcome": "Outcome",
  "batch.reason": "Reason",
  "batch.count": "Payments",
  "batch.amount": "Amount",
  "batch.error.accountChangedAfterApproval":
    "A payee's bank or mobile-money details changed after the batch was approved: it needs a new approval.",
  "batch.error.flagged": "Some payees changed after submission: tick that you have checked them.",
  "batch.error.bankName":
    "These payees need their name as the bank knows it (Latin letters) before the file can be made:",
  "batch.error.notDraft": "Only a draft batch can be submitted.",
  "batch.error.empty": "The batch holds no payments.",
  "batch.error.notSubmitted": "This batch is not waiting for approval.",
  "batch.error.alreadyApproved": "You already approved this batch.",
};
type Key = keyof typeof en;
type Dict = Record<Key, string>;

const es: Dict = {
  "batch.work": "Trabajo en este lote",
  "batch.approvals": "Aprobaciones: {given} de {required}",
  "batch.flagged":
    "Los datos bancarios o de dinero móvil de {count} beneficiarios cambiaron después de enviar este lote. Quienes aprueban deben revisarlo de nuevo antes de exportarlo.",
  "batch.changedBy": "Quien cambió datos de un beneficiario de este lote no puede aprobarlo.",
  "batch.yourOwn": "Usted creó o envió este lote: otra persona debe aprobarlo.",
  "batch.submit": "Enviar para aprobación",
  "batch.approve": "Aprobar",
  "batch.reject": "Rechazar",
  "batch.rejectTitle": "Rechazar este lote",
  "batch.rejectReason": "¿Por qué se rechaza? Los pagos vuelven a quedar disponibles para otro lote.",
  "batch.approveTitle": "Aprobar este lote",
  "batch.approveNote": "Nota para el registro (opcional)",
  "batch.export": "Exportar para el proveedor de pagos",
  "batch.format": "Formato del archivo",
  "batch.acceptFlagged": "He revisado los datos cambiados de los beneficiarios y los acepto",
  "batch.exports": "Archivos exportados",
  "batch.noExports": "Todavía no se exportó ningún archivo.",
  "batch.download": "Descargar",
  "batch.reconcile": "Subir el informe del proveedor",
  "batch.reportFile": "Archivo del informe (pain.002 XML o CSV)",
  "batch.matchOn": "Relacionar líneas por",
  "batch.match.endToEndId": "Referencia de extremo a extremo",
  "batch.match.paymentID": "Número de pago",
  "batch.match.msisdn": "Número de teléfono",
  "batch.upload": "Conciliar",
  "batch.report": "Resultado del informe",
  "batch.controlOk": "El número de líneas y el total del informe coinciden con el lote.",
  "batch.controlBad":
    "El número o el total del informe no coinciden: {fileCount} líneas por {fileTotal}; el lote tiene {batchCount} por {batchTotal}.",
  "batch.close": "Cerrar el lote",
  "batch.lines": "Líneas que requieren revisión",
  "batch.line": "Línea",
  "batch.reference": "Referencia",
  "batch.outcome": "Resultado",
  "batch.reason": "Motivo",
  "batch.count": "Pagos",
  "batch.amount": "Importe",
  "batch.error.accountChangedAfterApproval":
    "Los datos bancarios o de dinero móvil de un beneficiario cambiaron después de la aprobación: el lote necesita una nueva aprobación.",
  "batch.error.flagged": "Algunos beneficiarios cambiaron después del envío: marque que los ha revisado.",
  "batch.error.bankName":
    "Estos beneficiarios necesitan su nombre tal como lo conoce el banco (letras latinas) antes de generar el archivo:",
  "batch.error.notDraft": "Solo se puede enviar un lote en borrador.",
  "batch.error.empty": "El lote no contiene pagos.",
  "batch.error.notSubmitted": "Este lote no está pendiente de aprobación.",
  "batch.error.alreadyApproved": "Usted ya aprobó este lote.",
};

const fr: Dict = {
  "batch.work": "Travail sur ce lot",
  "batch.approvals": "Approbations : {given} sur {required}",
  "batch.flagged":
    "Les coordonnées bancaires ou mobile money de {count} bénéficiaires ont changé après la soumission de ce lot. Les approbateurs doivent le revoir avant l’export.",
  "batch.changedBy":
    "Une personne qui a modifié les coordonnées d’un bénéficiaire de ce lot ne peut pas l’approuver.",
  "batch.yourOwn": "Vous avez créé ou soumis ce lot : une autre personne doit l’approuver.",
  "batch.submit": "Soumettre pour approbation",
  "batch.approve": "Approuver",
  "batch.reject": "Rejeter",
  "batch.rejectTitle": "Rejeter ce lot",
  "batch.rejectReason": "Pourquoi le rejeter ? Les paiements redeviennent disponibles pour un autre lot.",
  "batch.approveTitle": "Approuver ce lot",
  "batch.approveNote": "Note pour le dossier (facultatif)",
  "batch.export": "Exporter pour le prestataire de paiement",
  "batch.format": "Format du fichier",
  "batch.acceptFlagged": "J’ai vérifié les coordonnées modifiées des bénéficiaires et je les accepte",
  "batch.exports": "Fichiers exportés",
  "batch.noExports": "Aucun fichier exporté pour l’instant.",
  "batch.download": "Télécharger",
  "batch.reconcile": "Charger le rapport du prestataire",
  "batch.reportFile": "Fichier du rapport (pain.002 XML ou CSV)",
  "batch.matchOn": "Rapprocher les lignes par",
  "batch.match.endToEndId": "Référence de bout en bout",
  "batch.match.paymentID": "Numéro de paiement",
  "batch.match.msisdn": "Numéro de téléphone",
  "batch.upload": "Rapprocher",
  "batch.report": "Résultat du rapport",
  "batch.controlOk": "Le nombre de lignes et le total du rapport correspondent au lot.",
  "batch.controlBad":
    "Le nombre ou le total du rapport diffèrent : {fileCount} lignes pour {fileTotal} ; le lot en contient {batchCount} pour {batchTotal}.",
  "batch.close": "Clôturer le lot",
  "batch.lines": "Lignes à examiner",
  "batch.line": "Ligne",
  "batch.reference": "Référence",
  "batch.outcome": "Résultat",
  "batch.reason": "Motif",
  "batch.count": "Paiements",
  "batch.amount": "Montant",
  "batch.error.accountChangedAfterApproval":
    "Les coordonnées d’un bénéficiaire ont changé après l’approbation : le lot doit être approuvé à nouveau.",
  "batch.error.flagged":
    "Des bénéficiaires ont changé après la soumission : cochez que vous les avez vérifiés.",
  "batch.error.bankName":
    "Ces bénéficiaires ont besoin de leur nom tel que la banque le connaît (lettres latines) avant la création du fichier :",
  "batch.error.notDraft": "Seul un lot en brouillon peut être soumis.",
  "batch.error.empty": "Le lot ne contient aucun paiement.",
  "batch.error.notSubmitted": "Ce lot n’attend pas d’approbation.",
  "batch.error.alreadyApproved": "Vous avez déjà approuvé ce lot.",
};

const ar: Dict = {
  "batch.work": "العمل على هذه الدفعة",
  "batch.approvals": "الموافقات: {given} من {required}",
  "batch.flagged":
    "تغيّرت البيانات المصرفية أو بيانات المحفظة المتنقلة لعدد {count} من المستفيدين بعد تقديم هذه الدفعة. يجب أن يراجعها المعتمدون مرة أخرى قبل تصديرها.",
  "batch.changedBy": "من غيّر بيانات مستفيد في هذه الدفعة لا يجوز له اعتمادها.",
  "batch.yourOwn": "أنت من أنشأ هذه الدفعة أو قدّمها، لذا يجب أن يعتمدها شخص آخر.",
  "batch.submit": "تقديم للاعتماد",
  "batch.approve": "اعتماد",
  "batch.reject": "رفض",
  "batch.rejectTitle": "رفض هذه الدفعة",
  "batch.rejectReason": "ما سبب الرفض؟ تعود المدفوعات متاحة لدفعة أخرى.",
  "batch.approveTitle": "اعتماد هذه الدفعة",
  "batch.approveNote": "ملاحظة للسجل (اختياري)",
  "batch.export": "التصدير إلى مقدّم خدمة الدفع",
  "batch.format": "صيغة الملف",
  "batch.acceptFlagged": "راجعتُ بيانات المستفيدين التي تغيّرت وأقبلها",
  "batch.exports": "الملفات المصدّرة",
  "batch.noExports": "لم يُصدَّر أي ملف بعد.",
  "batch.download": "تنزيل",
  "batch.reconcile": "رفع تقرير مقدّم الخدمة",
  "batch.reportFile": "ملف التقرير (pain.002 XML أو CSV)",
  "batch.matchOn": "مطابقة الأسطر حسب",
  "batch.match.endToEndId": "المرجع من طرف إلى طرف",
  "batch.match.paymentID": "رقم الدفعة",
  "batch.match.msisdn": "رقم الهاتف",
  "batch.upload": "تسوية",
  "batch.report": "نتيجة التقرير",
  "batch.controlOk": "عدد أسطر التقرير ومجموعه يطابقان الدفعة.",
  "batch.controlBad":
    "عدد أسطر التقرير أو مجموعه لا يطابقان الدفعة: {fileCount} سطرًا بمبلغ {fileTotal}، والدفعة تضم {batchCount} بمبلغ {batchTotal}.",
  "batch.close": "إغلاق الدفعة",
  "batch.lines": "أسطر تحتاج إلى مراجعة",
  "batch.line": "السطر",
  "batch.reference": "المرجع",
  "batch.outcome": "النتيجة",
  "batch.reason": "السبب",
  "batch.count": "المدفوعات",
  "batch.amount": "المبلغ",
  "batch.error.accountChangedAfterApproval":
    "تغيّرت بيانات مستفيد بعد اعتماد الدفعة: تحتاج الدفعة إلى اعتماد جديد.",
  "batch.error.flagged": "تغيّر بعض المستفيدين بعد التقديم: أكّد أنك راجعتهم.",
  "batch.error.bankName":
    "يحتاج هؤلاء المستفيدون إلى اسمهم كما يعرفه المصرف (بأحرف لاتينية) قبل إنشاء الملف:",
  "batch.error.notDraft": "لا يمكن تقديم إلا دفعة في حالة المسودة.",
  "batch.error.empty": "لا تحتوي الدفعة على أي مدفوعات.",
  "batch.error.notSubmitted": "هذه الدفعة لا تنتظر الاعتماد.",
  "batch.error.alreadyApproved": "لقد اعتمدت هذه الدفعة من قبل.",
};

const dicts: Record<Lang, Dict> = { en, es, fr, ar };

export type BatchTextKey = Key;
export const batchText = textFrom<Key>(dicts);

/** Core's rule codes for batches, as sentences in the user's language; undefined for codes without one. */
export const batchErrorKey: Record<string, Key> = {
  "batch.accountChangedAfterApproval": "batch.error.accountChangedAfterApproval",
  "batch.flagged": "batch.error.flagged",
  "batch.notDraft": "batch.error.notDraft",
  "batch.empty": "batch.error.empty",
  "batch.notSubmitted": "batch.error.notSubmitted",
  "batch.alreadyApproved": "batch.error.alreadyApproved",
};
