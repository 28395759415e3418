/**
 * Coded values of the registry with their labels in the operation's working languages (en, es, fr, ar). The grid
 * maps a pasted label in any of these languages back to its code with `labelToCode`.
 */
export const LabelLanguages = ["en", "es", "fr", "ar"] as const;
export type LabelLanguage = (typeof LabelLanguages)[number];
export type Labels = Record<LabelLanguage, string>;
/** A code's label in every language the app speaks. */
export const label = (en: string, es: string, fr: string, ar: string): Labels => ({ en, es, fr, ar });

/** Bump when a code is added, retired or re-labelled; stored records keep the version they were coded with. */
export const SPECIFIC_NEEDS_VERSION = "2026.1";

/**
 * Specific-needs codes in the style of UNHCR's standardised list: a category and its sub-codes (`DS-PM`).
 * A record may carry the category alone when the sub-type is not known yet.
 */
export const SpecificNeedsCodes = {
  CR: { en: "Child at risk", es: "Niño/a en riesgo", fr: "Enfant à risque", ar: "طفل معرض للخطر" },
  "CR-CP": { en: "Child parent", es: "Niño/a progenitor", fr: "Enfant parent", ar: "طفل والد" },
  "CR-CL": { en: "Child labour", es: "Trabajo infantil", fr: "Travail des enfants", ar: "عمالة الأطفال" },
  "CR-CS": {
    en: "Child associated with armed forces",
    es: "Niño/a vinculado a grupos armados",
    fr: "Enfant associé aux forces armées",
    ar: "طفل مرتبط بالقوات المسلحة",
  },
  UASC: {
    en: "Unaccompanied or separated child",
    es: "Niño/a no acompañado o separado",
    fr: "Enfant non accompagné ou séparé",
    ar: "طفل غير مصحوب أو منفصل",
  },
  "UASC-UM": {
    en: "Unaccompanied child",
    es: "Niño/a no acompañado",
    fr: "Enfant non accompagné",
    ar: "طفل غير مصحوب",
  },
  "UASC-SC": { en: "Separated child", es: "Niño/a separado", fr: "Enfant séparé", ar: "طفل منفصل" },
  WR: { en: "Woman at risk", es: "Mujer en riesgo", fr: "Femme à risque", ar: "امرأة معرضة للخطر" },
  "WR-SF": { en: "Single woman", es: "Mujer sola", fr: "Femme seule", ar: "امرأة وحيدة" },
  "WR-LW": {
    en: "Woman at risk of violence",
    es: "Mujer en riesgo de violencia",
    fr: "Femme à risque de violence",
    ar: "امرأة معرضة لخطر العنف",
  },
  ER: {
    en: "Older person at risk",
    es: "Persona mayor en riesgo",
    fr: "Personne âgée à risque",
    ar: "مسن معرض للخطر",
  },
  "ER-NF": {
    en: "Older person unable to care for self",
    es: "Persona mayor sin autonomía",
    fr: "Personne âgée dépendante",
    ar: "مسن غير قادر على رعاية نفسه",
  },
  SP: { en: "Single parent", es: "Padre o madre solo/a", fr: "Parent seul", ar: "والد وحيد" },
  DS: { en: "Disability", es: "Discapacidad", fr: "Handicap", ar: "إعاقة" },
  "DS-PM": {
    en: "Physical disability",
    es: "Discapacidad física",
    fr: "Handicap physique",
    ar: "إعاقة جسدية",
  },
  "DS-MM": { en: "Mental disability", es: "Discapacidad mental", fr: "Handicap mental", ar: "إعاقة ذهنية" },
  "DS-SD": {
    en: "Sensory disability",
    es: "Discapacidad sensorial",
    fr: "Handicap sensoriel",
    ar: "إعاقة حسية",
  },
  SM: {
    en: "Serious medical condition",
    es: "Condición médica grave",
    fr: "Problème médical grave",
    ar: "حالة طبية خطيرة",
  },
  "SM-CI": { en: "Chronic illness", es: "Enfermedad crónica", fr: "Maladie chronique", ar: "مرض مزمن" },
  "SM-MN": {
    en: "Mental health condition",
    es: "Condición de salud mental",
    fr: "Trouble de santé mentale",
    ar: "حالة صحة نفسية",
  },
  FU: { en: "Family unity", es: "Unidad familiar", fr: "Unité familiale", ar: "وحدة الأسرة" },
  "FU-TR": {
    en: "Tracing required",
    es: "Búsqueda familiar requerida",
    fr: "Recherche familiale requise",
    ar: "مطلوب البحث عن الأسرة",
  },
  LP: {
    en: "Legal and physical protection needs",
    es: "Necesidades de protección legal y física",
    fr: "Besoins de protection juridique et physique",
    ar: "احتياجات الحماية القانونية والجسدية",
  },
  "LP-ND": {
    en: "No legal documentation",
    es: "Sin documentación legal",
    fr: "Sans documents légaux",
    ar: "بدون وثائق قانونية",
  },
  "LP-DT": {
    en: "Detained or at risk of detention",
    es: "Detenido o en riesgo de detención",
    fr: "Détenu ou à risque de détention",
    ar: "محتجز أو معرض للاحتجاز",
  },
  "LP-RR": {
    en: "At risk of refoulement",
    es: "En riesgo de devolución",
    fr: "À risque de refoulement",
    ar: "معرض لخطر الإعادة القسرية",
  },
  SV: {
    en: "SGBV survivor",
    es: "Sobreviviente de VSG",
    fr: "Survivant(e) de VSBG",
    ar: "ناجٍ من العنف الجنسي والقائم على النوع",
  },
  TR: {
    en: "Torture survivor",
    es: "Sobreviviente de tortura",
    fr: "Survivant(e) de torture",
    ar: "ناجٍ من التعذيب",
  },
  VT: {
    en: "Victim of trafficking",
    es: "Víctima de trata",
    fr: "Victime de traite",
    ar: "ضحية الاتجار بالبشر",
  },
} as const satisfies Record<string, Labels>;
export type SpecificNeedsCode = keyof typeof SpecificNeedsCodes;
export const SpecificNeedsCodeList = Object.keys(SpecificNeedsCodes) as [
  SpecificNeedsCode,
  ...SpecificNeedsCode[],
];

