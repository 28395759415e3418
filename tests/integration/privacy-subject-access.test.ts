import { beforeAll, describe, expect, it } from "vitest";
import { Case, Individual, Note, Referral } from "@waypoint/core";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { app } from "@waypoint/functions";
import { as, call, createPartnerKey, createTestOperation, type TestOperation } from "../support/fixtures.ts";

let t: TestOperation;
let individualID: string;
let referralID: string;
let partner: Awaited<ReturnType<typeof createPartnerKey>>;
beforeAll(async () => {
  t = await createTestOperation();
  partner = await createPartnerKey(t.operationID, ["referrals:read"], "Clínica Esperanza");
  const { record } = await as(t.users.caseworker.actor, () =>
    Individual.create(
      {
        givenName: "Dolores",
        familyName: "Arriaga",
        sex: "female",
        dateOfBirth: "1979-07-07",
        nationality: "HND",
        languages: ["spa"],
        officeID: t.officeA,
        legalStatus: "asylum_seeker",
      },
      { overrideDuplicates: { reason: "subject access fixture" } },
    ),
  );
  individualID = record.individualID;
  const c = await as(t.users.supervisor.actor, () =>
    Case.create({
      officeID: t.officeA,
      type: "protection",
      subType: "sgbv",
      individualIDs: [individualID],
      assignedTo: t.users.supervisor.userID,
    }),
  );
  await as(t.users.supervisor.actor, () =>
    Note.create({ caseID: c.caseID, body: "Sesion de acompanamiento psicosocial", kind: "counselling" }),
  );
  // a restricted read, audited
  await as(t.users.supervisor.actor, () => Note.listForCase(c.caseID));
  const r = await as(t.users.supervisor.actor, () =>
    Referral.create({
      officeID: t.officeA,
      toOrganisationID: partner.organisation.organisationID,
      individualID,
      serviceCategory: "health",
      reason: "Atencion medica",
      consent: { given: true, date: "2026-01-10" },
    }),
  );
  referralID = r.referralID;
  // the partner reads the person through the API
  expect((await call("GET", `/v1/referrals/${referralID}`, { token: partner.key })).status).toBe(200);
});

describe("subject access and the sharing log", () => {
  it("the sharing log lists the referral and the partner's API read, with the partner's name", async () => {
    const res = await call("GET", `/api/individuals/${individualID}/sharing`, { token: t.users.supervisor.token });
    expect(res.status).toBe(200);
    expect(res.json.items.map((e: { channel: string }) => e.channel)).toEqual(["referral", "api_read"]);
    expect(res.json.items[1]).toMatchObject({
      organisationID: partner.organisation.organisationID,
      organisationName: "Clínica Esperanza",
      ref: referralID,
    });
    // roles that do not read audit trails do not see it
    expect(
      (await call("GET", `/api/individuals/${individualID}/sharing`, { token: t.users.caseworker.token })).status,
    ).toBe(403);
  });

  it("a supervisor produces everything held about the person as JSON and as a PDF in their language; others may not; it is audited", async () => {
    const json = await call("GET", `/api/individuals/${individualID}/subject-access?format=json`, {
      token: t.users.supervisor.token,
    });
    expect(json.status).toBe(200);
    expect(json.json.language).toBe("es");
    expect(json.json.person).toMatchObject({ givenName: "Dolores", familyName: "Arriaga" });
    expect(json.json.cases[0].notes[0].body).toBe("Sesion de acompanamiento psicosocial");
    expect(json.json.referrals[0]).toMatchObject({ serviceCategory: "health" });
    expect(json.json.sharing.map((e: { channel: string }) => e.channel)).toEqual(["referral", "api_read"]);
    expect(json.json.restrictedReads.length).toBeGreaterThan(0);
    expect(json.json.restrictedReads[0].by).toMatch(/^supervisor /);
    expect(json.json.history.map((h: { action: string }) => h.action)).toContain("create");

    const res = await app.request(`/api/individuals/${individualID}/subject-access?format=pdf`, {
      headers: { authorization: `Bearer ${t.users.supervisor.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await getDocument({ data: new Uint8Array(await res.arrayBuffer()), useSystemFonts: false }).promise;
    let text = "";
    for (let n = 1; n <= pdf.numPages; n++)
      text += ((await (await pdf.getPage(n)).getTextContent()).items as { str: string }[]).map((i) => i.str).join(" ");
    expect(text).toContain("Lo que guardamos sobre usted");
    expect(text).toContain("Dolores");
    expect(text).toContain("Sesion de acompanamiento psicosocial");
    expect(text).toContain("Clínica Esperanza");

    expect(
      (await call("GET", `/api/individuals/${individualID}/subject-access`, { token: t.users.caseworker.token }))
        .status,
    ).toBe(403);
    const trail = (await AuditEntity.query.byRecord({ recordID: individualID }).go({ pages: "all" })).data;
    expect(trail.filter((e) => e.action === "subject_access").map((e) => e.actorID)).toEqual([
      t.users.supervisor.userID,
      t.users.supervisor.userID,
    ]);
  });
});

describe("subject access in Arabic", () => {
  it("the PDF of a person whose language is Arabic is in Arabic, right to left, with their name and notes in Arabic letters read back", async () => {
    const { record } = await as(t.users.caseworker.actor, () =>
      Individual.create(
        {
          givenName: "خديجة",
          familyName: "العمري",
          sex: "female",
          dateOfBirth: "1991-02-14",
          nationality: "SYR",
          languages: ["ara"],
          officeID: t.officeA,
          legalStatus: "asylum_seeker",
        },
        { overrideDuplicates: { reason: "subject access fixture" } },
      ),
    );
    const c = await as(t.users.supervisor.actor, () =>
      Case.create({
        officeID: t.officeA,
        type: "protection",
        subType: "sgbv",
        individualIDs: [record.individualID],
        assignedTo: t.users.supervisor.userID,
      }),
    );
    await as(t.users.supervisor.actor, () =>
      Note.create({ caseID: c.caseID, body: "جلسة دعم نفسي مع الأخصائية", kind: "counselling" }),
    );
    const res = await app.request(`/api/individuals/${record.individualID}/subject-access?format=pdf`, {
      headers: { authorization: `Bearer ${t.users.supervisor.token}` },
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await getDocument({ data: bytes.slice(), useSystemFonts: false }).promise;
    const lines: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++)
      for (const i of (await (await pdf.getPage(n)).getTextContent()).items as { str: string }[])
        lines.push(i.str.replace(/\u200b/g, ""));
    const text = lines.join(" ");
    expect(text).toContain("ما نحتفظ به عنك");
    expect(text).toContain("خديجة");
    expect(text).toContain("العمري");
    expect(text).toContain("جلسة دعم نفسي مع الأخصائية");
    expect(text).not.toContain("?????");
    // right to left: the title's right edge sits on the right margin
    const first = (await (await pdf.getPage(1)).getTextContent()).items as { str: string; transform: number[]; width: number }[];
    const title = first.find((i) => i.str.includes("ما نحتفظ"))!;
    expect(title.transform[4]! + title.width).toBeGreaterThan(500);
  });
});
