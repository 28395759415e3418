import type { PDFPage } from "pdf-lib";
import { Readable } from "node:stream";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { AuditEntity } from "../audit/audit.entity.ts";
import { batchGet } from "../common/batch-get.ts";
import { CaseEntity, CaseMemberEntity } from "../case/case.entity.ts";
import { ObjectStore } from "../export/store.ts";
import { IncidentEntity } from "../incident/incident.entity.ts";
import { Individual } from "../individual/index.ts";
import { NoteEntity } from "../note/note.entity.ts";
import { PayeeEntity } from "../payee/payee.entity.ts";
import { PaymentEntity } from "../payment/payment.entity.ts";
import { ReferralEntity } from "../referral/referral.entity.ts";
import { UserEntity } from "../user/user.entity.ts";
import { ConsentEntity } from "./consent.entity.ts";
import { Narrative } from "./narrative.ts";
import { assertPurpose, logExport } from "./export-log.ts";
import { ExportPurposeLabels } from "@waypoint/schema/privacy";
import { Sharing, type SharingEntry } from "./sharing.ts";

type Row = Record<string, unknown>;
export interface SubjectAccessFile {
  generated: string;
  language: "en" | "es" | "fr" | "ar";
  person: Row;
  consents: Row[];
  cases: (Row & { notes: Row[] })[];
  incidents: Row[];
  referrals: Row[];
  payments: Row[];
  history: { time: string; action: string; by: string; fields: string[] }[];
  restrictedReads: { time: string; recordType: string; recordID: string; by: string }[];
  sharing: SharingEntry[];
}

const PERSON_FIELDS = [
  "registrationNumber",
  "givenName",
  "familyName",
  "transliterations",
  "sex",
  "dateOfBirth",
  "estimatedAge",
  "nationality",
  "languages",
  "legalStatus",
  "documents",
  "specificNeeds",
  "phone",
  "householdID",
  "relationshipToHead",
  "adm1",
  "adm2",
  "status",
  "timeCreated",
  "timeUpdated",
];
const pick = (r: Row, fields: string[]) =>
  Object.fromEntries(fields.filter((f) => r[f] !== undefined && r[f] !== null).map((f) => [f, r[f]]));

const LANG: Record<string, SubjectAccessFile["language"]> = { spa: "es", fra: "fr", ara: "ar", eng: "en" };

/**
 * Subject access: everything Waypoint holds about a person (their record, consents, cases and notes, incidents,
 * referrals, payments, the history of their record, who read their restricted records, and with whom they were
 * shared), for the roles that may produce it (`individual.subjectAccess`), audited.
 */
