import { beforeAll, describe, expect, it } from "vitest";
import { Household, Individual, Relocation } from "@waypoint/core";
import { LeadEntity } from "@waypoint/core/intake/intake.entity";
import { ExportLogEntity, ExportPersonEntity } from "@waypoint/core/privacy/export-log.entity";
import { app } from "@waypoint/functions";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { inDays, makeTrip, READY } from "../support/relocation.ts";

/**
 * Files printed or downloaded for the relocation desk and the intake team name people too (issue 21 point 5):
 * a household's ticket PDF, a trip's manifest (CSV or printable HTML) and the leads file each go into the
 * sharing log of the people in them, with the purpose asked before the file was made (a code of
 * `ExportPurposes`, or `other` in words); a bad purpose is refused with its field path and nothing is logged.
 */

let t: TestOperation;
let tripID: string;
let relocationID: string;
let mother: string;
let son: string;
/** A person registered in the same operation who is on no trip and in no file. */
let outsider: string;

const exportsIn = async (individualID: string) =>
  (await ExportPersonEntity.query.primary({ individualID }).go({ pages: "all" })).data.map((x) => x.exportID);
const logOf = async (exportID: string) => (await ExportLogEntity.get({ exportID }).go()).data;
const sharing = async (individualID: string) =>
  (await call("GET", `/api/individuals/${individualID}/sharing`, { token: t.users.supervisor.token })).json
    .items as { channel: string; kind?: string; ref: string; purpose?: string; purposeOther?: string; format?: string }[];
const get = (path: string, token = t.users.caseworker.token) =>
  app.request(path, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  t = await createTestOperation();
  const trip = await makeTrip(t, { departureAt: inDays(0, 23) });
  tripID = trip.tripID;
  const made = await as(t.users.admin.actor, async () => {
    const hh = await Household.create({ officeID: t.officeA });
    const ids: string[] = [];
    for (const [givenName, dateOfBirth, relationshipToHead] of [
      ["Hermenegilda", "1979-05-14", "head"],
      ["Anselmo", "2012-10-03", "child"],
    ] as const)
      ids.push(
        (
          await Individual.create(
            {
              givenName,
              familyName: "Ocotepec",
              sex: "female",
              dateOfBirth,
              nationality: "SLV",
              householdID: hh.householdID,
              relationshipToHead,
              officeID: t.officeA,
            } as never,
            { overrideDuplicates: { reason: "export purpose fixture" } },
          )
        ).record.individualID,
      );
    const other = await Individual.create(
      { givenName: "Teodolinda", familyName: "Xicohténcatl", sex: "female", dateOfBirth: "1990-01-20", nationality: "GTM", officeID: t.officeA } as never,
      { overrideDuplicates: { reason: "export purpose fixture" } },
    );
    const rel = await Relocation.create({
      householdID: hh.householdID,
      officeID: t.officeA,
      destination: trip.destination,
      earliestDate: new Date().toISOString().slice(0, 10),
      readiness: READY,
    });
    return { ids, rel, outsider: other.record.individualID };
  });
  [mother, son] = made.ids as [string, string];
  outsider = made.outsider;
  relocationID = made.rel.relocationID;
  await call("PATCH", "/api/relocations", {
    token: t.users.caseworker.token,
    body: { rows: [{ id: relocationID, version: made.rel.version, changes: { tripID, confirmed: true } }] },
  });
  const cur = await as(t.users.admin.actor, () => Relocation.get(relocationID));
  // check-in issues the household's tickets
  const checked = await call("POST", `/api/relocation-trips/${tripID}/check-in`, {
    token: t.users.caseworker.token,
    body: { rows: [{ id: cur.relocationID, version: cur.version }] },
  });
  expect(checked.json.results[0].status).toBe("saved");
});

