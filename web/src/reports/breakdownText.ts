import { textFrom } from "../i18n/dictionary.ts";
import type { Lang } from "../i18n/messages.ts";

/** The dashboard's "people by a configured field" card, in the four languages. */
const en = {
  "breakdown.title": "People by a field of your operation",
  "breakdown.field": "Field",
  "breakdown.table": "Table",
  "breakdown.table.sex": "By sex",
  "breakdown.table.agd": "By sex and age",
  "breakdown.csv": "Download CSV",
  "breakdown.xlsx": "Download Excel",
  "breakdown.withheld": "Fewer than {n}: withheld so no one can be singled out",
  "breakdown.note": "Counts below {n} are withheld, as in every shared export.",
  "breakdown.empty": "No field of individuals with a code list or yes/no answer yet.",
  "breakdown.total": "Total",
  "breakdown.female": "Female",
  "breakdown.male": "Male",
  "breakdown.otherSex": "Other sex",
  "breakdown.sexUnknown": "Sex unknown",
  "breakdown.ageUnknown": "age unknown",
  "breakdown.failed": "The table could not be loaded. Try again.",
};
type Key = keyof typeof en;
type Dict = Partial<Record<Key, string>>;

const es: Dict = {
  "breakdown.title": "Personas según un campo de su operación",
  "breakdown.field": "Campo",
  "breakdown.table": "Tabla",
  "breakdown.table.sex": "Por sexo",
  "breakdown.table.agd": "Por sexo y edad",
  "breakdown.csv": "Descargar CSV",
  "breakdown.xlsx": "Descargar Excel",
  "breakdown.withheld": "Menos de {n}: se oculta para que nadie pueda ser identificado",
  "breakdown.note": "Las cifras menores que {n} se ocultan, como en toda exportación compartida.",
  "breakdown.empty": "Aún no hay ningún campo de personas con lista de códigos o respuesta sí/no.",
  "breakdown.total": "Total",
  "breakdown.female": "Mujeres",
  "breakdown.male": "Hombres",
  "breakdown.otherSex": "Otro sexo",
  "breakdown.sexUnknown": "Sexo desconocido",
  "breakdown.ageUnknown": "edad desconocida",
  "breakdown.failed": "No se pudo cargar la tabla. Inténtelo de nuevo.",
};
const fr: Dict = {
  "breakdown.title": "Personnes selon un champ de votre opération",
  "breakdown.field": "Champ",
  "breakdown.table": "Tableau",
  "breakdown.table.sex": "Par sexe",
  "breakdown.table.agd": "Par sexe et âge",
  "breakdown.csv": "Télécharger en CSV",
  "breakdown.xlsx": "Télécharger en Excel",
  "breakdown.withheld": "Moins de {n} : masqué pour que personne ne puisse être identifié",
  "breakdown.note": "Les effectifs inférieurs à {n} sont masqués, comme dans tout export partagé.",
  "breakdown.empty": "Aucun champ des personnes avec une liste de codes ou une réponse oui/non pour l'instant.",
  "breakdown.total": "Total",
  "breakdown.female": "Femmes",
  "breakdown.male": "Hommes",
  "breakdown.otherSex": "Autre sexe",
  "breakdown.sexUnknown": "Sexe inconnu",
  "breakdown.ageUnknown": "âge inconnu",
  "breakdown.failed": "Le tableau n'a pas pu être chargé. Réessayez.",
};
const ar: Dict = {
  "breakdown.title": "الأشخاص حسب حقل من حقول عمليتك",
  "breakdown.field": "الحقل",
  "breakdown.table": "الجدول",
  "breakdown.table.sex": "حسب الجنس",
  "breakdown.table.agd": "حسب الجنس والعمر",
  "breakdown.csv": "تنزيل CSV",
  "breakdown.xlsx": "تنزيل Excel",
  "breakdown.withheld": "أقل من {n}: محجوب حتى لا يمكن تمييز أحد",
  "breakdown.note": "الأعداد الأقل من {n} محجوبة، كما في كل تصدير يُشارَك.",
  "breakdown.empty": "لا يوجد بعد حقل للأفراد بقائمة رموز أو بإجابة نعم/لا.",
  "breakdown.total": "المجموع",
  "breakdown.female": "إناث",
  "breakdown.male": "ذكور",
  "breakdown.otherSex": "جنس آخر",
  "breakdown.sexUnknown": "الجنس غير معروف",
  "breakdown.ageUnknown": "العمر غير معروف",
  "breakdown.failed": "تعذّر تحميل الجدول. حاول مرة أخرى.",
};

const dicts: Record<Lang, Dict> = { en, es, fr, ar };

export type BreakdownTextKey = Key;
export const breakdownText = textFrom<Key>(dicts as Record<Lang, Dict> & { en: Record<Key, string> });
