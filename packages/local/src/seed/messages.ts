import { Actor, Intake, Messages } from "@waypoint/core";
import { AppointmentEntity } from "@waypoint/core/appointment/appointment.entity";
import { IndividualEntity } from "@waypoint/core/individual/individual.entity";
import { languageOf } from "@waypoint/core/message/templates";
import { Consent } from "@waypoint/core/privacy/consent";
import { DEMO_OPERATION, DEMO_PARTNERS, TAP } from "./foundation.ts";

const OP = DEMO_OPERATION.operationID;
const CLOSED = {
  en: "the Tapachula office is closed on Saturday 12 December.",
  es: "la oficina de Tapachula cierra el sábado 12 de diciembre.",
  fr: "le bureau de Tapachula est fermé le samedi 12 décembre.",
  ar: "مكتب تاباتشولا مغلق يوم السبت 12 ديسمبر.",
};
const FORM = "demo-registro-comunitario";

/**
 * Messages and Kobo leads (after registry, cases and community): a few registered people in Tapachula consent to
 * messages and get a notice and their next appointment's reminder through the outbox (one delivered, one failed
 * as the provider's callback would report it, the others sent); a partner's KoboToolbox form posts three
 * submissions that land as leads in the enquiries queue, one of them edited in Kobo afterwards.
 */
export async function seedMessages(): Promise<void> {
  await Actor.provide({ type: "system", reason: "seed", operationID: OP }, async () => {
    const people = (await IndividualEntity.query.byOperation({ operationID: OP }).go({ limit: 200 })).data
      .filter((p) => !p.deleted && p.officeID === TAP && p.phone)
      .slice(0, 4);
    const sent: string[] = [];
    for (const [i, p] of people.entries()) {
      await Consent.give(p.individualID, { purpose: "messages", date: "2026-11-02", how: "verbal" });
      const notice = await Messages.send({
        individualID: p.individualID,
        kind: "notice",
        ref: "oficina-cerrada-2026-12-12",
        channel: i === 3 ? "whatsapp" : "sms",
        // the notice's own words in the language its template will be written in
        values: { text: CLOSED[languageOf(p.languages) ?? "en"] },
      });
      sent.push(notice.messageID);
    }
    // the reminder of the office's next booked appointment, to its first participant with a phone
    const upcoming = (
      await AppointmentEntity.query
        .byOfficeDay({ officeID: TAP })
        .gt({ start: new Date().toISOString() })
        .go({ limit: 100 })
    ).data.filter((a) => !a.deleted && a.status === "booked" && a.operationID === OP);
    for (const a of upcoming) {
      const who = (
        await Promise.all(
          (a.participants ?? []).map(
            async (individualID) => (await IndividualEntity.get({ individualID }).go()).data,
          ),
        )
      ).find((x) => x && !x.deleted && x.phone);
      if (!who) continue;
      if (!people.some((p) => p.individualID === who.individualID))
        await Consent.give(who.individualID, { purpose: "messages", date: "2026-11-02", how: "verbal" });
      await Messages.send({
        individualID: who.individualID,
        kind: "appointment_reminder",
        ref: a.appointmentID,
        channel: "sms",
      });
      break;
    }
    // what the provider's status callbacks would report (the outbox has no carrier to report it locally)
    if (sent[0]) await Messages.recordStatus(sent[0], { MessageStatus: "delivered" });
    if (sent[1]) await Messages.recordStatus(sent[1], { MessageStatus: "failed", ErrorCode: "30003" });
  });

  // a partner's KoboToolbox form: its mapping, then three submissions posted with the partner's key
  const partner = DEMO_PARTNERS[0]!;
  await Actor.provide({ type: "system", reason: "seed", operationID: OP }, () =>
    Intake.putForm({
      formID: FORM,
      name: "Registro comunitario (Kobo)",
      organisationID: partner.organisationID,
      phoneCountry: "MX",
      programme: "integration",
      fields: {
        "datos/nombre": { field: "givenName" },
        "datos/apellido": { field: "familyName" },
        "datos/sexo": { field: "sex", values: { "1": "female", "2": "male" } },
        "datos/anio_nacimiento": { field: "birthYear" },
        "datos/telefono": { field: "phone" },
        "datos/lugar": { field: "location" },
      },
    }),
  );
  const asPartner = {
    type: "partner" as const,
    organisationID: partner.organisationID,
    operationID: OP,
    keyID: "key_demo_seed_kobo",
    scopes: ["intake:kobo" as const],
  };
  const submission = (n: number, over: Record<string, unknown> = {}) => ({
    _id: 91000 + n,
    "meta/instanceID": `uuid:6f1d0c7e-demo-4a51-9b1e-00000000000${n}`,
    _submission_time: "2026-11-28T15:0" + n + ":00",
    "datos/nombre": ["Marisol", "Jean-Baptiste", "Dilnoza"][n - 1],
    "datos/apellido": ["Quiñónez", "Pierre", "Rahimova"][n - 1],
    "datos/sexo": ["1", "2", "1"][n - 1],
    "datos/anio_nacimiento": ["1991", "1984", "1979"][n - 1],
    "datos/telefono": ["9621230101", "9621230102", "9621230103"][n - 1],
    "datos/lugar": "Tapachula, colonia Centro",
    "grupo_extra/necesidad_principal": ["vivienda", "empleo", "documentacion"][n - 1],
    ...over,
  });
  await Actor.provide(asPartner as never, async () => {
    for (const n of [1, 2, 3]) await Intake.ingestKobo(FORM, submission(n));
    // the first one edited in Kobo (same _id, the new instance names the one it replaces)
    await Intake.ingestKobo(
      FORM,
      submission(1, {
        "meta/instanceID": "uuid:6f1d0c7e-demo-4a51-9b1e-0000000000e1",
        "meta/deprecatedID": "uuid:6f1d0c7e-demo-4a51-9b1e-000000000001",
        "datos/telefono": "9621230111",
      }),
    );
  });
}