describe("printed and downloaded files in the sharing log, with their purpose", () => {
  it("a household's ticket PDF is logged for each passenger named on it, with the purpose given", async () => {
    const res = await get(`/api/relocations/${relocationID}/tickets?lang=es&purpose=assistance&recipient=ADO`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const [inMother, inSon] = [await exportsIn(mother), await exportsIn(son)];
    expect(inMother).toHaveLength(1);
    expect(inSon).toEqual(inMother);
    expect(await exportsIn(outsider)).toEqual([]);
    const stored = (await logOf(inMother[0]!))!;
    expect(stored).toMatchObject({
      kind: "ticket",
      format: "pdf",
      purpose: "assistance",
      recipient: "ADO",
      people: 2,
      state: "done",
      by: t.users.caseworker.userID,
    });
    // IDs and the export's own words only: never a name
    expect(JSON.stringify(stored)).not.toMatch(/Hermenegilda|Ocotepec/);
    const entry = (await sharing(son)).find((e) => e.ref === inMother[0]);
    expect(entry).toMatchObject({ channel: "export", kind: "ticket", purpose: "assistance", format: "pdf" });
  });

  it("a trip's manifest as CSV and as printable HTML is logged for everyone listed; the terminal screen's JSON is not a file", async () => {
    const before = (await exportsIn(mother)).length;
    const json = await get(`/api/relocation-trips/${tripID}/manifest?format=json`);
    expect(json.status).toBe(200);
    expect(await exportsIn(mother)).toHaveLength(before);

    const csv = await get(
      `/api/relocation-trips/${tripID}/manifest?format=csv&purpose=other&purposeOther=${encodeURIComponent("Lista para la policía migratoria")}`,
    );
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain("Hermenegilda Ocotepec");
    const html = await get(`/api/relocation-trips/${tripID}/manifest?format=html&purpose=assistance`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain("Anselmo Ocotepec");

    const logs = await Promise.all((await exportsIn(son)).map(logOf));
    const manifests = logs.filter((l) => l?.kind === "manifest");
    expect(manifests.map((l) => [l!.format, l!.purpose, l!.purposeOther ?? null, l!.people])).toEqual([
      ["csv", "other", "Lista para la policía migratoria", 2],
      ["html", "assistance", null, 2],
    ]);
    expect(await exportsIn(outsider)).toEqual([]);
    const shown = (await sharing(mother)).filter((e) => e.kind === "manifest");
    expect(shown[0]).toMatchObject({ purpose: "other", purposeOther: "Lista para la policía migratoria" });
  });

  it("the leads file is logged for the leads already registered as people, not for the others", async () => {
    const now = new Date().toISOString();
    for (const [givenName, individualID] of [
      ["Hermenegilda", mother],
      ["Perpetua", undefined],
    ] as const)
      await LeadEntity.create({
        leadID: `lead_PURPOSE${givenName}${t.operationID.slice(-8)}`,
        operationID: t.operationID,
        source: "public",
        givenName,
        phone: "+525598761234",
        status: individualID ? "registered" : "new",
        ...(individualID ? { individualID } : {}),
        version: 1,
        timeCreated: now,
        timeUpdated: now,
      } as never).go();
    const res = await get("/api/intake/export?kind=leads&purpose=verification", t.users.supervisor.token);
    expect(res.status).toBe(200);
    const logs = await Promise.all((await exportsIn(mother)).map(logOf));
    expect(logs.find((l) => l?.kind === "intake_leads")).toMatchObject({
      format: "csv",
      purpose: "verification",
      people: 1,
    });
    expect(await exportsIn(outsider)).toEqual([]);
  });

  it("a purpose that is not on the list, or 'other' without words, is refused with its field path and nothing is made or logged", async () => {
    const count = async () => (await exportsIn(son)).length;
    const before = await count();
    const bad = await call("GET", `/api/relocations/${relocationID}/tickets?purpose=curiosity`, {
      token: t.users.caseworker.token,
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toContain("purpose");

    const bare = await call("GET", `/api/relocation-trips/${tripID}/manifest?format=csv&purpose=other`, {
      token: t.users.caseworker.token,
    });
    expect(bare.status).toBe(422);
    expect(bare.json.errors).toEqual([
      expect.objectContaining({ path: "purposeOther", code: "export.purpose_other_required" }),
    ]);
    const blank = await call("POST", "/api/exports/audit", {
      token: t.users.admin.token,
      body: { resource: "individuals", format: "csv", rowCount: 1, fields: ["givenName"], ids: [son], purpose: "other", purposeOther: "  " },
    });
    expect(blank.status).toBe(422);
    expect(blank.json.errors[0].path).toBe("purposeOther");
    const sar = await call("GET", `/api/individuals/${son}/subject-access?format=json&purpose=other`, {
      token: t.users.supervisor.token,
    });
    expect(sar.json.errors?.[0]?.path).toBe("purposeOther");
    expect(await count()).toBe(before);
  });

  it("a grid export and a subject-access file keep the purpose chosen; a subject-access file without one is the person's own request", async () => {
    const grid = await call("POST", "/api/exports/audit", {
      token: t.users.admin.token,
      body: {
        resource: "individuals",
        format: "xlsx",
        rowCount: 1,
        fields: ["givenName"],
        ids: [son],
        purpose: "referral",
        recipient: "Casa del Migrante",
      },
    });
    expect(grid.status).toBe(200);
    const own = await call("GET", `/api/individuals/${son}/subject-access?format=json`, { token: t.users.supervisor.token });
    expect(own.status).toBe(200);
    const lawyer = await call(
      "GET",
      `/api/individuals/${son}/subject-access?format=json&purpose=other&purposeOther=${encodeURIComponent("Pedido de su abogada")}`,
      { token: t.users.supervisor.token },
    );
    expect(lawyer.status).toBe(200);
    const entries = (await sharing(son)).filter((e) => e.kind === "view:individuals" || e.kind === "subject_access");
    expect(entries.map((e) => [e.kind, e.purpose, e.purposeOther ?? null])).toEqual([
      ["view:individuals", "referral", null],
      ["subject_access", "subject_access", null],
      ["subject_access", "other", "Pedido de su abogada"],
    ]);
  });
});