export async function collect(individualID: string): Promise<SubjectAccessFile> {
  const seen = await Individual.get(individualID);
  Actor.assert("individual.subjectAccess", Individual.target(seen));
  const rec = (await Individual.load(individualID))!;
  const operationID = rec.operationID;
  const [members, consents, incidents, referrals, payees] = await Promise.all([
    CaseMemberEntity.query.byIndividual({ individualID }).go({ pages: "all" }),
    ConsentEntity.query.primary({ individualID }).go({ pages: "all" }),
    IncidentEntity.query
      .byOperation({ operationID })
      .where((a, { contains }) => contains(a.individualIDs, individualID))
      .go({ pages: "all" }),
    ReferralEntity.query
      .byOperation({ operationID })
      .where((a, { eq }) => eq(a.individualID, individualID))
      .go({ pages: "all" }),
    PayeeEntity.query
      .byOperation({ operationID })
      .where((a, { eq }) => eq(a.individualID, individualID))
      .go({ pages: "all" }),
  ]);
  const caseIDs = members.data.map((m) => m.caseID);
  const cases = await batchGet<Row & { caseID: string }>(
    CaseEntity,
    caseIDs.map((caseID) => ({ caseID })),
  );
  const restrictedNotes: string[] = [];
  const withNotes = await Promise.all(
    cases.map(async (c) => {
      const notes = (await NoteEntity.query.byCase({ caseID: c.caseID }).go({ pages: "all" })).data as Row[];
      if (c.restricted) restrictedNotes.push(...notes.map((n) => n.noteID as string));
      return {
        ...pick(c, [
          "caseNumber",
          "type",
          "subType",
          "stage",
          "riskLevel",
          "summary",
          "timeCreated",
          "timeUpdated",
        ]),
        notes: await Promise.all(
          notes
            .filter((n) => !n.deleted)
            .map(async (n) => pick(await Narrative.openFields(n, ["body"]), ["kind", "body", "timeCreated"])),
        ),
      };
    }),
  );
  const payments = (
    await Promise.all(
      payees.data.map((p) => PaymentEntity.query.byPayee({ payeeID: p.payeeID }).go({ pages: "all" })),
    )
  )
    .flatMap((r) => r.data as Row[])
    .map((p) => pick(p, ["purpose", "amount", "currency", "status", "period", "timeCreated"]));
  // the record's history (which fields changed, when, by whom) and who read their restricted records
  const restrictedIDs = [
    ...cases.filter((c) => c.restricted).map((c) => c.caseID),
    ...incidents.data.map((i) => i.incidentID),
    ...restrictedNotes,
  ];
  const [own, ...reads] = await Promise.all(
    [individualID, ...restrictedIDs].map((recordID) =>
      AuditEntity.query.byRecord({ recordID }).go({ pages: "all" }),
    ),
  );
  const readEvents = reads.flatMap((r) => r.data).filter((e) => e.action === "read");
  const users = await batchGet<{ userID: string; name: string }>(
    UserEntity,
    [...new Set([...own!.data, ...readEvents].map((e) => e.actorID).filter((a) => a.startsWith("usr_")))].map(
      (userID) => ({ userID }),
    ),
    { attributes: ["userID", "name"] },
  );
  const who = new Map(users.map((u) => [u.userID, u.name]));
  const by = (id: string) => who.get(id) ?? id;
  const file: SubjectAccessFile = {
    generated: new Date().toISOString(),
    language: LANG[(rec.languages as string[] | undefined)?.[0] ?? "eng"] ?? "en",
    person: pick(rec, PERSON_FIELDS),
    consents: consents.data.map((c) =>
      pick(c as Row, ["purpose", "scope", "status", "date", "how", "givenBy", "withdrawnOn"]),
    ),
    cases: withNotes,
    incidents: await Promise.all(
      incidents.data.map(async (i) =>
        pick(await Narrative.openFields(i as Row, ["description"]), [
          "kind",
          "dateOfIncident",
          "description",
        ]),
      ),
    ),
    referrals: referrals.data.map((r) =>
      pick(r as Row, [
        "referralNumber",
        "direction",
        "serviceCategory",
        "status",
        "reason",
        "consent",
        "timeCreated",
      ]),
    ),
    payments,
    history: own!.data.map((e) => ({
      time: e.time,
      action: e.action,
      by: by(e.actorID),
      fields: Object.keys((e.changes as object | undefined) ?? {}),
    })),
    restrictedReads: readEvents.map((e) => ({
      time: e.time,
      recordType: e.recordType,
      recordID: e.recordID,
      by: by(e.actorID),
    })),
    sharing: await Sharing.of(individualID),
  };
  return file;
}

const LABELS = {
  en: {
    title: "What we hold about you",
    generated: "Produced on",
    person: "Your record",
    consents: "Your consents",
    cases: "Your cases",
    notes: "Notes",
    incidents: "Incidents",
    referrals: "Referrals",
    payments: "Payments",
    history: "Changes to your record",
    reads: "Who read your protected records",
    sharing: "With whom your data was shared",
    none: "None",
  },
  es: {
    title: "Lo que guardamos sobre usted",
    generated: "Producido el",
    person: "Su registro",
    consents: "Sus consentimientos",
    cases: "Sus casos",
    notes: "Notas",
    incidents: "Incidentes",
    referrals: "Remisiones",
    payments: "Pagos",
    history: "Cambios en su registro",
    reads: "Quién leyó sus registros protegidos",
    sharing: "Con quién se compartieron sus datos",
    none: "Ninguno",
  },
  fr: {
    title: "Ce que nous conservons à votre sujet",
    generated: "Produit le",
    person: "Votre fiche",
    consents: "Vos consentements",
    cases: "Vos dossiers",
    notes: "Notes",
    incidents: "Incidents",
    referrals: "Orientations",
    payments: "Paiements",
    history: "Modifications de votre fiche",
    reads: "Qui a lu vos dossiers protégés",
    sharing: "Avec qui vos données ont été partagées",
    none: "Aucun",
  },
  ar: {
    title: "ما نحتفظ به عنك",
    generated: "أُعدّ في",
    person: "سجلّك",
    consents: "موافقاتك",
    cases: "ملفاتك",
    notes: "ملاحظات",
    incidents: "الحوادث",
    referrals: "الإحالات",
    payments: "المدفوعات",
    history: "التغييرات على سجلّك",
    reads: "من اطّلع على سجلاتك المحمية",
    sharing: "مع من شُوركت بياناتك",
    none: "لا شيء",
  },
};

