import { textFrom } from "../i18n/dictionary.ts";
import type { Lang } from "../i18n/messages.ts";

/** The words of the data-protection actions on a person's page, in the four languages. */
const en = {
  "privacy.erase": "Erase this person…",
  "privacy.eraseTitle": "Erase this person",
  "privacy.eraseReason":
    "Why is this person erased (their request, a court order)? Everything held about them is removed for good: their record, cases only about them, notes, referrals, intakes, messages and files. Payments stay, without their name. This cannot be undone.",
  "privacy.eraseSubmit": "Erase for good",
  "privacy.erased": "The person has been erased.",
  "privacy.tooShort": "Say why in a few words.",
  "privacy.failed": "The person could not be erased. Try again.",
};
type Key = keyof typeof en;
type Dict = Record<Key, string>;

const es: Dict = {
  "privacy.erase": "Borrar a esta persona…",
  "privacy.eraseTitle": "Borrar a esta persona",
  "privacy.eraseReason":
    "¿Por qué se borra a esta persona (a su pedido, por orden judicial)? Se elimina para siempre todo lo que se guarda sobre ella: su registro, los casos solo suyos, notas, remisiones, formularios recibidos, mensajes y archivos. Los pagos quedan, sin su nombre. No se puede deshacer.",
  "privacy.eraseSubmit": "Borrar para siempre",
  "privacy.erased": "Se borró a la persona.",
  "privacy.tooShort": "Explique el motivo en pocas palabras.",
  "privacy.failed": "No se pudo borrar a la persona. Inténtelo de nuevo.",
};

const fr: Dict = {
  "privacy.erase": "Effacer cette personne…",
  "privacy.eraseTitle": "Effacer cette personne",
  "privacy.eraseReason":
    "Pourquoi cette personne est-elle effacée (à sa demande, sur décision de justice) ? Tout ce qui est conservé à son sujet est supprimé définitivement : sa fiche, les dossiers qui ne concernent qu’elle, les notes, orientations, formulaires reçus, messages et fichiers. Les paiements restent, sans son nom. C’est irréversible.",
  "privacy.eraseSubmit": "Effacer définitivement",
  "privacy.erased": "La personne a été effacée.",
  "privacy.tooShort": "Indiquez la raison en quelques mots.",
  "privacy.failed": "La personne n’a pas pu être effacée. Réessayez.",
};

const ar: Dict = {
  "privacy.erase": "محو هذا الشخص…",
  "privacy.eraseTitle": "محو هذا الشخص",
  "privacy.eraseReason":
    "لماذا يُمحى هذا الشخص (بناءً على طلبه، بأمر من المحكمة)؟ يُحذف نهائيًا كل ما هو محفوظ عنه: سجله، والحالات الخاصة به وحده، والملاحظات، والإحالات، والاستمارات الواردة، والرسائل، والملفات. تبقى المدفوعات دون اسمه. لا يمكن التراجع عن ذلك.",
  "privacy.eraseSubmit": "محو نهائي",
  "privacy.erased": "تم محو الشخص.",
  "privacy.tooShort": "اذكر السبب في بضع كلمات.",
  "privacy.failed": "تعذّر محو الشخص. حاول مرة أخرى.",
};

const dicts: Record<Lang, Dict> = { en, es, fr, ar };

export type PrivacyTextKey = Key;
export const privacyText = textFrom<Key>(dicts);
