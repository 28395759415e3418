import { ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { Identifier } from "@waypoint/core";
import { config } from "@waypoint/core/config";
import { documentClient } from "@waypoint/core/dynamo";
import { AssessmentEntity } from "@waypoint/core/assessment/assessment.entity";
import { AuditEntity } from "@waypoint/core/audit/audit.entity";
import { DataKeyEntity } from "@waypoint/core/privacy/datakey.entity";
import { Narrative } from "@waypoint/core/privacy/narrative";
import { SEAL_VERSION } from "@waypoint/core/privacy/seal-stored";
import { Retention } from "@waypoint/core/retention/index";
import { as, call, createTestOperation, system } from "../support/fixtures.ts";
import { caseWith, extraUser, people } from "../support/programmes.ts";

/** Every item of the table, as lower-cased JSON. */
async function scanTable(): Promise<string[]> {
  const out: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(new ScanCommand({ TableName: config().tableName, ExclusiveStartKey }));
    for (const i of res.Items ?? []) out.push(JSON.stringify(i).toLowerCase());
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

describe("BID reasons are encrypted like other narratives", () => {
  it("a BID's summary and the panel's comments are ciphertext in the table; the API, the BIP file and the history read them", async () => {
    const op = await createTestOperation();
    const [mother, child] = await people(op, [
      { age: 33, relationshipToHead: "head" },
      { age: 8, relationshipToHead: "child" },
    ]);
    const c = await caseWith(op, "pta", [mother!.individualID, child!.individualID]);
    const tag = Identifier.create("assessment").slice(-8);
    const summary = `Uncle Tiburcio${tag} threatened the child at the border`;
    const comment = `Return to Zacatecoluca${tag} is not in the child's interest`;
    const cw = op.users.caseworker;
    const bid = await call("POST", "/api/assessments", {
      token: cw.token,
      body: { caseID: c.caseID, kind: "bid", individualID: child!.individualID, summary },
    });
    expect(bid.status).toBe(201);
    expect(bid.json.summary).toBe(summary);
    const sub = await call("POST", `/api/assessments/${bid.json.assessmentID}/submit`, {
      token: cw.token,
      body: { version: bid.json.version },
    });
    expect(sub.status).toBe(200);
    const panel2 = await extraUser(op, "supervisor");
    const review = await call("POST", `/api/assessments/${bid.json.assessmentID}/review`, {
      token: panel2.token,
      body: { decision: "return", comment, version: sub.json.version },
    });
    expect(review.status, JSON.stringify(review.json)).toBe(200);

    // the table holds none of their words
    const items = await scanTable();
    for (const words of [`tiburcio${tag}`, `zacatecoluca${tag}`])
      expect(items.filter((i) => i.includes(words.toLowerCase()))).toEqual([]);

    // those who may read the BID read the text
    const read = await call("GET", `/api/assessments/${bid.json.assessmentID}`, { token: cw.token });
    expect(read.status).toBe(200);
    expect(read.json.summary).toBe(summary);
    expect(read.json.reviews.map((r: { comment?: string }) => r.comment)).toEqual([comment]);
    const listed = await call("GET", `/api/assessments?caseID=${c.caseID}`, { token: cw.token });
    expect(listed.json.items.find((a: { kind: string }) => a.kind === "bid").summary).toBe(summary);
    const file = await call("GET", `/api/bip/assessments/${bid.json.assessmentID}`, { token: cw.token });
    expect(file.status).toBe(200);
    expect(JSON.stringify(file.json)).toContain(summary);
    const history = await call(
      "GET",
      `/api/audit?recordId=${bid.json.assessmentID}`,
      { token: op.users.supervisor.token },
    );
    expect(history.status, JSON.stringify(history.json)).toBe(200);
    const text = JSON.stringify(history.json);
    expect(text).not.toContain("nar.v1.");
    expect(text).toContain(comment);
  });
});

describe("BID reasons stored in clear before their encryption", () => {
  it("are sealed by the scheduled job (not only at their next edit), in the record and its history, even in an operation whose notes were sealed already", async () => {
    const op = await createTestOperation();
    const [mother, child] = await people(op, [
      { age: 36, relationshipToHead: "head" },
      { age: 6, relationshipToHead: "child" },
    ]);
    const c = await caseWith(op, "pta", [mother!.individualID, child!.individualID]);
    const tag = Identifier.create("assessment").slice(-8);
    const summary = `Aunt Filomena${tag} kept the child from school`;
    const comment = `Placement in Chalatenango${tag} was refused by the child`;
    const cw = op.users.caseworker;
    const bid = await call("POST", "/api/assessments", {
      token: cw.token,
      body: { caseID: c.caseID, kind: "bid", individualID: child!.individualID, summary: "to be written" },
    });
    expect(bid.status).toBe(201);
    const id = bid.json.assessmentID as string;

    // as stored before BID reasons were encrypted: the record and its history hold the words in clear
    const key = AssessmentEntity.get({ assessmentID: id }).params().Key as { pk: string; sk: string };
    const reviews = [{ reviewerID: op.users.supervisor.userID, decision: "return", comment, time: new Date().toISOString(), round: 1 }];
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: key,
        UpdateExpression: "SET summary = :s, reviews = :r",
        ExpressionAttributeValues: { ":s": summary, ":r": reviews },
      }),
    );
    const events = (await AuditEntity.query.byRecord({ recordID: id }).go({ pages: "all", data: "includeKeys" })).data as unknown as {
      pk: string;
      sk: string;
    }[];
    expect(events.length).toBeGreaterThan(0);
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: { pk: events[0]!.pk, sk: events[0]!.sk },
        UpdateExpression: "SET changes = :c",
        ExpressionAttributeValues: {
          ":c": { summary: { before: null, after: summary }, reviews: { before: [], after: reviews } },
        },
      }),
    );
    // the operation's notes and incidents were sealed by an earlier version of the job (before BIDs were covered)
    await Narrative.seal(op.operationID, "-");
    await DataKeyEntity.patch({ operationID: op.operationID })
      .set({ clearSealedAt: new Date().toISOString() })
      .go({ response: "none" });
    let items = await scanTable();
    expect(items.some((i) => i.includes(`filomena${tag}`.toLowerCase()))).toBe(true);

    const out = await as(system, () => Retention.runScheduled({ operations: [op.operationID] }));
    expect(out.find((r) => r.operationID === op.operationID)?.state).toBe("done");

    items = await scanTable();
    for (const words of [`filomena${tag}`, `chalatenango${tag}`])
      expect(items.filter((i) => i.includes(words.toLowerCase()))).toEqual([]);
    // readers still get the words
    const read = await call("GET", `/api/assessments/${id}`, { token: cw.token });
    expect(read.json.summary).toBe(summary);
    expect(read.json.reviews.map((r: { comment?: string }) => r.comment)).toEqual([comment]);
    const history = await call("GET", `/api/audit?recordId=${id}`, { token: op.users.supervisor.token });
    expect(JSON.stringify(history.json)).toContain(comment);
    // done once: the next scheduled run finds nothing more to do for this operation
    expect((await DataKeyEntity.get({ operationID: op.operationID }).go()).data?.clearSealedVersion).toBe(SEAL_VERSION);
  });
});