/**
 * The file as a readable PDF (A4) in the person's language, Arabic right to left: names and narratives in any
 * script are printed with embedded fonts, shaped and in reading order (common/pdf-text.ts), never as "?".
 */
export async function toPdf(file: SubjectAccessFile): Promise<Uint8Array> {
  // loaded on first use: the registry's Lambda chunk does not carry the PDF library or the fonts
  const [{ PDFDocument, rgb }, { PdfText }] = await Promise.all([import("pdf-lib"), import("../common/pdf-text.ts")]);
  const L = LABELS[file.language];
  const rtl = file.language === "ar";
  const doc = await PDFDocument.create();
  doc.setTitle(L.title);
  doc.setLanguage(file.language);
  const text = await PdfText.for(doc);
  const color = rgb(0.1, 0.1, 0.1);
  let page: PDFPage = doc.addPage([595, 842]);
  let y = 800;
  const line = async (value: string, size = 10, bold = false) => {
    for (const part of await text.wrap(value, { size, bold }, 500)) {
      if (y < 50) {
        page = doc.addPage([595, 842]);
        y = 800;
      }
      await text.draw(page, part, { x: rtl ? 547 : 48, y, align: rtl ? "right" : "left", rtl }, { size, bold, color });
      y -= size + 5;
    }
  };
  const heading = async (value: string) => {
    y -= 6;
    await line(value, 13, true);
  };
  const fmt = (v: unknown): string =>
    Array.isArray(v)
      ? v.map(fmt).join(", ")
      : v && typeof v === "object"
        ? Object.entries(v as Row)
            .map(([k, x]) => `${k}: ${fmt(x)}`)
            .join("; ")
        : String(v);
  const rows = async (items: Row[]) => {
    if (!items.length) await line(L.none);
    for (const r of items) await line(`- ${fmt(r)}`);
  };
  await line(L.title, 18, true);
  await line(`${L.generated} ${file.generated.slice(0, 10)}`);
  await heading(L.person);
  for (const [k, v] of Object.entries(file.person)) await line(`${k}: ${fmt(v)}`);
  await heading(L.consents);
  await rows(file.consents);
  await heading(L.cases);
  if (!file.cases.length) await line(L.none);
  for (const c of file.cases) {
    const { notes, ...rest } = c;
    await line(`- ${fmt(rest)}`);
    for (const n of notes) await line(`    ${L.notes}: ${fmt(n)}`);
  }
  await heading(L.incidents);
  await rows(file.incidents);
  await heading(L.referrals);
  await rows(file.referrals);
  await heading(L.payments);
  await rows(file.payments);
  await heading(L.history);
  await rows(file.history as unknown as Row[]);
  await heading(L.reads);
  await rows(file.restrictedReads as unknown as Row[]);
  await heading(L.sharing);
  // an export's purpose in the person's language (a code of ExportPurposes; older entries keep their words)
  const purposes = ExportPurposeLabels as Record<string, Record<string, string>>;
  await rows(
    file.sharing.map((e) =>
      e.purpose && purposes[e.purpose] ? { ...e, purpose: purposes[e.purpose]![file.language] ?? e.purpose } : e,
    ) as unknown as Row[],
  );
  return doc.save();
}

/** The subject-access file as JSON or PDF: a link on AWS (through the bucket), the content locally; audited. */
export async function subjectAccess(
  individualID: string,
  format: "json" | "pdf",
  why: { purpose?: string; purposeOther?: string; recipient?: string } = {},
) {
  assertPurpose(why);
  const file = await collect(individualID);
  const rec = (await Individual.load(individualID))!;
  const body =
    format === "pdf" ? Buffer.from(await toPdf(file)) : Buffer.from(JSON.stringify(file, null, 2), "utf8");
  const contentType = format === "pdf" ? "application/pdf" : "application/json";
  const filename = `subject-access-${rec.registrationNumber}.${format}`;
  await Audit.record({
    recordID: individualID,
    recordType: "individual",
    action: "subject_access",
    operationID: rec.operationID,
    officeID: rec.officeID,
    restricted: true,
    changes: { format: { after: format } },
  });
  // the file leaves Waypoint with the person in it: their sharing log says so (who, when, what for)
  await logExport({ kind: "subject_access", format, ...why, purpose: why.purpose ?? "subject_access" }, [individualID]);
  const link = await ObjectStore.offload(Readable.from([body]), { fileName: filename, contentType });
  return link ? { link, filename, contentType } : { body, filename, contentType };
}
