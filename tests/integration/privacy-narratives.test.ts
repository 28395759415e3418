import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { Case, Identifier, Individual } from "@waypoint/core";
import { config } from "@waypoint/core/config";
import { documentClient } from "@waypoint/core/dynamo";
import { DataKeyEntity } from "@waypoint/core/privacy/datakey.entity";
import { kmsMasterKey, useMasterKey } from "@waypoint/core/privacy/keys";
import { Narrative } from "@waypoint/core/privacy/narrative";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";

async function tableHolds(words: string[]): Promise<string[]> {
  const hits: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new ScanCommand({ TableName: config().tableName, ExclusiveStartKey }),
    );
    for (const i of res.Items ?? []) {
      const text = JSON.stringify(i).toLowerCase();
      if (words.some((w) => text.includes(w))) hits.push(text.slice(0, 200));
    }
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return hits;
}

let t: TestOperation;
let caseID: string;
let individualID: string;
beforeAll(async () => {
  t = await createTestOperation();
  const { record } = await as(t.users.caseworker.actor, () =>
    Individual.create(
      {
        givenName: "Rosa",
        familyName: "Villatoro",
        sex: "female",
        dateOfBirth: "1994-05-05",
        nationality: "GTM",
        officeID: t.officeA,
        legalStatus: "asylum_seeker",
      },
      { overrideDuplicates: { reason: "narrative fixture" } },
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
  caseID = c.caseID;
});

describe("narratives of restricted records are encrypted before they reach the table", () => {
  it("an SGBV case note and an incident description are ciphertext in every item of the table, and read back for a permitted reader", async () => {
    const tag = Identifier.create("note")
      .slice(-8)
      .toLowerCase()
      .replace(/[^a-z]/g, "q");
    const noteWords = `quetzalbruma${tag} described the checkpoint at the river`;
    const incidentWords = `tormentaazul${tag} happened behind the shelter`;
    const note = await call("POST", `/api/cases/${caseID}/notes`, {
      token: t.users.supervisor.token,
      body: { body: noteWords, kind: "counselling" },
    });
    expect(note.status).toBe(201);
    const incident = await call("POST", "/api/incidents", {
      token: t.users.supervisor.token,
      body: {
        officeID: t.officeA,
        kind: "sgbv",
        dateOfIncident: "2026-10-01",
        caseID,
        individualIDs: [individualID],
        description: incidentWords,
      },
    });
    expect(incident.status).toBe(201);
    // an edit (and its audit diff) stays encrypted too
    const edited = await call("PATCH", `/api/cases/${caseID}/notes/${note.json.noteID}`, {
      token: t.users.supervisor.token,
      body: { version: 1, changes: { body: `${noteWords}, then the bus station` } },
    });
    expect(edited.status).toBe(200);

    expect(await tableHolds([`quetzalbruma${tag}`, `tormentaazul${tag}`, "checkpoint at the river"])).toEqual(
      [],
    );
    // the operation's data key is stored wrapped, never in clear
    const key = (await DataKeyEntity.get({ operationID: t.operationID }).go()).data!;
    expect(key.wrappedBy).toBe("local");

    // the permitted reader gets the text; the list too
    expect(edited.json.body).toBe(`${noteWords}, then the bus station`);
    const list = await call("GET", `/api/cases/${caseID}/notes`, { token: t.users.supervisor.token });
    expect(list.json.items.map((n: { body: string }) => n.body)).toEqual([
      `${noteWords}, then the bus station`,
    ]);
    const inc = await call("GET", `/api/incidents/${incident.json.incidentID}`, {
      token: t.users.supervisor.token,
    });
    expect(inc.json.description).toBe(incidentWords);
    // a caseworker of the office who is not assigned sees neither
    expect(
      (await call("GET", `/api/incidents/${incident.json.incidentID}`, { token: t.users.caseworker.token }))
        .status,
    ).toBe(404);
  });

  it("the KMS adapter wraps with GenerateDataKey and unwraps with Decrypt, bound to the operation", async () => {
    // a stand-in for KMSClient with the documented command shapes
    const calls: { name: string; input: Record<string, unknown> }[] = [];
    const master = Buffer.alloc(32, 7);
    class GenerateDataKeyCommand {
      constructor(readonly input: Record<string, unknown>) {}
    }
    class DecryptCommand {
      constructor(readonly input: Record<string, unknown>) {}
    }
    const xor = (b: Uint8Array, ctx: string) =>
      Buffer.from(b.map((x, i) => x ^ master[i % 32]! ^ ctx.charCodeAt(i % ctx.length)));
    const client = {
      async send(cmd: GenerateDataKeyCommand | DecryptCommand) {
        const name = cmd.constructor.name;
        calls.push({ name, input: cmd.input });
        const ctx = JSON.stringify(cmd.input.EncryptionContext);
        if (cmd instanceof GenerateDataKeyCommand) {
          const plain = Buffer.alloc(32, 3);
          return { Plaintext: plain, CiphertextBlob: xor(plain, ctx) };
        }
        return { Plaintext: xor(cmd.input.CiphertextBlob as Uint8Array, ctx) };
      },
    };
    const op = await createTestOperation();
    useMasterKey(
      kmsMasterKey("alias/waypoint-test", client, { GenerateDataKeyCommand, DecryptCommand } as never),
    );
    try {
      Narrative.forgetKeys();
      const sealed = await Narrative.seal(op.operationID, "said in confidence");
      expect(sealed).not.toContain("confidence");
      Narrative.forgetKeys();
      expect(await Narrative.open(op.operationID, sealed)).toBe("said in confidence");
      expect(calls.map((c) => c.name)).toEqual(["GenerateDataKeyCommand", "DecryptCommand"]);
      expect(calls[0]!.input).toMatchObject({
        KeyId: "alias/waypoint-test",
        KeySpec: "AES_256",
        EncryptionContext: { operationID: op.operationID },
      });
      const stored = (await DataKeyEntity.get({ operationID: op.operationID }).go()).data!;
      expect(stored.wrappedBy).toBe("kms:alias/waypoint-test");
    } finally {
      useMasterKey(undefined);
      Narrative.forgetKeys();
    }
  });
});
