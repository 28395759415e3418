/**
 * A full case file opens fast: one case with 200 notes, 50 documents, 20 assessments and 30 appointments in a
 * private DynamoDB Local. Measures the API reads the case page makes when it opens (the case, its history, its
 * person, notes, documents, assessments, referrals, appointments, incidents, payments), fired together as the
 * browser does, through the real Hono app as the assigned caseworker: first open and median/p95 of 20.
 * Notes, assessments and appointments are created with core's own operations; documents' metadata is written
 * directly (the page lists metadata; content stays in the object store). Target (issue 15): < 1 s.
 */
import { benchStack, percentile } from "./support/registry.ts";

export const description =
  "Case page API reads for a case with 200 notes, 50 documents, 20 assessments, 30 appointments (< 1 s)";

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-case-${Date.now()}`);
  try {
    const { core, op, office } = stack;
    const { DocumentEntity } = await import("@waypoint/core/document/document.entity");
    const { app } = await import("@waypoint/functions");
    const system = { type: "system" as const, reason: "bench" };
    const cw = await core.Actor.provide(system, () =>
      core.User.create({
        email: `cw-${Date.now()}@example.org`,
        name: "Caseworker",
        grants: [{ operationID: op.operationID, role: "caseworker", officeIDs: [office.officeID] }],
      }),
    );
    const { token } = await core.Auth.issue(cw);
    const actor = {
      type: "user" as const,
      userID: cw.userID,
      email: cw.email,
      operationID: op.operationID,
      role: "caseworker" as const,
      officeIDs: [office.officeID],
    };
    const t0 = performance.now();
    const { person, kase } = await core.Actor.provide(actor, async () => {
      const { record: person } = await core.Individual.create(
        {
          givenName: "Marie",
          familyName: "Joseph",
          sex: "female",
          dateOfBirth: "1990-04-02",
          nationality: "HTI",
          officeID: office.officeID,
          languages: ["hat"],
        } as never,
        { overrideDuplicates: { reason: "bench" } },
      );
      const kase = await core.Case.create({
        officeID: office.officeID,
        type: "protection",
        individualIDs: [person.individualID],
        assignedTo: cw.userID,
      } as never);
      for (let i = 0; i < 200; i++)
        await core.Note.create({
          caseID: kase.caseID,
          kind: (["counselling", "follow_up", "home_visit", "phone_call", "general"] as const)[i % 5],
          body: `Follow-up ${i}: talked about safety, documents and next steps. `.repeat(4),
        } as never);
      for (let i = 0; i < 20; i++)
        await core.Assessment.create({
          caseID: kase.caseID,
          kind: i % 2 ? "vulnerability" : "socio_economic",
          individualID: person.individualID,
          answers: [],
          summary: `Assessment ${i}`,
        } as never);
      const day0 = Date.now() + 2 * 86_400_000;
      for (let i = 0; i < 30; i++) {
        const start = new Date(Math.floor(day0 / 86_400_000) * 86_400_000 + i * 86_400_000 + 15 * 3_600_000);
        await core.Appointment.create({
          officeID: office.officeID,
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
        operationID: op.operationID,
        officeID: office.officeID,
        individualID: person.individualID,
        kind: "other" as never,
        title: `Document ${i}`,
        fileName: `document-${i}.pdf`,
        contentType: "application/pdf",
        size: 120_000 + i,
        sha256: "0".repeat(64),
        storageKey: `documents/${op.operationID}/${kase.caseID}/${documentID}`,
        restricted: false,
        assignedTo: cw.userID,
        createdBy: cw.userID,
        version: 1,
        timeCreated: stamp,
        timeUpdated: stamp,
      };
    });
    const put = await DocumentEntity.put(docs).go();
    if (put.unprocessed.length) throw new Error("unprocessed documents");
    const seedS = (performance.now() - t0) / 1000;

    const id = encodeURIComponent(kase.caseID);
    const paths = [
      `/api/cases/${id}`,
      `/api/audit?recordId=${id}&limit=500`,
      `/api/individuals/${person.individualID}`,
      `/api/cases/${id}/notes`,
      `/api/cases/${id}/documents`,
      `/api/assessments?caseID=${id}&limit=1000`,
      `/api/referrals?caseID=${id}&limit=1000`,
      `/api/appointments?caseID=${id}&limit=1000`,
      `/api/incidents?caseID=${id}&limit=1000`,
      `/api/payments?caseID=${id}&limit=1000`,
    ];
    const counts: Record<string, number | string> = {};
    const open = async () => {
      const t = performance.now();
      await Promise.all(
        paths.map(async (p) => {
          const r = await app.request(p, { headers: { authorization: `Bearer ${token}` } });
          const body = (await r.json()) as { items?: unknown[] };
          counts[
            p.split("?")[0]!.replace(kase.caseID, "{id}").replace(person.individualID, "{person}") +
              (p.includes("?caseID") ? "?caseID" : "")
          ] = r.status === 200 ? (body.items?.length ?? "record") : `HTTP ${r.status}`;
        }),
      );
      return performance.now() - t;
    };
    const first = await open();
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push(await open());
    const median = percentile(times, 50);
    const p95 = percentile(times, 95);
    const ok = (b: boolean) => (b ? "✅" : "❌");
    const expected: Record<string, number> = {
      "/api/cases/{id}/notes": 200,
      "/api/cases/{id}/documents": 50,
      "/api/assessments?caseID": 20,
      "/api/appointments?caseID": 30,
    };
    const complete = Object.entries(expected).every(([k, n]) => counts[k] === n);
    return [
      `One case, seeded in ${seedS.toFixed(1)} s through core (200 notes, 20 assessments, 30 appointments; 50 documents' metadata by BatchWrite); DynamoDB Local in memory. The page's ${paths.length} reads fired together through \`app.request\` (in-process HTTP) as the assigned caseworker.`,
      "",
      "| measure | value | target |",
      "| --- | ---: | --- |",
      `| first open (all reads) | ${first.toFixed(0)} ms | < 1000 ms ${ok(first < 1000)} |`,
      `| median of 20 | ${median.toFixed(0)} ms | < 1000 ms ${ok(median < 1000)} |`,
      `| p95 of 20 | ${p95.toFixed(0)} ms | < 1000 ms ${ok(p95 < 1000)} |`,
      `| every record listed | ${complete ? "yes" : "no"} | ${ok(complete)} |`,
      "",
      `Answers: ${Object.entries(counts)
        .map(([k, v]) => `\`${k}\` ${v}`)
        .join(", ")}. First paint in the browser not measured.`,
    ].join("\n");
  } finally {
    await stack.stop();
  }
}
