import { describe, expect, it } from "vitest";
import { Individual, Payee } from "@waypoint/core";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

/** Four eyes means someone who did not shape the thing: whoever changed it since the last approval is refused. */

async function childCase(op: TestOperation) {
  const [parent, child] = await people(op, [
    { age: 34, relationshipToHead: "head" },
    { age: 11, relationshipToHead: "child" },
  ]);
  const c = await caseWith(op, "bip", [parent!.individualID, child!.individualID]);
  return { c, child: child! };
}

const review = (id: string, token: string, version: number, decision = "approve") =>
  call("POST", `/api/assessments/${id}/review`, { token, body: { decision, version } });

describe("four eyes: approvers differ from everyone who shaped the record", () => {
  it("a colleague who rewrote a BIA or a BID cannot approve it or sit on its panel", async () => {
    const op = await createTestOperation();
    const { c, child } = await childCase(op);
    const cw = op.users.caseworker;
    const colleague = await extraUser(op, "caseworker");
    for (const kind of ["bia", "bid"] as const) {
      const created = await call("POST", "/api/assessments", {
        token: cw.token,
        body: { caseID: c.caseID, kind, individualID: child.individualID, summary: "Stays with the mother" },
      });
      expect(created.status).toBe(201);
      const id = created.json.assessmentID;
      const rewritten = await call("PATCH", `/api/assessments/${id}`, {
        token: colleague.token,
        body: {
          version: 1,
          changes: { summary: "Placement with the aunt is in the child's best interests" },
        },
      });
      expect(rewritten.status).toBe(200);
      const sub = await call("POST", `/api/assessments/${id}/submit`, {
        token: cw.token,
        body: { version: 2 },
      });
      expect(sub.json.status).toBe("submitted");
      const own = await review(id, colleague.token, sub.json.version);
      expect(own.status).toBe(422);
      expect(own.json.code).toBe("assessment.ownReview");
      const stored = await call("GET", `/api/assessments/${id}`, { token: cw.token });
      expect(stored.json).toMatchObject({ status: "submitted", reviews: [] });
      // people who did not shape it decide: one reviewer for a BIA, a panel of two for a BID
      let v = sub.json.version;
      const panel =
        kind === "bia" ? [op.users.supervisor] : [op.users.supervisor, await extraUser(op, "supervisor")];
      for (const p of panel) {
        const ok = await review(id, p.token, v);
        expect(ok.status, JSON.stringify(ok.json)).toBe(200);
        v = ok.json.version;
      }
      expect((await call("GET", `/api/assessments/${id}`, { token: cw.token })).json.status).toBe("approved");
    }
  });

  it("whoever rewrote a reintegration plan, replaced an invoice's quotes or picked its supplier does not approve it", async () => {
    const op = await createTestOperation();
    const [a] = await people(op, [{ age: 40, relationshipToHead: "head" }]);
    const cw = op.users.caseworker.token;
    const s1 = op.users.supervisor.token;
    const s2 = (await extraUser(op, "supervisor")).token;
    const s3 = (await extraUser(op, "supervisor")).token;
    const r = (
      await call("POST", "/api/returns", {
        token: cw,
        body: { officeID: op.officeA, individualIDs: [a!.individualID], countryOfReturn: "SEN" },
      })
    ).json;
    const items = [{ kind: "economic", description: "Tailoring workshop", budget: 900000, currency: "XOF" }];
    const plan = await call("PUT", `/api/returns/${r.returnID}/plan`, { token: cw, body: { items } });
    expect(plan.status).toBe(200);
    const rewritten = await call("PUT", `/api/returns/${r.returnID}/plan`, {
      token: s1,
      body: { version: 1, items: [{ ...items[0], itemID: plan.json.items[0].itemID, budget: 2500000 }] },
    });
    expect(rewritten.status, JSON.stringify(rewritten.json)).toBe(200);
    const own = await call("POST", `/api/returns/${r.returnID}/plan/approve`, {
      token: s1,
      body: { version: 2 },
    });
    expect(own.status).toBe(422);
    expect(own.json.code).toBe("plan.ownApproval");
    const approved = await call("POST", `/api/returns/${r.returnID}/plan/approve`, {
      token: s2,
      body: { version: 2 },
    });
    expect(approved.json.status).toBe("approved");

    const payee = await as(op.users.finance.actor, () =>
      Payee.create({
        kind: "supplier",
        name: "Atelier Ndiaye",
        channel: { type: "bank", accountNumber: "300012345678" },
      }),
    );
    const supplier = async (name: string, payeeID?: string) =>
      (
        await call("POST", "/api/suppliers", {
          token: cw,
          body: { name, country: "SEN", category: "tools_equipment", payeeID },
        })
      ).json;
    const [x, y, z] = [
      await supplier("Atelier Ndiaye", payee.payeeID),
      await supplier("Diop"),
      await supplier("Fall"),
    ];
    const q = (s: { supplierID: string }, amount: number) => ({
      supplierID: s.supplierID,
      amount,
      currency: "XOF",
      date: "2026-05-20",
    });
    const inv = await call("POST", "/api/invoices", {
      token: cw,
      body: {
        returnID: r.returnID,
        itemID: plan.json.items[0].itemID,
        quotes: [q(x, 900000), q(y, 950000), q(z, 990000)],
      },
    });
    expect(inv.json.status).toBe("draft");
    const id = inv.json.invoiceID;
    const replaced = await call("PATCH", `/api/invoices/${id}`, {
      token: s1,
      body: { version: 1, changes: { quotes: [q(x, 2400000), q(y, 2500000), q(z, 2600000)] } },
    });
    expect(replaced.status).toBe(200);
    const sel = await call("POST", `/api/invoices/${id}/select`, {
      token: s2,
      body: { supplierID: x.supplierID, reason: "Cheapest", version: 2 },
    });
    expect(sel.json.status).toBe("selected");
    for (const token of [s1, s2]) {
      const refused = await call("POST", `/api/invoices/${id}/decision`, {
        token,
        body: { approve: true, version: 3 },
      });
      expect(refused.status).toBe(422);
      expect(refused.json.code).toBe("invoice.ownApproval");
    }
    const stored = (await call("GET", `/api/returns/${r.returnID}/invoices`, { token: cw })).json.items[0];
    expect(stored).toMatchObject({ status: "selected", version: 3 });
    expect(stored.paymentID).toBeUndefined();
    const ok = await call("POST", `/api/invoices/${id}/decision`, {
      token: s3,
      body: { approve: true, version: 3 },
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json.status).toBe("approved");

    // the next round of the plan starts with nobody: the author's new draft is approved by the earlier editor
    const next = await call("PUT", `/api/returns/${r.returnID}/plan`, {
      token: cw,
      body: { version: 3, items: [{ ...items[0], itemID: plan.json.items[0].itemID, budget: 2600000 }] },
    });
    expect(next.status).toBe(200);
    const again = await call("POST", `/api/returns/${r.returnID}/plan/approve`, {
      token: s1,
      body: { version: 4 },
    });
    expect(again.status, JSON.stringify(again.json)).toBe(200);
  });

  it("a reviewer who changed a resettlement submission neither reviews it nor resolves its integrity flags", async () => {
    const op = await createTestOperation();
    const [p] = await people(op, [{ age: 33, relationshipToHead: "head" }]);
    const c = await caseWith(op, "resettlement", [p!.individualID]);
    const cw = op.users.caseworker.token;
    const s1 = op.users.supervisor.token;
    const s2 = (await extraUser(op, "supervisor")).token;
    const s = (
      await call("POST", "/api/resettlement", {
        token: cw,
        body: { caseID: c.caseID, programme: "rst", country: "CAN", quotaYear: 2026, primaryCategory: "LPN" },
      })
    ).json;
    const edited = await call("PATCH", "/api/resettlement", {
      token: s1,
      body: {
        rows: [{ id: s.submissionID, version: 1, changes: { primaryCategory: "SVT", priority: "urgent" } }],
      },
    });
    expect(edited.json.results[0].status).toBe("saved");
    let v = 2;
    for (const to of ["interviewed", "drafted"]) {
      const t = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
        token: cw,
        body: { to, version: v },
      });
      expect(t.status).toBe(200);
      v = t.json.version;
    }
    const own = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: s1,
      body: { decision: "recommend", comment: "Fine", version: v },
    });
    expect(own.status).toBe(422);
    expect(own.json.code).toBe("submission.ownReview");
    const rec = await call("POST", `/api/resettlement/${s.submissionID}/review`, {
      token: s2,
      body: { decision: "recommend", comment: "Complete file", version: v },
    });
    expect(rec.status, JSON.stringify(rec.json)).toBe(200);
    const sub = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "submitted", version: rec.json.version },
    });
    expect(sub.status, JSON.stringify(sub.json)).toBe(200);
    await as(op.users.caseworker.actor, async () => {
      const cur = await Individual.get(p!.individualID);
      await Individual.patch(p!.individualID, cur.version, { dateOfBirth: "1991-01-01" });
    });
    const flaggedTry = await call("POST", `/api/resettlement/${s.submissionID}/transition`, {
      token: cw,
      body: { to: "accepted", version: sub.json.version, reason: "Accepted" },
    });
    expect(flaggedTry.json.code).toBe("submission.flagged");
    const flagged = (await call("GET", `/api/resettlement/${s.submissionID}`, { token: cw })).json;
    const path = `/api/resettlement/${s.submissionID}/flags/${flagged.flags[0].flagID}/resolve`;
    const body = { outcome: "corrected", note: "Typo corrected from passport", version: flagged.version };
    const byEditor = await call("POST", path, { token: s1, body });
    expect(byEditor.status).toBe(422);
    expect(byEditor.json.code).toBe("flag.ownSubmission");
    expect((await call("GET", `/api/resettlement/${s.submissionID}`, { token: cw })).json.openFlags).toBe(1);
    const resolved = await call("POST", path, { token: s2, body });
    expect(resolved.status, JSON.stringify(resolved.json)).toBe(200);
    expect(resolved.json.openFlags).toBe(0);
  });
});
