import { Activity, Actor, Enquiry, Individual, Intake, Service } from "@waypoint/core";
import { DEMO_OPERATION, DEMO_PARTNERS, TAP } from "./foundation.ts";

const OP = DEMO_OPERATION.operationID;
const daysFrom = (n: number) => new Date(Date.now() + n * 864e5).toISOString().slice(0, 10);
/** A local time in Tapachula (UTC-6, no daylight saving) as an instant. */
const at = (date: string, hhmm: string) => `${date}T${hhmm}:00.000-06:00`;

/**
 * Working with communities (after the registry): the service directory, the programme's FAQ, sessions and a
 * training with their attendance, a participatory assessment, enquiries (one overdue) and an interest-form request.
 */
export async function seedCommunity(): Promise<void> {
  await Actor.provide({ type: "system", reason: "seed", operationID: OP }, async () => {
    const [legal, clinic, dif] = DEMO_PARTNERS;
    const services = [
      {
        name: "Asesoría legal sobre asilo",
        category: "legal",
        organisationID: legal!.organisationID,
        providerName: legal!.name,
        languages: ["spa", "fra", "hat"],
        eligibility: "Personas solicitantes de asilo y refugiadas",
        contactPhone: "+529621110001",
        openingHours: "Lunes a viernes, 9–15 h",
      },
      {
        name: "Consulta médica general",
        category: "health",
        organisationID: clinic!.organisationID,
        providerName: clinic!.name,
        areas: ["MX07089"],
        languages: ["spa", "hat"],
        eligibility: "Cualquier persona, sin documentos",
        address: "Calle 8 Norte 12, Tapachula",
      },
      {
        name: "Apoyo psicosocial en grupo",
        category: "psychosocial",
        organisationID: clinic!.organisationID,
        providerName: clinic!.name,
        areas: ["MX07"],
        languages: ["spa"],
        eligibility: "Personas adultas; grupos de mujeres los martes",
      },
      {
        name: "Protección de niñas, niños y adolescentes",
        category: "child_protection",
        organisationID: dif!.organisationID,
        providerName: dif!.name,
        areas: ["MX07"],
        languages: ["spa"],
        eligibility: "Niñas, niños y adolescentes no acompañados o separados",
        contactPhone: "+529621110003",
      },
      {
        name: "Trámite de CURP y constancias",
        category: "documentation",
        providerName: "Registro Civil de Tapachula",
        areas: ["MX07089"],
        languages: ["spa"],
        eligibility: "Personas con resolución de la COMAR",
      },
      {
        name: "Bolsa de empleo para personas refugiadas",
        category: "livelihoods",
        providerName: "Servicio Nacional de Empleo, Nuevo León",
        areas: ["MX19"],
        languages: ["spa", "eng"],
        eligibility: "Personas reconocidas como refugiadas, de 18 años o más",
      },
    ];
    for (const s of services) await Service.create(s as never);

    await Enquiry.putFaq({
      version: 0,
      entries: [
        { language: "es", topic: "registration", question: "¿Dónde me registro?", answer: "En la oficina de Tapachula, de lunes a viernes de 9 a 13 h, con cualquier documento que tenga." },
        { language: "es", topic: "local_integration", question: "¿Quién puede entrar al programa de integración local?", answer: "Personas reconocidas como refugiadas o con protección complementaria que quieran trasladarse a otra ciudad con empleo." },
        { language: "en", topic: "registration", question: "Where do I register?", answer: "At the Tapachula office, Monday to Friday 9:00–13:00, with any document you have." },
        { language: "en", topic: "local_integration", question: "Who can join the local integration programme?", answer: "Recognised refugees or people with complementary protection who want to move to another city with work." },
        { language: "fr", topic: "registration", question: "Où puis-je m'enregistrer ?", answer: "Au bureau de Tapachula, du lundi au vendredi de 9 h à 13 h, avec tout document disponible." },
        { language: "ar", topic: "registration", question: "أين أسجّل؟", answer: "في مكتب تاباتشولا، من الاثنين إلى الجمعة من التاسعة حتى الواحدة، مع أي وثيقة لديك." },
      ],
    });

    const people = (await Individual.list({ officeID: TAP, limit: 8 } as never)).items as {
      individualID: string;
      registrationNumber: string;
    }[];
    const staff = (await Activity.staff()).items;
    const cw = staff.find((s) => s.role === "caseworker")?.userID;
    const sup = staff.find((s) => s.role === "supervisor")?.userID;

    const info = await Activity.create({
      officeID: TAP,
      kind: "information_session",
      topic: "Programa de integración local: requisitos y próximos traslados",
      start: at(daysFrom(-6), "10:00"),
      durationMinutes: 90,
      language: "spa",
      venue: "Sala de usos múltiples",
      facilitatorIDs: cw ? [cw] : [],
      counts: [
        { sex: "female", ageGroup: "25_59", count: 9 },
        { sex: "male", ageGroup: "25_59", count: 7 },
        { sex: "female", ageGroup: "18_24", count: 3 },
      ],
    });
    await Activity.changeAttendance({
      activityID: info.activityID,
      version: info.version,
      add: people.slice(0, 3).map((p) => p.individualID),
    });

    await Activity.create({
      officeID: TAP,
      kind: "awareness_session",
      topic: "Prevención de la trata de personas",
      start: at(daysFrom(-2), "16:00"),
      language: "hat",
      adm1: "MX07",
      adm2: "MX07089",
      venue: "Albergue Belén",
      facilitatorIDs: sup ? [sup] : [],
      otherFacilitators: "Servicio Jesuita a Refugiados",
      counts: [
        { sex: "female", ageGroup: "12_17", count: 6 },
        { sex: "male", ageGroup: "12_17", count: 4 },
      ],
    });

    const training = await Activity.create({
      officeID: TAP,
      kind: "sop_training",
      topic: "Procedimiento de efectivo para protección",
      start: at(daysFrom(-10), "09:00"),
      language: "spa",
      facilitatorIDs: sup ? [sup] : [],
    });
    if (cw) await Activity.changeAttendance({ activityID: training.activityID, version: 1, addStaff: [cw] });

    await Activity.create({
      officeID: TAP,
      kind: "participatory_assessment",
      topic: "Acceso a la escuela y a la salud",
      start: at(daysFrom(-20), "11:00"),
      language: "spa",
      venue: "Centro comunitario",
      facilitatorIDs: cw ? [cw] : [],
      counts: [{ sex: "female", ageGroup: "12_17", count: 8 }],
      findings: [
        { ageGroup: "12_17", gender: "girls", diversity: "none", finding: "Las escuelas piden la CURP para inscribir; muchas no la tienen." },
        { ageGroup: "60_plus", gender: "mixed", diversity: "older_persons", finding: "El centro de salud queda lejos y no hay transporte." },
        { ageGroup: "25_59", gender: "women", diversity: "single_parents", finding: "No pueden asistir a las sesiones de la mañana por el cuidado de los hijos." },
      ],
    });

    const p0 = people[0];
    await Enquiry.create({
      officeID: TAP,
      channel: "phone",
      topic: "relocation",
      ...(p0 ? { individualID: p0.individualID } : { callerName: "Persona que llamó" }),
      question: "¿Cuándo sale el próximo autobús?",
      answer: "Se le llamará cuando se confirme la fecha.",
      followUpDue: daysFrom(-3),
      status: "follow_up",
    });
    await Enquiry.create({
      officeID: TAP,
      channel: "walk_in",
      topic: "registration",
      callerName: "Visitante sin cita",
      question: "¿Dónde me registro?",
      answer: "Se le explicó el horario y los documentos.",
      status: "answered",
    });
    await Enquiry.create({
      officeID: TAP,
      channel: "whatsapp",
      topic: "documentation",
      callerName: "Mensaje de WhatsApp",
      answer: "Se le refirió al Registro Civil.",
      followUpDue: daysFrom(5),
      status: "follow_up",
    });

    const consent = Intake.consent("es");
    await Intake.submitInterest({
      operation: DEMO_OPERATION.code,
      givenName: "Yesenia",
      familyName: "Orellana",
      phone: "+529621234000",
      language: "es",
      location: "Tapachula",
      consent: true,
      consentVersion: consent.version,
    });
  });
}