/** The category of a code (`DS-PM` → `DS`). */
export const specificNeedsCategory = (code: string) => code.split("-")[0]!;

/** Codes whose presence alone can endanger the person: only full-access roles see them. */
export const SensitiveSpecificNeeds: readonly string[] = ["SV", "TR", "VT"];

export const SexLabels = {
  female: { en: "Female", es: "Mujer", fr: "Femme", ar: "أنثى" },
  male: { en: "Male", es: "Hombre", fr: "Homme", ar: "ذكر" },
  other: { en: "Other", es: "Otro", fr: "Autre", ar: "آخر" },
  unknown: { en: "Unknown", es: "Desconocido", fr: "Inconnu", ar: "غير معروف" },
} as const satisfies Record<string, Labels>;

export const LegalStatusLabels = {
  asylum_seeker: {
    en: "Asylum seeker",
    es: "Solicitante de asilo",
    fr: "Demandeur d'asile",
    ar: "طالب لجوء",
  },
  refugee: { en: "Refugee", es: "Refugiado", fr: "Réfugié", ar: "لاجئ" },
  complementary_protection: {
    en: "Complementary protection",
    es: "Protección complementaria",
    fr: "Protection complémentaire",
    ar: "حماية تكميلية",
  },
  stateless: { en: "Stateless", es: "Apátrida", fr: "Apatride", ar: "عديم الجنسية" },
  migrant: { en: "Migrant", es: "Migrante", fr: "Migrant", ar: "مهاجر" },
  returnee: { en: "Returnee", es: "Retornado", fr: "Rapatrié", ar: "عائد" },
  idp: { en: "Internally displaced", es: "Desplazado interno", fr: "Déplacé interne", ar: "نازح داخليا" },
  rejected: { en: "Rejected asylum seeker", es: "Solicitud rechazada", fr: "Débouté", ar: "طالب لجوء مرفوض" },
  unknown: { en: "Unknown", es: "Desconocido", fr: "Inconnu", ar: "غير معروف" },
} as const satisfies Record<string, Labels>;

