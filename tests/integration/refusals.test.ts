import { describe, expect, it } from "vitest";
import { Actions } from "@waypoint/core/permissions";
import { refusalSentence } from "@waypoint/core/common/refusal";
import { call, createTestOperation } from "../support/fixtures.ts";
import { refusalKey, refusalSentence as webRefusal } from "../../web/src/api/refusal.ts";
import { Languages, Messages } from "../../web/src/i18n/messages.ts";

/**
 * A refusal reads as a sentence: the problem's detail is plain English without the permission code; the code
 * travels in `action` so the web app can say it in the user's language.
 */
describe("refusals", () => {
  it("a caseworker deciding a closure is told in a sentence; the refused permission is in `action`", async () => {
    const op = await createTestOperation();
    const kase = await call("POST", "/api/cases", {
      token: op.users.caseworker.token,
      body: { officeID: op.officeA, type: "protection" },
    });
    expect(kase.status, kase.text).toBe(201);
    const res = await call("POST", `/api/cases/${kase.json.caseID}/closure-approval`, {
      token: op.users.caseworker.token,
      body: { approve: true, version: 1 },
    });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ status: 403, code: "forbidden", action: "case.approve" });
    expect(res.json.detail).toBe(
      "Only a supervisor of the case's office may approve or reject a case closure.",
    );
    // the web app says it in the user's language, from the refused permission
    expect(webRefusal(res.json, "ar")).toBe(Messages.ar["refused.case.approve"]);
    expect(webRefusal(res.json, "es")).toBe(
      "Solo un supervisor de la oficina del caso puede aprobar o rechazar un cierre.",
    );
    // nothing was decided
    const stored = await call("GET", `/api/cases/${kase.json.caseID}`, { token: op.users.supervisor.token });
    expect(stored.json.closureApproval).toBeUndefined();
  });

  it("a refused row of a bulk save carries a sentence and the refused permission", async () => {
    const op = await createTestOperation();
    const kase = await call("POST", "/api/cases", {
      token: op.users.caseworker.token,
      body: { officeID: op.officeA, type: "protection" },
    });
    const res = await call("PATCH", "/api/cases", {
      token: op.users.viewer.token,
      body: { rows: [{ id: kase.json.caseID, version: 1, changes: { riskLevel: "high" } }] },
    });
    expect(res.json.results[0]).toMatchObject({
      status: "forbidden",
      action: "case.update",
      message: "Your role may not change cases.",
    });
  });

  it("every permission of the table has a refusal sentence without its code", () => {
    for (const action of Actions) {
      const s = refusalSentence(action);
      expect(s, action).toMatch(/^[A-Z][^.]*[a-z)]\.$/);
      expect(s, action).not.toContain(action);
      expect(s, action).not.toMatch(/Not allowed|\w\.\w/);
    }
  });

  it("the web app has a sentence for every permission in every language, never the code", () => {
    for (const action of [...Actions, "batch.approve.own", "staff.only", undefined])
      for (const lang of Languages) {
        const key = refusalKey(action);
        const text = webRefusal({ action }, lang);
        expect(Messages[lang][key], `${lang} ${key}`).toBeTruthy();
        expect(text, `${lang} ${action}`).toBe(Messages[lang][key]);
        if (action) expect(text).not.toContain(action);
        if (lang !== "en") expect(text, `${lang} ${key}`).not.toBe(Messages.en[key]);
      }
    expect(refusalKey("programme.review")).toBe("refused.programme.review");
    expect(refusalKey("programme.update")).toBe("refused.programme");
    expect(refusalKey("user.manage")).toBe("refused.admin");
  });
});
