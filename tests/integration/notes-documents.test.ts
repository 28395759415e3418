import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Assessment, Audit, Case, CaseDocument, Note } from "@waypoint/core";
import { NoteEntity } from "@waypoint/core/note/note.entity";
import { app } from "@waypoint/functions";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { extraUser } from "../support/programmes.ts";

const sys = <R>(op: TestOperation, fn: () => Promise<R>) =>
  as({ ...system, operationID: op.operationID }, fn);
const openCase = (op: TestOperation, extra: Partial<Parameters<typeof Case.create>[0]> = {}) =>
  as(op.users.caseworker.actor, () =>
    Case.create({
      officeID: op.officeA,
      type: "protection",
      assignedTo: op.users.caseworker.userID,
      ...extra,
    }),
  );
const history = (op: TestOperation, recordID: string) =>
  sys(op, async () => (await Audit.history({ recordID, limit: 500 })).items);

describe("case notes", () => {
  it("the author corrects a note within the window; others cannot; stale versions conflict", async () => {
    const op = await createTestOperation();
    const c = await openCase(op);
    const cw = op.users.caseworker;
    const made = await call("POST", `/api/cases/${c.caseID}/notes`, {
      token: cw.token,
      body: { kind: "counselling", body: "Discussed options for legal stay" },
    });
    expect(made.status).toBe(201);
    const path = `/api/cases/${c.caseID}/notes/${made.json.noteID}`;
    const fixed = await call("PATCH", path, {
      token: cw.token,
      body: { version: 1, changes: { body: "Discussed options for legal stay and work permit" } },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.json.version).toBe(2);
    const stale = await call("PATCH", path, {
      token: cw.token,
      body: { version: 1, changes: { body: "x" } },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.current.body).toContain("work permit");
    // a colleague of the same office reads it but may not rewrite it
    const colleague = await extraUser(op, "caseworker");
    const listed = await call("GET", `/api/cases/${c.caseID}/notes`, { token: colleague.token });
    expect(listed.json.items.map((n: { noteID: string }) => n.noteID)).toEqual([made.json.noteID]);
    const refused = await call("PATCH", path, {
      token: colleague.token,
      body: { version: 2, changes: { body: "mine now" } },
    });
    expect(refused.status).toBe(403);
    const events = await history(op, made.json.noteID);
    expect(events.map((e) => e.action)).toEqual(["create", "update"]);
    expect(events[1]!.changes).toMatchObject({
      body: {
        before: "Discussed options for legal stay",
        after: "Discussed options for legal stay and work permit",
      },
    });
  });

  it("after the edit window only a supervisor may correct a note", async () => {
    const op = await createTestOperation();
    const c = await openCase(op);
    const note = await as(op.users.caseworker.actor, () =>
      Note.create({ caseID: c.caseID, body: "Home visit done" }),
    );
    const old = new Date(Date.now() - (Note.EditWindowHours + 1) * 3_600_000).toISOString();
    await NoteEntity.patch({ noteID: note.noteID }).set({ timeCreated: old }).go();
    const path = `/api/cases/${c.caseID}/notes/${note.noteID}`;
    const late = await call("PATCH", path, {
      token: op.users.caseworker.token,
      body: { version: 1, changes: { body: "Home visit done, family absent" } },
    });
    expect(late.status).toBe(422);
    expect(late.json.code).toBe("note.editWindowClosed");
    const sup = await call("PATCH", path, {
      token: op.users.supervisor.token,
      body: { version: 1, changes: { body: "Home visit done, family absent" } },
    });
    expect(sup.status).toBe(200);
    // an admin is not the case's supervisor: operation-wide rights do not rewrite someone's notes
    const admin = await call("PATCH", path, {
      token: op.users.admin.token,
      body: { version: 2, changes: { body: "admin" } },
    });
    expect(admin.status).toBe(403);
  });

  it("notes follow the case's scope and restriction", async () => {
    const op = await createTestOperation();
    const restricted = await openCase(op, { subType: "sgbv" });
    await as(op.users.caseworker.actor, () => Note.create({ caseID: restricted.caseID, body: "Disclosure" }));
    const colleague = await extraUser(op, "caseworker");
    expect(
      (await call("GET", `/api/cases/${restricted.caseID}/notes`, { token: colleague.token })).status,
    ).toBe(404);
    expect(
      (
        await call("POST", `/api/cases/${restricted.caseID}/notes`, {
          token: colleague.token,
          body: { body: "x" },
        })
      ).status,
    ).toBe(404);
    const open = await openCase(op);
    expect(
      (await call("GET", `/api/cases/${open.caseID}/notes`, { token: op.caseworkerB.token })).status,
    ).toBe(403);
    expect(
      (await call("GET", `/api/cases/${open.caseID}/notes`, { token: op.users.viewer.token })).status,
    ).toBe(403);
    const empty = await call("POST", `/api/cases/${open.caseID}/notes`, {
      token: op.users.caseworker.token,
      body: { body: "" },
    });
    expect(empty.status).toBe(422);
    expect(empty.json.errors[0].path).toBe("body");
  });
});

describe("records filed on a case follow the case as it is now", () => {
  it("a disclosure that restricts the case hides its notes and documents; reassignment opens them", async () => {
    const op = await createTestOperation();
    const c = await openCase(op);
    const cw = op.users.caseworker;
    const note = await as(cw.actor, () => Note.create({ caseID: c.caseID, body: "First interview" }));
    const doc = await as(cw.actor, () =>
      CaseDocument.upload({
        caseID: c.caseID,
        kind: "other",
        title: "Intake form",
        fileName: "intake.txt",
        contentType: "text/plain",
        content: new Uint8Array(Buffer.from("intake")),
      }),
    );
    const asm = await as(cw.actor, () => Assessment.create({ caseID: c.caseID, kind: "vulnerability" }));
    const colleague = await extraUser(op, "caseworker");
    const grid = async () =>
      (
        await call("GET", `/api/assessments?officeID=${op.officeA}`, { token: colleague.token })
      ).json.items.map((a: { assessmentID: string }) => a.assessmentID);
    expect(await grid()).toEqual([asm.assessmentID]);
    const notePath = `/api/cases/${c.caseID}/notes`;
    const docPath = `/api/cases/${c.caseID}/documents/${doc.documentID}/content`;
    expect((await call("GET", notePath, { token: colleague.token })).json.items).toHaveLength(1);
    expect((await call("GET", docPath, { token: colleague.token })).status).toBe(200);
    const restricted = await as(cw.actor, () =>
      Case.patch({ caseID: c.caseID, version: c.version, changes: { subType: "sgbv" } }),
    );
    expect(restricted.restricted).toBe(true);
    expect((await call("GET", notePath, { token: colleague.token })).status).toBe(404);
    expect((await call("GET", docPath, { token: colleague.token })).status).toBe(404);
    expect(await grid()).toEqual([]);
    expect(
      (await call("GET", `/api/assessments/${asm.assessmentID}`, { token: colleague.token })).status,
    ).toBe(404);
    expect(
      (
        await call("GET", `/api/audit?recordId=${note.noteID}`, {
          token: (await extraUser(op, "admin", [])).token,
        })
      ).status,
    ).toBe(404);
    // the case moves to the colleague: they now see what is on it
    await as(op.users.supervisor.actor, () =>
      Case.patch({
        caseID: c.caseID,
        version: restricted.version,
        changes: { assignedTo: colleague.userID },
      }),
    );
    const listed = await call("GET", notePath, { token: colleague.token });
    expect(listed.json.items.map((n: { noteID: string }) => n.noteID)).toEqual([note.noteID]);
    expect((await call("GET", docPath, { token: colleague.token })).status).toBe(200);
    expect(await grid()).toEqual([asm.assessmentID]);
  });
});

describe("case documents", () => {
  it("uploads as base64, stores content and checksum, and audits every download", async () => {
    const op = await createTestOperation();
    const c = await openCase(op);
    const cw = op.users.caseworker;
    const content = randomBytes(50_000);
    const up = await call("POST", `/api/cases/${c.caseID}/documents`, {
      token: cw.token,
      body: {
        kind: "consent_form",
        title: "Signed consent",
        fileName: "consentimiento firmado.pdf",
        contentType: "application/pdf",
        contentBase64: content.toString("base64"),
      },
    });
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({
      size: 50_000,
      sha256: createHash("sha256").update(content).digest("hex"),
      contentType: "application/pdf",
    });
    const list = await call("GET", `/api/cases/${c.caseID}/documents`, { token: op.users.supervisor.token });
    expect(list.json.items.map((d: { documentID: string }) => d.documentID)).toEqual([up.json.documentID]);

    const res = await app.request(`/api/cases/${c.caseID}/documents/${up.json.documentID}/content`, {
      headers: { authorization: `Bearer ${cw.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);

    // out of scope: refused, and no download is recorded for them
    const b = await call("GET", `/api/cases/${c.caseID}/documents/${up.json.documentID}/content`, {
      token: op.caseworkerB.token,
    });
    expect(b.status).toBe(403);
    const viewer = await call("GET", `/api/cases/${c.caseID}/documents/${up.json.documentID}/content`, {
      token: op.users.viewer.token,
    });
    expect(viewer.status).toBe(403);
    const downloads = (await history(op, up.json.documentID)).filter((e) => e.action === "download");
    expect(downloads.map((e) => e.actorID)).toEqual([cw.userID]);
    // the supervisor reads the document's trail
    const trail = await call("GET", `/api/audit?recordId=${up.json.documentID}`, {
      token: op.users.supervisor.token,
    });
    expect(trail.json.items.map((e: { action: string }) => e.action)).toEqual(["create", "download"]);
  });

  it("accepts multipart uploads", async () => {
    const op = await createTestOperation();
    const c = await openCase(op);
    const form = new FormData();
    form.set("file", new File([Buffer.from("%PDF-1.7 test")], "passport.pdf", { type: "application/pdf" }));
    form.set("kind", "identity");
    form.set("title", "Passport copy");
    const res = await app.request(`/api/cases/${c.caseID}/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${op.users.caseworker.token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const info = (await res.json()) as CaseDocument.Info;
    expect(info).toMatchObject({ fileName: "passport.pdf", contentType: "application/pdf", size: 13 });
  });

  it("refuses bad uploads with a clear error and stores nothing", async () => {
    const op = await createTestOperation();
    const c = await openCase(op);
    const token = op.users.caseworker.token;
    const base = { kind: "other", title: "t", fileName: "a.txt", contentType: "text/plain" };
    const badB64 = await call("POST", `/api/cases/${c.caseID}/documents`, {
      token,
      body: { ...base, contentBase64: "not base64!" },
    });
    expect(badB64.status).toBe(422);
    expect(badB64.json.errors[0].path).toBe("contentBase64");
    const badName = await call("POST", `/api/cases/${c.caseID}/documents`, {
      token,
      body: { ...base, fileName: "../../etc/passwd", contentBase64: "aGk=" },
    });
    expect(badName.status).toBe(422);
    expect(badName.json.errors[0].path).toBe("fileName");
    const big = Buffer.alloc(CaseDocument.MaxBytes + 1, 1).toString("base64");
    const tooBig = await call("POST", `/api/cases/${c.caseID}/documents`, {
      token,
      body: { ...base, contentBase64: big },
    });
    expect(tooBig.status).toBe(422);
    const list = await call("GET", `/api/cases/${c.caseID}/documents`, { token });
    expect(list.json.items).toEqual([]);
  });

  it("documents of a restricted case do not exist for unassigned staff", async () => {
    const op = await createTestOperation();
    const c = await openCase(op, { subType: "trafficking" });
    const doc = await as(op.users.caseworker.actor, () =>
      CaseDocument.upload({
        caseID: c.caseID,
        kind: "legal",
        title: "Statement",
        fileName: "statement.txt",
        contentType: "text/plain",
        content: new Uint8Array(Buffer.from("statement")),
      }),
    );
    const colleague = await extraUser(op, "caseworker");
    const res = await call("GET", `/api/cases/${c.caseID}/documents/${doc.documentID}/content`, {
      token: colleague.token,
    });
    expect(res.status).toBe(404);
    const sup = await call("GET", `/api/cases/${c.caseID}/documents/${doc.documentID}/content`, {
      token: op.users.supervisor.token,
    });
    expect(sup.status).toBe(200);
    expect(sup.text).toBe("statement");
  });
});