export const RelationshipLabels = {
  head: { en: "Head of household", es: "Jefe/a de hogar", fr: "Chef de ménage", ar: "رب الأسرة" },
  spouse: { en: "Spouse or partner", es: "Cónyuge o pareja", fr: "Conjoint", ar: "زوج/زوجة" },
  child: { en: "Child", es: "Hijo/a", fr: "Enfant", ar: "ابن/ابنة" },
  stepchild: { en: "Stepchild", es: "Hijastro/a", fr: "Beau-fils/belle-fille", ar: "ربيب/ربيبة" },
  grandchild: { en: "Grandchild", es: "Nieto/a", fr: "Petit-enfant", ar: "حفيد/حفيدة" },
  parent: { en: "Parent", es: "Padre/madre", fr: "Parent", ar: "أب/أم" },
  grandparent: { en: "Grandparent", es: "Abuelo/a", fr: "Grand-parent", ar: "جد/جدة" },
  sibling: { en: "Sibling", es: "Hermano/a", fr: "Frère/sœur", ar: "أخ/أخت" },
  other_relative: { en: "Other relative", es: "Otro familiar", fr: "Autre parent", ar: "قريب آخر" },
  unrelated: { en: "Not related", es: "Sin parentesco", fr: "Sans lien de parenté", ar: "بدون قرابة" },
} as const satisfies Record<string, Labels>;

export const RecordStatusLabels = {
  active: { en: "Active", es: "Activo", fr: "Actif", ar: "نشط" },
  inactive: { en: "Inactive", es: "Inactivo", fr: "Inactif", ar: "غير نشط" },
  closed: { en: "Closed", es: "Cerrado", fr: "Clôturé", ar: "مغلق" },
  deceased: { en: "Deceased", es: "Fallecido", fr: "Décédé", ar: "متوفى" },
} as const satisfies Record<string, Labels>;

export const DocumentTypeLabels = {
  passport: { en: "Passport", es: "Pasaporte", fr: "Passeport", ar: "جواز سفر" },
  national_id: {
    en: "National ID",
    es: "Documento nacional de identidad",
    fr: "Carte d'identité nationale",
    ar: "بطاقة هوية وطنية",
  },
  birth_certificate: {
    en: "Birth certificate",
    es: "Acta de nacimiento",
    fr: "Acte de naissance",
    ar: "شهادة ميلاد",
  },
  refugee_id: { en: "Refugee ID", es: "Constancia de refugiado", fr: "Carte de réfugié", ar: "بطاقة لاجئ" },
  asylum_certificate: {
    en: "Asylum seeker certificate",
    es: "Constancia de solicitante",
    fr: "Attestation de demande d'asile",
    ar: "شهادة طالب لجوء",
  },
  visa: {
    en: "Visa or residence card",
    es: "Visa o tarjeta de residencia",
    fr: "Visa ou titre de séjour",
    ar: "تأشيرة أو بطاقة إقامة",
  },
  other: { en: "Other document", es: "Otro documento", fr: "Autre document", ar: "وثيقة أخرى" },
} as const satisfies Record<string, Labels>;

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u064B-\u065F]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/**
 * The code for a value typed or pasted into a grid: the code itself (any case) or its label in any label language,
 * ignoring accents, case and punctuation. Undefined when nothing matches.
 */
export function labelToCode<K extends string>(table: Record<K, Labels>, input: string): K | undefined {
  const wanted = fold(input);
  if (!wanted) return undefined;
  for (const code of Object.keys(table) as K[]) {
    if (fold(code) === wanted) return code;
    const labels = table[code];
    for (const lang of LabelLanguages) if (fold(labels[lang]) === wanted) return code;
  }
  return undefined;
}

/** The label of a code in a language, falling back to English and then the code. */
export function codeLabel<K extends string>(
  table: Record<K, Labels>,
  code: K,
  lang: LabelLanguage = "en",
): string {
  return table[code]?.[lang] ?? table[code]?.en ?? code;
}
