import type { UiLanguages } from "@waypoint/schema/operations";

type UiLanguage = (typeof UiLanguages)[number];

/**
 * The staff e-mails in the four languages of the app. The language is the recipient's (their account's
 * `language`), else the operation's first language, else English (`Mail.languageFor`). Placeholders: `{name}`
 * (the recipient), `{link}` (the one-time link), `{hours}`, `{operation}`, `{minutes}`.
 */
export type MailKind = "invite" | "reset" | "joined" | "lockout";
type Template = { subject: string; text: string };

const T: Record<UiLanguage, Record<MailKind, Template>> = {
  en: {
    invite: {
      subject: "You are invited to Waypoint",
      text: "Hello {name},\n\nAn administrator created a Waypoint account for you. Open this link to choose your password (it works once, for {hours} hours):\n\n{link}\n",
    },
    reset: {
      subject: "Choose a new Waypoint password",
      text: "Hello {name},\n\nAn administrator asked for a new password for your Waypoint account. Open this link to choose it (it works once, for {hours} hours):\n\n{link}\n\nYour old password works until you choose the new one.",
    },
    joined: {
      subject: "You now work in {operation} on Waypoint",
      text: "Hello {name},\n\nAn administrator of {operation} gave your Waypoint account access to it. Sign in as usual and pick {operation} in the operation menu.\n",
    },
    lockout: {
      subject: "Your Waypoint account is locked for a while",
      text: "Hello {name},\n\nSomeone entered a wrong password for your Waypoint account several times in a row, so signing in is blocked for {minutes} minutes, even with the right password.\n\nIf it was you, wait and try again. If it was not you, tell your administrator: someone may be trying to guess your password.\n",
    },
  },
  es: {
    invite: {
      subject: "Le invitan a Waypoint",
      text: "Hola, {name}:\n\nUn administrador le creó una cuenta de Waypoint. Abra este enlace para elegir su contraseña (funciona una sola vez, durante {hours} horas):\n\n{link}\n",
    },
    reset: {
      subject: "Elija una nueva contraseña de Waypoint",
      text: "Hola, {name}:\n\nUn administrador pidió una nueva contraseña para su cuenta de Waypoint. Abra este enlace para elegirla (funciona una sola vez, durante {hours} horas):\n\n{link}\n\nSu contraseña actual sigue funcionando hasta que elija la nueva.",
    },
    joined: {
      subject: "Ahora trabaja en {operation} en Waypoint",
      text: "Hola, {name}:\n\nUn administrador de {operation} dio acceso a su cuenta de Waypoint. Inicie sesión como siempre y elija {operation} en el menú de operaciones.\n",
    },
    lockout: {
      subject: "Su cuenta de Waypoint está bloqueada por un tiempo",
      text: "Hola, {name}:\n\nAlguien escribió una contraseña incorrecta para su cuenta de Waypoint varias veces seguidas, así que el inicio de sesión está bloqueado durante {minutes} minutos, incluso con la contraseña correcta.\n\nSi fue usted, espere e inténtelo de nuevo. Si no fue usted, avise a su administrador: alguien podría estar intentando adivinar su contraseña.\n",
    },
  },
  fr: {
    invite: {
      subject: "Vous êtes invité·e sur Waypoint",
      text: "Bonjour {name},\n\nUn administrateur vous a créé un compte Waypoint. Ouvrez ce lien pour choisir votre mot de passe (il ne sert qu’une fois, pendant {hours} heures) :\n\n{link}\n",
    },
    reset: {
      subject: "Choisissez un nouveau mot de passe Waypoint",
      text: "Bonjour {name},\n\nUn administrateur a demandé un nouveau mot de passe pour votre compte Waypoint. Ouvrez ce lien pour le choisir (il ne sert qu’une fois, pendant {hours} heures) :\n\n{link}\n\nVotre mot de passe actuel reste valable jusqu’à ce que vous choisissiez le nouveau.",
    },
    joined: {
      subject: "Vous travaillez désormais dans {operation} sur Waypoint",
      text: "Bonjour {name},\n\nUn administrateur de {operation} a donné accès à votre compte Waypoint. Connectez-vous comme d’habitude et choisissez {operation} dans le menu des opérations.\n",
    },
    lockout: {
      subject: "Votre compte Waypoint est bloqué pour un moment",
      text: "Bonjour {name},\n\nQuelqu’un a saisi un mauvais mot de passe pour votre compte Waypoint plusieurs fois de suite : la connexion est donc bloquée pendant {minutes} minutes, même avec le bon mot de passe.\n\nSi c’était vous, patientez puis réessayez. Sinon, prévenez votre administrateur : quelqu’un essaie peut-être de deviner votre mot de passe.\n",
    },
  },
  ar: {
    invite: {
      subject: "أنت مدعو إلى Waypoint",
      text: "مرحبًا {name}،\n\nأنشأ لك أحد المسؤولين حسابًا على Waypoint. افتح هذا الرابط لاختيار كلمة المرور (يعمل مرة واحدة، لمدة {hours} ساعة):\n\n{link}\n",
    },
    reset: {
      subject: "اختر كلمة مرور جديدة لـ Waypoint",
      text: "مرحبًا {name}،\n\nطلب أحد المسؤولين كلمة مرور جديدة لحسابك على Waypoint. افتح هذا الرابط لاختيارها (يعمل مرة واحدة، لمدة {hours} ساعة):\n\n{link}\n\nتبقى كلمة مرورك الحالية صالحة إلى أن تختار الجديدة.",
    },
    joined: {
      subject: "أصبحت تعمل في {operation} على Waypoint",
      text: "مرحبًا {name}،\n\nمنح أحد مسؤولي {operation} حسابك على Waypoint حق الوصول إليها. سجّل الدخول كالمعتاد واختر {operation} من قائمة العمليات.\n",
    },
    lockout: {
      subject: "حسابك على Waypoint مقفل لبعض الوقت",
      text: "مرحبًا {name}،\n\nأدخل أحدهم كلمة مرور خاطئة لحسابك على Waypoint عدة مرات متتالية، لذلك تسجيل الدخول موقوف لمدة {minutes} دقيقة، حتى بكلمة المرور الصحيحة.\n\nإن كنت أنت، فانتظر ثم حاول مجددًا. وإن لم تكن أنت، فأبلغ المسؤول: ربما يحاول أحدهم تخمين كلمة مرورك.\n",
    },
  },
};

/** The subject and text of a staff e-mail in `language`, placeholders filled. */
export function mailText(
  kind: MailKind,
  language: UiLanguage,
  values: Record<string, string | number>,
): Template {
  const t = (T[language] ?? T.en)[kind];
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(values, k) ? String(values[k]) : m));
  return { subject: fill(t.subject), text: fill(t.text) };
}
