import { Readable } from "node:stream";
import { z } from "zod";
import { ObjectStore } from "../export/store.ts";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { HouseholdEntity } from "../household/household.entity.ts";
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
} as const;

export const TicketPdfInput = z.object({
  relocationID: z.string(),
  /** The language printed on the ticket (Arabic is not available yet: printed in Spanish). */
  lang: z.enum(["en", "es", "fr", "ar"]).default("es"),
});

/**
 * The household's tickets as a PDF: one page per seat, with the passenger's name, the trip (terminal,
 * destination, departure in the operation's local time, carrier) and a QR code of the ticket number, made with
 * pdf-lib and qrcode. Printing is audited (the PDF holds names).
 */
export const ticketPdf = fn(TicketPdfInput, async ({ relocationID, lang }) => {
  const rel = await readRelocation(relocationID);
  Actor.assert("relocation.update", rel);
  if (!rel.ticket || rel.ticket.tripID !== rel.tripID || rel.status === "no_show" || rel.status === "cancelled")
    throw new RuleError("relocation.no_ticket", "No tickets have been issued for this household's trip");
  const trip = await RelocationTrip.get(rel.ticket.tripID);
  const [people, hh, zone] = await Promise.all([
    membersOf([rel.householdID]),
    HouseholdEntity.get({ householdID: rel.householdID }).go(),
    Operation.timeZone(rel.operationID).catch(() => "UTC"),
  ]);
  const w = WORDS[lang === "ar" ? "es" : lang];
  const locale = { en: "en-GB", es: "es-MX", fr: "fr-FR" }[lang === "ar" ? "es" : lang];
  const when = new Intl.DateTimeFormat(locale, {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: zone,
  }).format(new Date(trip.departureAt));
  const names = (people.get(rel.householdID) ?? []).map((p) => p.name);

  const [{ PDFDocument, StandardFonts, rgb }, QR, { default: anyAscii }] = await Promise.all([
    import("pdf-lib"),
    import("qrcode"),
    import("any-ascii"),
  ]);
  // The standard fonts print Latin-1: other letters are transliterated rather than lost.
  const latin = (s: string) => [...s].map((c) => (c.charCodeAt(0) <= 0xff ? c : anyAscii(c))).join("");
  const doc = await PDFDocument.create();
  doc.setTitle(`${w.title} ${rel.ticket.numbers.join(" ")}`);
  doc.setLanguage(lang === "ar" ? "es" : lang);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const total = rel.ticket.numbers.length;
  for (const [i, number] of rel.ticket.numbers.entries()) {
    const page = doc.addPage([420, 595]); // A5 portrait
    const png = await QR.toBuffer(number, { type: "png", errorCorrectionLevel: "M", margin: 4, scale: 8 });
    const qr = await doc.embedPng(png);
    let y = 550;
    const line = (label: string, value: string, size = 12) => {
      page.drawText(latin(label), { x: 36, y, size: 9, font, color: rgb(0.35, 0.35, 0.35) });
      y -= size + 4;
      page.drawText(latin(value), { x: 36, y, size, font: bold, maxWidth: 348 });
      y -= 18;
    };
    page.drawText(latin(w.title), { x: 36, y, size: 20, font: bold });
    y -= 36;
    line(w.ticket, number, 16);
    line(w.passenger, names[i] ?? names[0] ?? "");
    line(w.household, hh.data?.registrationNumber ?? "");
    line(w.from, trip.originTerminal.name);
    line(w.to, trip.destination.name);
    line(w.departure, when);
    line(w.carrier, trip.carrier);
    page.drawText(latin(w.seat.replace("{n}", String(i + 1)).replace("{total}", String(total))), {
      x: 36,
      y,
      size: 11,
      font,
    });
    page.drawImage(qr, { x: 130, y: 60, width: 160, height: 160 });
    page.drawText(latin(w.show), { x: 36, y: 40, size: 8, font, maxWidth: 348 });
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
  const fileName = `ticket-${rel.ticket.numbers[0]}.pdf`;
  // On AWS through the bucket, as every generated file (a 303 to a short-lived link); locally in the answer.
  const link = await ObjectStore.offload(Readable.from([Buffer.from(bytes)]), {
    fileName,
    contentType: "application/pdf",
  });
  return { fileName, body: Buffer.from(bytes), link };
});
