import { Actor, Feedback, Incident, Individual } from "@waypoint/core";
import { DEMO_OPERATION, TAP } from "./foundation.ts";

const OP = DEMO_OPERATION.operationID;
const daysAgo = (n: number) => new Date(Date.now() - n * 864e5).toISOString().slice(0, 10);

/**
 * Feedback and complaints (after the registry): the supervisor named focal point, complaints by several channels
 * (one escalated past its deadline, one answered and closed, one sensitive, one asking to correct a person's
 * name), and incidents with perpetrator type, sex and age group for the protection monitoring page.
 */
export async function seedFeedback(): Promise<void> {
  await Actor.provide({ type: "system", reason: "seed", operationID: OP }, async () => {
    const staff = (await Feedback.staff()).items;
    const cw = staff.find((s) => s.role === "caseworker")?.userID;
    const sup = staff.find((s) => s.role === "supervisor")?.userID;
    await Feedback.saveSettings({ version: 0, focalPoints: sup ? [sup] : [], deadlineDays: {} });
    const people = (await Individual.list({ officeID: TAP, limit: 4 } as never)).items as {
      individualID: string;
      givenName: string;
    }[];

    const add = async (v: Parameters<typeof Feedback.create>[0]) => {
      const r = await Feedback.create(v);
      return r.record!;
    };
    await add({
      officeID: TAP,
      channel: "hotline",
      category: "service_quality",
      receivedOn: daysAgo(3),
      summary: "La distribución de kits de higiene empezó dos horas tarde y nadie explicó por qué.",
      contactName: "Rosa",
      contactPhone: "+529621234567",
      assignedTo: cw,
    });
    const late = await add({
      officeID: TAP,
      channel: "walk_in",
      category: "information_request",
      receivedOn: daysAgo(20),
      summary: "Pregunta cuándo sale el próximo traslado a Monterrey y si puede ir con su hermana.",
      anonymous: false,
      contactName: "Jean",
    });
    await Feedback.escalate(late.feedbackID);
    const answered = await add({
      officeID: TAP,
      channel: "partner",
      category: "access_to_assistance",
      receivedOn: daysAgo(10),
      summary: "El albergue informa que una familia no pudo entrar a la consulta médica por no tener CURP.",
      assignedTo: cw,
    });
    const r1 = await Feedback.respond(answered.feedbackID, {
      version: answered.version,
      response: "Se explicó a la familia que la consulta no requiere CURP y se le acompañó a la clínica.",
    });
    await Feedback.close(answered.feedbackID, { version: r1.version, reason: "resolved" });
    await add({
      officeID: TAP,
      channel: "hotline",
      category: "staff_misconduct",
      receivedOn: daysAgo(2),
      summary: "Una persona dice que un guardia pidió dinero para dejarla pasar a la fila.",
      anonymous: true,
      assignedTo: sup,
    });
    const person = people[0];
    if (person) {
      const fix = await add({
        officeID: TAP,
        channel: "walk_in",
        category: "data_correction",
        receivedOn: daysAgo(1),
        individualID: person.individualID,
        summary: "Su nombre está mal escrito en la constancia.",
      });
      await Feedback.requestChange(fix.feedbackID, {
        version: fix.version,
        field: "givenName",
        to: `${person.givenName}a`,
      });
    }
    await Feedback.submitPublic({
      operation: DEMO_OPERATION.code,
      category: "suggestion",
      message: "Sería útil tener la información de los traslados también en criollo haitiano.",
    });

    // protection monitoring: incidents over the last months by kind, place, sex, age group and perpetrator
    const incidents: [string, string, string, string, string, number][] = [
      ["sgbv", "MX07", "female", "18-59", "smuggler_trafficker", 40],
      ["sgbv", "MX07", "female", "12-17", "community_member", 70],
      ["extortion", "MX07", "male", "18-59", "armed_group", 35],
      ["extortion", "MX07", "male", "18-59", "police_military", 65],
      ["extortion", "MX07", "female", "18-59", "armed_group", 100],
      ["kidnapping", "MX07", "male", "18-59", "armed_group", 50],
      ["physical_violence", "MX19", "male", "12-17", "border_official", 20],
      ["arbitrary_detention", "MX19", "male", "18-59", "border_official", 25],
      ["trafficking", "MX07", "female", "18-59", "smuggler_trafficker", 80],
      ["child_abuse", "MX07", "female", "5-11", "family_member", 45],
    ];
    for (const [kind, adm1, sex, age, perp, ago] of incidents)
      await Incident.create({
        officeID: TAP,
        kind: kind as never,
        dateOfIncident: daysAgo(ago),
        adm1,
        perpetratorType: perp as never,
        survivorSex: sex as never,
        survivorAgeGroup: age as never,
        description: "Incidente registrado para el monitoreo de protección (datos de demostración).",
      });
  });
}
