import type { Actor } from "@waypoint/core";

/** The words of the full case's records, so a bench in Spanish finds Spanish text on the page. */
const WORDS = {
  en: {
    note: (i: number) => `Follow-up ${i}: talked about safety, documents and next steps. `,
    assessment: (i: number) => `Assessment ${i}`,
    document: (i: number) => `Document ${i}`,
    file: (i: number) => `document-${i}.pdf`,
  },
  es: {
    note: (i: number) => `Seguimiento ${i}: hablamos de seguridad, documentos y próximos pasos. `,
    assessment: (i: number) => `Evaluación ${i}`,
    document: (i: number) => `Documento ${i}`,
    file: (i: number) => `documento-${i}.pdf`,
  },
};

/**
 * A full case file (issue 15's "a case with 200 notes, 50 documents, 20 assessments and 30 appointments"), assigned
 * to the caseworker `actor`, at their office: its person (Marie Joseph), the case, notes, assessments and
 * appointments (one a day from the day after tomorrow, rooms Sala 1–3) through core's own operations; the documents'
 * metadata written directly by BatchWrite (the page lists metadata; content stays in the object store).
 * Core is imported here, so call it after the bench's stack has pointed core at its table.
 */
export async function seedFullCase(actor: Actor.User, officeID: string, lang: keyof typeof WORDS) {
  const core = await import("@waypoint/core");
  const { DocumentEntity } = await import("@waypoint/core/document/document.entity");
  const words = WORDS[lang];
  const t0 = performance.now();
  const { person, kase } = await core.Actor.provide(actor, async () => {
    const { record: person } = await core.Individual.create(
      {
        givenName: "Marie",
        familyName: "Joseph",
        sex: "female",
        dateOfBirth: "1990-04-02",
        nationality: "HTI",
        officeID,
        languages: ["hat"],
      } as never,
      { overrideDuplicates: { reason: "bench" } },
    );
    const kase = await core.Case.create({
      officeID,
      type: "protection",
      individualIDs: [person.individualID],
      assignedTo: actor.userID,
    } as never);
    for (let i = 0; i < 200; i++)
      await core.Note.create({
        caseID: kase.caseID,
        kind: (["counselling", "follow_up", "home_visit", "phone_call", "general"] as const)[i % 5],
        body: words.note(i).repeat(4),
      } as never);
    for (let i = 0; i < 20; i++)
      await core.Assessment.create({
        caseID: kase.caseID,
        kind: i % 2 ? "vulnerability" : "socio_economic",
        individualID: person.individualID,
        answers: [],
        summary: words.assessment(i),
      } as never);
    const day0 = Date.now() + 2 * 86_400_000;
    for (let i = 0; i < 30; i++) {
      const start = new Date(Math.floor(day0 / 86_400_000) * 86_400_000 + i * 86_400_000 + 15 * 3_600_000);
      await core.Appointment.create({
        officeID,
        caseID: kase.caseID,
        kind: "interview",
        room: `Sala ${1 + (i % 3)}`,
        start: start.toISOString(),
        end: new Date(start.getTime() + 3_600_000).toISOString(),
        participants: [person.individualID],
      } as never);
    }
    return { person, kase };
  });
  const stamp = new Date().toISOString();
  const docs = Array.from({ length: 50 }, (_, i) => {
    const documentID = core.Identifier.create("document");
    return {
      documentID,
      caseID: kase.caseID,
      operationID: actor.operationID,
      officeID,
      individualID: person.individualID,
      kind: "other" as never,
      title: words.document(i),
      fileName: words.file(i),
      contentType: "application/pdf",
      size: 120_000 + i,
      sha256: "0".repeat(64),
      storageKey: `documents/${actor.operationID}/${kase.caseID}/${documentID}`,
      restricted: false,
      assignedTo: actor.userID,
      createdBy: actor.userID,
      version: 1,
      timeCreated: stamp,
      timeUpdated: stamp,
    };
  });
  const put = await DocumentEntity.put(docs).go();
  if (put.unprocessed.length) throw new Error("unprocessed documents");
  return { person, kase, seconds: (performance.now() - t0) / 1000 };
}
