import type { MessageKind, MessageLanguage } from "@waypoint/schema/messages";

/**
 * The built-in texts, used until an administrator writes the operation's own (`Messages.putTemplate`). Short
 * enough for one or two SMS; placeholders in braces are filled in when the message is made.
 */
export const DefaultTemplates: Record<MessageKind, Record<MessageLanguage, string>> = {
  appointment_reminder: {
    en: "Hello {name}, reminder: your appointment is on {date} at {time}, {place}. Reply STOP to stop these messages.",
    es: "Hola {name}, le recordamos su cita el {date} a las {time}, {place}. Responda ALTO para no recibir más mensajes.",
    fr: "Bonjour {name}, rappel : votre rendez-vous est le {date} à {time}, {place}. Répondez ARRET pour ne plus recevoir ces messages.",
    ar: "مرحبًا {name}، تذكير: موعدك يوم {date} الساعة {time}، {place}. أرسل قف لإيقاف هذه الرسائل.",
  },
  briefing: {
    en: "Hello {name}, your trip to {destination} leaves on {date} at {time}. Please come to the preparatory briefing at {place} before you travel.",
    es: "Hola {name}, su viaje a {destination} sale el {date} a las {time}. Por favor venga a la sesión informativa de preparación en {place} antes de viajar.",
    fr: "Bonjour {name}, votre voyage vers {destination} part le {date} à {time}. Merci de venir à la séance d'information préparatoire à {place} avant le départ.",
    ar: "مرحبًا {name}، رحلتك إلى {destination} تغادر يوم {date} الساعة {time}. يرجى حضور الجلسة التحضيرية في {place} قبل السفر.",
  },
  departure: {
    en: "Hello {name}, your departure is on {date} at {time} from {place}. Please bring your documents.",
    es: "Hola {name}, su salida es el {date} a las {time} desde {place}. Por favor traiga sus documentos.",
    fr: "Bonjour {name}, votre départ est le {date} à {time} depuis {place}. Merci d'apporter vos documents.",
    ar: "مرحبًا {name}، موعد مغادرتك يوم {date} الساعة {time} من {place}. يرجى إحضار وثائقك.",
  },
  relocation_follow_up: {
    en: "Hello {name}, we would like to know how you are since your arrival. A caseworker will call you on {date}.",
    es: "Hola {name}, queremos saber cómo está desde su llegada. Una persona del equipo le llamará el {date}.",
    fr: "Bonjour {name}, nous aimerions savoir comment vous allez depuis votre arrivée. Un(e) agent vous appellera le {date}.",
    ar: "مرحبًا {name}، نود أن نطمئن عليك منذ وصولك. سيتصل بك أحد أفراد الفريق يوم {date}.",
  },
  payment: {
    en: "Hello {name}, your assistance payment is available from {date}. {place}",
    es: "Hola {name}, su pago de asistencia está disponible desde el {date}. {place}",
    fr: "Bonjour {name}, votre paiement d'assistance est disponible à partir du {date}. {place}",
    ar: "مرحبًا {name}، دفعة المساعدة الخاصة بك متاحة اعتبارًا من {date}. {place}",
  },
  notice: {
    en: "Hello {name}, {text}",
    es: "Hola {name}, {text}",
    fr: "Bonjour {name}, {text}",
    ar: "مرحبًا {name}، {text}",
  },
};

/** Fills `{placeholder}`s; an unknown one is left out rather than shown in braces. */
export function render(text: string, values: Record<string, string | undefined>): string {
  return text
    .replace(/\{(\w+)\}/g, (_, k: string) => (Object.hasOwn(values, k) ? (values[k] ?? "") : ""))
    .replace(/\s+([,.])/g, "$1")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** ISO 639-3 (and 639-1) codes of a person's languages → the template language to write in. */
const LANGS: Record<string, MessageLanguage> = {
  en: "en",
  eng: "en",
  es: "es",
  spa: "es",
  fr: "fr",
  fra: "fr",
  fre: "fr",
  ar: "ar",
  ara: "ar",
  arb: "ar",
  apc: "ar",
  ajp: "ar",
  arz: "ar",
  acm: "ar",
  ary: "ar",
  aeb: "ar",
  apd: "ar",
  ayl: "ar",
  shu: "ar",
};

/** The first of the person's languages a template can be written in, if any. */
export function languageOf(languages: readonly string[] | undefined): MessageLanguage | undefined {
  for (const l of languages ?? []) {
    const code = l.toLowerCase();
    if (Object.hasOwn(LANGS, code)) return LANGS[code];
  }
  return undefined;
}

/** Replies that stop messages (Twilio's standard words, and the operation's languages'). */
const STOP = new Set([
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "ALTO",
  "ARRET",
  "ARRÊT",
  "قف",
]);
const START = new Set(["START", "UNSTOP", "YES", "INICIO", "REPRENDRE"]);

/** What a reply asks for: stop, start again, or nothing (a reply to read). */
export function replyIntent(body: string): "stop" | "start" | undefined {
  const word = body
    .trim()
    .replace(/[.!¡?¿،\s]+$/u, "")
    .replace(/^[.!¡?¿\s]+/u, "")
    .toUpperCase();
  if (STOP.has(word) || STOP.has(word.normalize("NFD").replace(/\p{M}/gu, ""))) return "stop";
  if (START.has(word)) return "start";
  return undefined;
}
