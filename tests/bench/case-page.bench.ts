/**
 * A full case file opens fast: one case with 200 notes, 50 documents, 20 assessments and 30 appointments in a
 * private DynamoDB Local. Measures the API reads the case page makes when it opens (the case, its history, its
 * person, notes, documents, assessments, referrals, appointments, incidents, payments), fired together as the
 * browser does, through the real Hono app as the assigned caseworker: first open and median/p95 of 20.
 * The case is seeded as record-paint's (support/full-case.ts). Target (issue 15): < 1 s.
 */
import { seedFullCase } from "./support/full-case.ts";
import { benchStack, percentile } from "./support/registry.ts";

export const description =
  "Case page API reads for a case with 200 notes, 50 documents, 20 assessments, 30 appointments (< 1 s)";

export default async function (): Promise<string> {
  const stack = await benchStack(`bench-case-${Date.now()}`);
  try {
    const { core, op, office } = stack;
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
    const { person, kase, seconds: seedS } = await seedFullCase(actor, office.officeID, "en");

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
