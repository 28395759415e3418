import type { InterestLanguage } from "@waypoint/schema/partner";

/** Bump when the wording changes: each lead records the version the person agreed to. */
export const CONSENT_VERSION = "2026-11";

/** What a person agrees to when expressing interest, in the languages the form is offered in. */
export const ConsentTexts: Record<InterestLanguage, string> = {
  en: "I agree that the operation stores my name and contact details to contact me about this programme. My data is used only for identification and is not shared with anyone else without my consent. Submitting this form does not guarantee a place in the programme. I can ask for my data to be deleted at any time.",
  es: "Acepto que la operación guarde mi nombre y mis datos de contacto para comunicarse conmigo sobre este programa. Mis datos se usan solo para la identificación y no se comparten con nadie más sin mi consentimiento. Enviar este formulario no garantiza un lugar en el programa. Puedo pedir que se borren mis datos en cualquier momento.",
  fr: "J'accepte que l'opération conserve mon nom et mes coordonnées pour me contacter au sujet de ce programme. Mes données servent uniquement à l'identification et ne sont partagées avec personne d'autre sans mon consentement. L'envoi de ce formulaire ne garantit pas une place dans le programme. Je peux demander la suppression de mes données à tout moment.",
  ar: "أوافق على أن تحتفظ العملية باسمي وبيانات الاتصال الخاصة بي للتواصل معي بشأن هذا البرنامج. تُستخدم بياناتي لتحديد الهوية فقط ولا تُشارك مع أي جهة أخرى دون موافقتي. إرسال هذا النموذج لا يضمن مكانًا في البرنامج. يمكنني طلب حذف بياناتي في أي وقت.",
  hat: "Mwen dakò pou operasyon an kenbe non mwen ak enfòmasyon pou kontakte mwen, pou yo ka kontakte mwen sou pwogram sa a. Yo sèvi ak done mwen sèlman pou idantifikasyon, epi yo pa pataje yo ak okenn lòt moun san konsantman mwen. Voye fòmilè sa a pa garanti mwen yon plas nan pwogram nan. Mwen ka mande pou yo efase done mwen nenpòt ki lè.",
};
