import { Readable } from "node:stream";
import { z } from "zod";
import { ObjectStore } from "../export/store.ts";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
import { assertPurpose, logExport } from "../privacy/export-log.ts";
import { ExportPurposeFields } from "@waypoint/schema/privacy";
import { Operation } from "../operation/index.ts";
import { membersOf } from "./desk.ts";
import { readRelocation } from "./store.ts";
import { RelocationTrip } from "./trip.ts";

/** The ticket's words in the languages it is printed in (the household takes it through the gate). */
const WORDS = {
  en: {
    title: "Bus ticket",
    ticket: "Ticket number",
    passenger: "Passenger",
    household: "Household",
    from: "From",
    to: "To",
    departure: "Departure",
    carrier: "Carrier",
    seat: "Seat {n} of {total}",
    show: "Show this ticket at the gate. The QR code holds the ticket number.",
  },
  es: {
    title: "Boleto de autobús",
    ticket: "Número de boleto",
    passenger: "Pasajero/a",
    household: "Hogar",
    from: "Salida desde",
    to: "Destino",
    departure: "Salida",
    carrier: "Transportista",
    seat: "Asiento {n} de {total}",
    show: "Presente este boleto en el andén. El código QR contiene el número de boleto.",
  },
  fr: {
    title: "Billet de bus",
    ticket: "Numéro de billet",
    passenger: "Passager/ère",
    household: "Ménage",
    from: "Départ de",
    to: "Destination",
    departure: "Départ",
    carrier: "Transporteur",
    seat: "Place {n} sur {total}",
    show: "Présentez ce billet à l’embarquement. Le code QR contient le numéro du billet.",
  },
  ar: {
    title: "تذكرة حافلة",
    ticket: "رقم التذكرة",
    passenger: "الراكب/ة",
    household: "الأسرة",
    from: "المغادرة من",
    to: "الوجهة",
    departure: "موعد المغادرة",
    carrier: "شركة النقل",
    seat: "المقعد {n} من {total}",
    show: "أظهر هذه التذكرة عند البوابة. يحتوي رمز QR على رقم التذكرة.",
  },
} as const;

export const TicketPdfInput = z.object({
  relocationID: z.string(),
  /** The language printed on the ticket (Arabic right to left). */
  lang: z.enum(["en", "es", "fr", "ar"]).default("es"),
  /** Why it is printed (default: delivering assistance, the trip); kept in each passenger's sharing log. */
  ...ExportPurposeFields,
});

/**
 * The household's tickets as a PDF: one page per seat, with the passenger's name, the trip (terminal,
 * destination, departure in the operation's local time, carrier) and a QR code of the ticket number, made with
 * pdf-lib and qrcode. Printing is audited (the PDF holds names).
 */
export const ticketPdf = fn(TicketPdfInput, async ({ relocationID, lang, purpose, purposeOther, recipient }) => {
  const rel = await readRelocation(relocationID);
  Actor.assert("relocation.update", rel);
  assertPurpose({ purpose, purposeOther });
  if (!rel.ticket || rel.ticket.tripID !== rel.tripID || rel.status === "no_show" || rel.status === "cancelled")
    throw new RuleError("relocation.no_ticket", "No tickets have been issued for this household's trip");
  const trip = await RelocationTrip.get(rel.ticket.tripID);
  const [people, hh, zone] = await Promise.all([
    membersOf([rel.householdID]),
    HouseholdEntity.get({ householdID: rel.householdID }).go(),
    Operation.timeZone(rel.operationID).catch(() => "UTC"),
  ]);
  const w = WORDS[lang];
  const locale = { en: "en-GB", es: "es-MX", fr: "fr-FR", ar: "ar" }[lang];
  const when = new Intl.DateTimeFormat(locale, {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: zone,
  }).format(new Date(trip.departureAt));
  const members = people.get(rel.householdID) ?? [];
  const names = members.map((p) => p.name);

  const [{ PDFDocument, rgb }, QR, { PdfText }] = await Promise.all([
    import("pdf-lib"),
    import("qrcode"),
    import("../common/pdf-text.ts"),
  ]);
  const doc = await PDFDocument.create();
  doc.setTitle(`${w.title} ${rel.ticket.numbers.join(" ")}`);
  doc.setLanguage(lang);
  // names and places in any script (Arabic shaped, right to left), with embedded fonts (common/pdf-text.ts)
  const text = await PdfText.for(doc);
  const rtl = lang === "ar";
  const total = rel.ticket.numbers.length;
  for (const [i, number] of rel.ticket.numbers.entries()) {
    const page = doc.addPage([420, 595]); // A5 portrait
    const png = await QR.toBuffer(number, { type: "png", errorCorrectionLevel: "M", margin: 4, scale: 8 });
    const qr = await doc.embedPng(png);
    const at = (y: number) => ({ x: rtl ? 384 : 36, y, align: rtl ? ("right" as const) : ("left" as const), rtl });
    let y = 550;
    const line = async (label: string, value: string, size = 12) => {
      await text.draw(page, label, at(y), { size: 9, color: rgb(0.35, 0.35, 0.35) });
      y -= size + 4;
      for (const part of await text.wrap(value, { size, bold: true }, 348)) {
        await text.draw(page, part, at(y), { size, bold: true });
        y -= size + 4;
      }
      y -= 14;
    };
    await text.draw(page, w.title, at(y), { size: 20, bold: true });
    y -= 36;
    await line(w.ticket, number, 16);
    await line(w.passenger, names[i] ?? names[0] ?? "");
    await line(w.household, hh.data?.registrationNumber ?? "");
    await line(w.from, trip.originTerminal.name);
    await line(w.to, trip.destination.name);
    await line(w.departure, when);
    await line(w.carrier, trip.carrier);
    await text.draw(page, w.seat.replace("{n}", String(i + 1)).replace("{total}", String(total)), at(y), { size: 11 });
    page.drawImage(qr, { x: 130, y: 60, width: 160, height: 160 });
    let sy = 40;
    for (const part of await text.wrap(w.show, { size: 8 }, 348)) {
      await text.draw(page, part, at(sy), { size: 8 });
      sy -= 11;
    }
  }
  const bytes = await doc.save();
  await Audit.record({
    recordID: rel.relocationID,
    recordType: "relocation",
    action: "export.ticket",
    operationID: rel.operationID,
    officeID: rel.officeID,
    reason: "pdf",
  });
  // the passengers named on the tickets get the printout in their sharing log (privacy/export-log.ts)
  await logExport(
    { kind: "ticket", format: "pdf", purpose: purpose ?? "assistance", purposeOther, recipient },
    members.map((m) => m.individualID),
  );
  const fileName = `ticket-${rel.ticket.numbers[0]}.pdf`;
  // On AWS through the bucket, as every generated file (a 303 to a short-lived link); locally in the answer.
  const link = await ObjectStore.offload(Readable.from([Buffer.from(bytes)]), {
    fileName,
    contentType: "application/pdf",
  });
  return { fileName, body: Buffer.from(bytes), link };
});
