import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Appointment, Batch, Export, Individual, Job, Payee, Payment, resetConfig } from "@waypoint/core";
import { Messages, ProviderError, Twilio, outboxProvider, type Provider } from "@waypoint/core/message/index";
import { twilioConfig } from "@waypoint/core/message/provider";
import { PAYMENT_MESSAGE_JOB } from "@waypoint/core/message/jobs";
import { MessageEntity, MessageLotEntity } from "@waypoint/core/message/message.entity";
import { dynamoClient, documentClient } from "@waypoint/core/dynamo";
import { entityOptions } from "@waypoint/core/common/db";
import { config } from "@waypoint/core/config";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { Entity } from "electrodb";
import { RelocationTasks } from "@waypoint/core/relocation/tasks";
import { as, call, createTestOperation, system, type TestOperation } from "../support/fixtures.ts";
import { setupFinance } from "../support/payments.ts";
import { inDays, makeRelocation, makeTrip } from "../support/relocation.ts";

/**
 * Messages to people through a Twilio-style provider: a local HTTP server here that answers Twilio's documented
 * request shapes (form-encoded POST to Messages.json with basic auth; GET Messages.json?To=&DateSent>=) and
 * records what it received, so every test can count what "left".
 */
const SID = "AC00000000000000000000000000000001";
const TOKEN = "test-auth-token-0123456789";
const PUBLIC = "https://waypoint.example.org";

interface Received {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
  auth: string;
  contentType: string;
  date: string;
}
const received: Received[] = [];
let server: Server;
let t: TestOperation;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname !== `/2010-04-01/Accounts/${SID}/Messages.json`) {
        res.writeHead(404).end();
        return;
      }
      const auth = req.headers.authorization ?? "";
      if (auth !== `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}`) {
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ code: 20003 }));
        return;
      }
      if (req.method === "GET") {
        const to = url.searchParams.get("To");
        const messages = received
          .filter((m) => m.to === to && m.date >= (url.searchParams.get("DateSent>") ?? ""))
          .map((m) => ({ sid: m.sid, to: m.to, from: m.from, body: m.body, status: "sent" }));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ messages }));
        return;
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const m: Received = {
        sid: `SM${String(received.length + 1).padStart(32, "0")}`,
        to: form.get("To") ?? "",
        from: form.get("From") ?? "",
        body: form.get("Body") ?? "",
        statusCallback: form.get("StatusCallback") ?? undefined,
        auth,
        contentType: String(req.headers["content-type"]),
        date: new Date().toISOString().slice(0, 10),
      };
      received.push(m);
      res
        .writeHead(201, { "content-type": "application/json" })
        .end(JSON.stringify({ sid: m.sid, status: "queued", to: m.to, body: m.body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  process.env.WAYPOINT_TWILIO_BASE_URL = `http://127.0.0.1:${port}`;
  process.env.WAYPOINT_TWILIO_ACCOUNT_SID = SID;
  process.env.WAYPOINT_TWILIO_AUTH_TOKEN = TOKEN;
  process.env.WAYPOINT_TWILIO_FROM = "+15005550006";
  process.env.WAYPOINT_PUBLIC_URL = PUBLIC;
  // relocation workflow steps trust the machine's waits instead of the clock (as in local demos)
  process.env.WAYPOINT_WAIT_SCALE = "0";
  resetConfig();
  t = await createTestOperation();
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let seq = 0;
/** Fixtures made per operation (each gets birth years of its own, seven years apart). */
const madeIn = new Map<string, number>();
/** A person with a phone and a language, and (unless `consent` is false) consent to messages given on the API. */
async function person(
  languages: string[],
  consent = true,
  op: TestOperation = t,
  extra: { householdID?: string } = {},
) {
  seq++;
  const n = (madeIn.get(op.operationID) ?? 0) + 1;
  madeIn.set(op.operationID, n);
  const phone = `+5255${String(Date.now() % 1_000_000).padStart(6, "0")}${String(seq).padStart(2, "0")}`;
  const { record } = await as(op.users.caseworker.actor, () =>
    Individual.create(
      {
        givenName: ["Lucía", "Amadou", "Rana", "Jean", "Marta", "Omar", "Iris", "Tomás"][seq % 8]!,
        familyName: `Msg${seq}x${Math.random().toString(36).slice(2, 7)}`,
        sex: "female",
        // a birth year of its own per person in its operation (seven years apart, beyond the duplicate check's
        // tolerance), so two fixtures whose random family names sound alike are never taken for the same person
        dateOfBirth: `${1900 + n * 7}-01-01`,
        nationality: "HND",
        phone,
        languages,
        officeID: op.officeA,
        legalStatus: "asylum_seeker",
        ...extra,
      },
      { overrideDuplicates: { reason: "message fixture" } },
    ),
  );
  if (consent) {
    const given = await call("POST", `/api/individuals/${record.individualID}/consents`, {
      token: op.users.caseworker.token,
      body: { purpose: "messages", date: "2026-01-10", how: "verbal" },
    });
    expect(given.status).toBe(200);
  }
  return { individualID: record.individualID, phone };
}

let slot = 0;
async function appointment(participants: string[], day = "2027-03-10", op: TestOperation = t) {
  const m = 8 * 60 + (slot++ % 36) * 15;
  const hh = (n: number) =>
    `${String(Math.floor(n / 60)).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}`;
  return as(op.users.caseworker.actor, () =>
    Appointment.create({
      officeID: op.officeA,
      kind: "interview",
      room: `Room ${slot}`,
      start: `${day}T${hh(m)}:00.000Z`,
      end: `${day}T${hh(m + 15)}:00.000Z`,
      participants,
    }),
  );
}

const sentTo = (phone: string) => received.filter((r) => r.to === phone);

/** A provider callback as Twilio would post it, signed with the account's Auth Token (or not). */
function callback(path: string, params: Record<string, string>, sign = true) {
  const url = `${PUBLIC}${path}`;
  const signature = sign ? Twilio.signature(TOKEN, url, params) : "bm90IGEgc2lnbmF0dXJl";
  return call("POST", path, {
    body: new URLSearchParams(params).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
  });
}

const sys = <R>(fn: () => Promise<R>, op: TestOperation = t) =>
  as({ ...system, operationID: op.operationID }, fn);

describe("messages to people", () => {
  it("a caseworker sends an appointment reminder in the person's language: one form-encoded, authenticated request to the provider, however often it is sent", async () => {
    const p = await person(["spa"]);
    const a = await appointment([p.individualID]);
    const body = { individualID: p.individualID, kind: "appointment_reminder", ref: a.appointmentID };
    const first = await call("POST", "/api/messages", { token: t.users.caseworker.token, body });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ state: "sent", language: "es", duplicate: false });
    const again = await call("POST", "/api/messages", { token: t.users.caseworker.token, body });
    expect(again.json).toMatchObject({ messageID: first.json.messageID, duplicate: true });
    const got = sentTo(p.phone);
    expect(got).toHaveLength(1);
    expect(got[0]!.contentType).toContain("application/x-www-form-urlencoded");
    expect(got[0]!.from).toBe("+15005550006");
    expect(got[0]!.body).toMatch(/^Hola .*cita el 10 de marzo de 2027 a las .*Tapachula, Room/);
    expect(got[0]!.statusCallback).toBe(`${PUBLIC}/v1/public/messages/status?m=${first.json.messageID}`);
    const stored = (await MessageEntity.get({ messageID: first.json.messageID }).go()).data!;
    expect(stored).toMatchObject({ state: "sent", providerID: got[0]!.sid, individualID: p.individualID });
    // the person's page and the outbox show it
    const page = await call("GET", `/api/messages/person/${p.individualID}`, {
      token: t.users.caseworker.token,
    });
    expect(page.json.items[0]).toMatchObject({ messageID: stored.messageID, state: "sent" });
    const outbox = await call("GET", "/api/messages", { token: t.users.caseworker.token });
    expect(outbox.json.items.map((m: { messageID: string }) => m.messageID)).toContain(stored.messageID);
    // the other office's caseworker may not send to this person
    const other = await call("POST", "/api/messages", { token: t.caseworkerB.token, body });
    expect([403, 404]).toContain(other.status);
  });

  it("a person without consent to messages is not written to", async () => {
    const p = await person(["fra"], false);
    const a = await appointment([p.individualID]);
    const res = await call("POST", "/api/messages", {
      token: t.users.caseworker.token,
      body: { individualID: p.individualID, kind: "appointment_reminder", ref: a.appointmentID },
    });
    expect(res.status).toBe(422);
    expect(res.json.code ?? res.json.errors?.[0]?.code).toBe("message.no_consent");
    expect(sentTo(p.phone)).toHaveLength(0);
  });

  it("a sender killed after taking a message, and another killed after the provider took one, leave each message sent exactly once after restarts", async () => {
    const people = await Promise.all(
      [["spa"], ["fra"], ["ara"], ["eng"], ["spa"], ["prs"]].map((l) => person(l)),
    );
    await appointment(
      people.map((p) => p.individualID),
      "2027-03-11",
    );
    const counts = await sys(() => Messages.queueDayReminders({ officeID: t.officeA, date: "2027-03-11" }));
    expect(counts.queued).toBe(6);
    // queueing again (a restarted job) claims nothing new
    const again = await sys(() => Messages.queueDayReminders({ officeID: t.officeA, date: "2027-03-11" }));
    expect(again).toMatchObject({ queued: 0, existing: 6 });

    class SenderKilled extends Error {
      override name = "SenderKilled";
    }
    const killAt = (stage: "taken" | "handed", nth: number) => {
      let seen = 0;
      let dead = false;
      return (s: Messages.Stage) => {
        if (dead) throw new SenderKilled();
        if (s === stage && ++seen === nth) {
          dead = true;
          throw new SenderKilled();
        }
      };
    };
    // 1st run dies between taking its 2nd message and calling the provider
    await expect(sys(() => Messages.dispatch({ concurrency: 1, fault: killAt("taken", 2) }))).rejects.toThrow(
      SenderKilled,
    );
    // 2nd run (after the dead sender's hold ran out) dies after the provider took a message, before recording it
    const later = () => Date.now() + Messages.LEASE_MS + 1_000;
    await expect(
      sys(() => Messages.dispatch({ concurrency: 1, fault: killAt("handed", 2), now: later })),
    ).rejects.toThrow(SenderKilled);
    // 3rd run finishes
    const muchLater = () => Date.now() + 3 * Messages.LEASE_MS;
    const done = await sys(() => Messages.dispatch({ now: muchLater }));
    expect(done.remaining).toBe(0);
    expect(done.recovered).toBeGreaterThanOrEqual(1);
    for (const p of people) {
      const got = sentTo(p.phone);
      expect(got).toHaveLength(1);
      const mine = (await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data;
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ state: "sent", providerID: got[0]!.sid });
    }
    // each in the person's language, Dari falling back to English
    const bodies = people.map((p) => sentTo(p.phone)[0]!.body);
    expect(bodies[0]).toMatch(/^Hola/);
    expect(bodies[1]).toMatch(/^Bonjour/);
    expect(bodies[2]).toMatch(/^مرحبًا/);
    expect(bodies[3]).toMatch(/^Hello/);
    expect(bodies[5]).toMatch(/^Hello/);
  });

  describe("a sender killed while it holds a lot, then a new sender after the hold: each message leaves exactly once and is recorded", () => {
    class SenderKilled extends Error {
      override name = "SenderKilled";
    }
    /** Dies at the nth time it reaches `stage` (and at every step after). */
    const killAt = (stage: Messages.Stage, nth: number) => {
      let seen = 0;
      let dead = false;
      return (s: Messages.Stage) => {
        if (dead) throw new SenderKilled();
        if (s === stage && ++seen === nth) {
          dead = true;
          throw new SenderKilled();
        }
      };
    };
    const cases: [
      string,
      string,
      Messages.Stage,
      number,
      { atProvider: number; recovered: number; sent: number },
    ][] = [
      [
        "after taking the lot, before sending any",
        "2027-05-03",
        "taken",
        1,
        { atProvider: 0, recovered: 0, sent: 6 },
      ],
      [
        "mid-lot: three of six handed over, none recorded",
        "2027-05-04",
        "handed",
        3,
        { atProvider: 3, recovered: 3, sent: 3 },
      ],
      [
        "after the provider took all six, before recording",
        "2027-05-05",
        "handed",
        6,
        { atProvider: 6, recovered: 6, sent: 0 },
      ],
      [
        "after recording all six, before letting the lot go",
        "2027-05-06",
        "recorded",
        1,
        { atProvider: 6, recovered: 0, sent: 0 },
      ],
    ];
    it.each(cases)("%s", async (_, day, stage, nth, want) => {
      const o = await createTestOperation();
      const people = await Promise.all(
        [["spa"], ["fra"], ["ara"], ["eng"], ["spa"], ["prs"]].map((l) => person(l, true, o)),
      );
      await appointment(
        people.map((p) => p.individualID),
        day,
        o,
      );
      expect(
        (await sys(() => Messages.queueDayReminders({ officeID: o.officeA, date: day }), o)).queued,
      ).toBe(6);
      const lotsOf = async () =>
        (await MessageLotEntity.query.pending({}).go({ pages: "all" })).data.filter(
          (l) => l.operationID === o.operationID,
        );
      const [lot] = await lotsOf();
      expect(lot!.messageIDs).toHaveLength(6);
      await expect(
        sys(() => Messages.dispatch({ concurrency: 1, fault: killAt(stage, nth) }), o),
      ).rejects.toThrow(SenderKilled);
      const atKill = people.reduce((n, p) => n + sentTo(p.phone).length, 0);
      expect(atKill).toBe(want.atProvider);
      // the dead sender still holds the lot: a sender before the hold ends leaves it alone
      const held = await lotsOf();
      expect(held).toHaveLength(1);
      expect(held[0]).toMatchObject({ lotID: lot!.lotID, state: "sending" });
      const early = await sys(() => Messages.dispatch(), o);
      expect(early).toMatchObject({ sent: 0, recovered: 0 });
      expect(early.remaining).toBeGreaterThan(0);
      // after the hold: the new sender asks the provider about each message still queued before sending it
      const later = () => Date.now() + Messages.LEASE_MS + 1_000;
      const r = await sys(() => Messages.dispatch({ now: later }), o);
      expect(r).toMatchObject({ sent: want.sent, recovered: want.recovered, cancelled: 0, failed: 0 });
      for (const p of people) {
        const got = sentTo(p.phone);
        expect(got).toHaveLength(1);
        const mine = (await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data;
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ state: "sent", providerID: got[0]!.sid, attempts: 1 });
      }
      expect(await lotsOf()).toHaveLength(0);
      // and again, well after any hold: nothing more leaves
      const again = await sys(() => Messages.dispatch({ now: () => Date.now() + 3 * Messages.LEASE_MS }), o);
      expect(again).toMatchObject({ sent: 0, recovered: 0 });
      for (const p of people) expect(sentTo(p.phone)).toHaveLength(1);
    });
  });

  it("a day's run that finished claims nothing again without reading its messages; a run after someone joined the day claims only that one", async () => {
    const o = await createTestOperation();
    const people = await Promise.all([["spa"], ["eng"], ["fra"]].map((l) => person(l, true, o)));
    await appointment(
      people.map((p) => p.individualID),
      "2027-05-07",
      o,
    );
    expect(
      await sys(() => Messages.queueDayReminders({ officeID: o.officeA, date: "2027-05-07" }), o),
    ).toMatchObject({
      queued: 3,
      existing: 0,
    });
    // count the reads of messages a run makes
    const stack = dynamoClient().middlewareStack;
    let messageReads = 0;
    stack.add(
      (next, context) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, { Keys?: { pk?: unknown }[] }> };
        const pk = (k: { pk?: unknown }) =>
          typeof k.pk === "string" ? k.pk : String((k.pk as { S?: string } | undefined)?.S ?? "");
        if (context.commandName === "BatchGetItemCommand")
          for (const r of Object.values(input.RequestItems ?? {}))
            messageReads += (r.Keys ?? []).filter((k) => pk(k).includes("#messageID_")).length;
        return next(args);
      },
      { step: "serialize", name: "countMessageReads" },
    );
    try {
      const again = await sys(
        () => Messages.queueDayReminders({ officeID: o.officeA, date: "2027-05-07" }),
        o,
      );
      expect(again).toMatchObject({ queued: 0, existing: 3 });
      expect(messageReads).toBe(0);
      // someone joins the day (a second appointment): the next run reads what is claimed, claims only theirs
      const d = await person(["ara"], true, o);
      await appointment([d.individualID], "2027-05-07", o);
      const third = await sys(
        () => Messages.queueDayReminders({ officeID: o.officeA, date: "2027-05-07" }),
        o,
      );
      expect(third).toMatchObject({ queued: 1, existing: 3 });
      expect(messageReads).toBeGreaterThanOrEqual(4);
    } finally {
      stack.remove("countMessageReads");
    }
    await sys(() => Messages.dispatch(), o);
    for (const p of people) expect(sentTo(p.phone)).toHaveLength(1);
  });

  it("the senders' queue holds a day's messages by their lot while queued or held mid-send: sent and cancelled ones leave with it, a retry waits in it for its time", async () => {
    const o = await createTestOperation();
    const [a, b, c] = await Promise.all([["spa"], ["eng"], ["fra"]].map((l) => person(l, true, o)));
    await appointment([a!.individualID, b!.individualID, c!.individualID], "2027-04-07", o);
    const q = await sys(() => Messages.queueDayReminders({ officeID: o.officeA, date: "2027-04-07" }), o);
    expect(q.queued).toBe(3);
    const mine = (await MessageEntity.query.byOperation({ operationID: o.operationID }).go()).data;
    const byTo = new Map(mine.map((m) => [m.to, m.messageID]));
    const ids = new Set(byTo.values());
    /** This operation's messages in the senders' queue (the sparse index `dispatch` reads), by address. */
    const queue = async () =>
      new Map(
        (await MessageEntity.query.pending({}).go({ pages: "all" })).data
          .filter((m) => ids.has(m.messageID))
          .map((m) => [m.to, m]),
      );
    /** This operation's lots in the senders' queue. */
    const lots = async () =>
      (await MessageLotEntity.query.pending({}).go({ pages: "all" })).data.filter(
        (l) => l.operationID === o.operationID,
      );
    // claimed in one lot: the lot is in the queue, its messages are not (each is queued, with the lot's ID)
    expect((await queue()).size).toBe(0);
    const l0 = await lots();
    expect(l0).toHaveLength(1);
    expect(l0[0]).toMatchObject({ state: "queued" });
    expect(new Set(l0[0]!.messageIDs)).toEqual(ids);
    for (const m of mine) expect(m).toMatchObject({ state: "queued", lotID: l0[0]!.lotID });
    // c withdraws consent: cancelled (the lot still names it; it is not sent)
    const res = await call("POST", `/api/individuals/${c!.individualID}/consents/withdraw`, {
      token: o.users.caseworker.token,
      body: { purpose: "messages", date: "2026-02-01", how: "verbal" },
    });
    expect(res.status).toBe(200);
    expect((await MessageEntity.get({ messageID: byTo.get(c!.phone)! }).go()).data!.state).toBe("cancelled");
    // a sender takes the lot and dies before calling the provider: the lot is held until the hold ends, its
    // messages stay queued, nothing left
    class SenderKilled extends Error {
      override name = "SenderKilled";
    }
    const before = Date.now();
    await expect(
      sys(
        () =>
          Messages.dispatch({
            fault: (stage) => {
              if (stage === "taken") throw new SenderKilled();
            },
          }),
        o,
      ),
    ).rejects.toThrow(SenderKilled);
    const l1 = await lots();
    expect(l1).toHaveLength(1);
    expect(l1[0]).toMatchObject({ lotID: l0[0]!.lotID, state: "sending" });
    expect(l1[0]!.due).toBeGreaterThanOrEqual(before + Messages.LEASE_MS);
    expect((await queue()).size).toBe(0);
    expect(sentTo(a!.phone)).toHaveLength(0);
    expect(sentTo(b!.phone)).toHaveLength(0);
    // after the hold: the provider refuses a for now (retryable), takes b; a waits in the lot for its retry
    const later = () => Date.now() + Messages.LEASE_MS + 1_000;
    const flaky: Provider = {
      name: "twilio",
      async send(m) {
        if (m.to === a!.phone) throw new ProviderError("503", true);
        return { providerID: `SMflaky${m.messageID}`, status: "queued" };
      },
      async find() {
        return undefined;
      },
    };
    const r = await sys(() => Messages.dispatch({ provider: flaky, now: later }), o);
    expect(r.sent).toBeGreaterThanOrEqual(1);
    expect(r.retrying).toBeGreaterThanOrEqual(1);
    expect((await queue()).size).toBe(0);
    const l2 = await lots();
    expect(l2).toHaveLength(1);
    expect(l2[0]).toMatchObject({ lotID: l0[0]!.lotID, state: "queued" });
    expect(l2[0]!.due).toBeGreaterThan(Date.now());
    expect((await MessageEntity.get({ messageID: byTo.get(a!.phone)! }).go()).data).toMatchObject({
      state: "queued",
      error: "503",
      attempts: 1,
      lotID: l0[0]!.lotID,
    });
    expect((await MessageEntity.get({ messageID: byTo.get(b!.phone)! }).go()).data).toMatchObject({
      state: "sent",
      providerID: `SMflaky${byTo.get(b!.phone)}`,
      attempts: 1,
    });
    // its retry goes (once its time has come); a delivery callback afterwards does not bring it back
    const r2 = await sys(
      () => Messages.dispatch({ provider: outboxProvider, now: () => Date.now() + 3_600_000 }),
      o,
    );
    expect(r2.sent).toBeGreaterThanOrEqual(1);
    expect((await MessageEntity.get({ messageID: byTo.get(a!.phone)! }).go()).data).toMatchObject({
      state: "sent",
      attempts: 2,
    });
    await Messages.recordStatus(byTo.get(a!.phone)!, { MessageStatus: "delivered" });
    expect((await MessageEntity.get({ messageID: byTo.get(a!.phone)! }).go()).data!.state).toBe("delivered");
    expect((await queue()).size).toBe(0);
    expect(await lots()).toHaveLength(0);
    expect(sentTo(c!.phone)).toHaveLength(0);
  });

  it("messages queued or held mid-send under the senders' index key of before the sparse 'pending' index (one key per state) are sent exactly once after the upgrade, consent checked", async () => {
    // the message entity as it was before 9e4ed17: gsi3 keyed by state (`byState`), so its items carry that key
    const Before = new Entity(
      {
        model: { entity: "message", version: "1", service: "waypoint" },
        attributes: {
          messageID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string" },
          individualID: { type: "string" },
          direction: { type: ["out", "in"] as const, required: true },
          channel: { type: ["sms", "whatsapp"] as const, required: true },
          kind: { type: "string" },
          ref: { type: "string" },
          language: { type: "string" },
          to: { type: "string", required: true },
          body: { type: "string", required: true },
          state: { type: "string", required: true },
          due: { type: "number", required: true },
          attempts: { type: "number" },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          primary: {
            pk: { field: "pk", composite: ["messageID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          byPerson: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["individualID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "messageID"], casing: "none" },
          },
          byOperation: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeCreated", "messageID"], casing: "none" },
          },
          byState: {
            index: "gsi3",
            pk: { field: "gsi3pk", composite: ["state"], casing: "none" },
            sk: { field: "gsi3sk", composite: ["due", "messageID"], casing: "none" },
          },
          byAddress: {
            index: "gsi4",
            pk: { field: "gsi4pk", composite: ["to"], casing: "none" },
            sk: { field: "gsi4sk", composite: ["timeCreated", "messageID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    );
    const o = await createTestOperation();
    const [a, b] = await Promise.all([["spa"], ["fra"]].map((l) => person(l, true, o)));
    // c never consented: a message to c under the old key must be cancelled, as any other would be
    const c = await person(["eng"], false, o);
    const tag = Math.random().toString(36).slice(2, 8);
    const at = Date.now() - 60_000;
    const old = (
      p: { individualID: string; phone: string },
      name: string,
      state: string,
      version: number,
    ) => ({
      messageID: `msg_upgrade_${tag}_${name}`,
      operationID: o.operationID,
      officeID: o.officeA,
      individualID: p.individualID,
      direction: "out" as const,
      channel: "sms" as const,
      kind: "appointment_reminder",
      language: "en",
      to: p.phone,
      body: `Reminder ${tag} for ${name}`,
      state,
      // queued: due a minute ago; sending: its sender's hold ended a minute ago
      due: at,
      attempts: state === "sending" ? 1 : 0,
      version,
      timeCreated: new Date(at - 600_000).toISOString(),
      timeUpdated: new Date(at).toISOString(),
    });
    const items = [
      old(a!, "queued", "queued", 1),
      old(b!, "held", "sending", 2),
      old(c, "noconsent", "queued", 1),
    ];
    for (const m of items) await Before.put(m).go();
    const raw = async (messageID: string) =>
      (
        await documentClient().send(
          new GetCommand({
            TableName: config().tableName,
            Key: { pk: `$waypoint#messageID_${messageID}`, sk: "$message_1" },
          }),
        )
      ).Item!;
    // written as a table before the upgrade holds them: under the old per-state keys
    expect((await raw(items[0]!.messageID)).gsi3pk).toBe("$waypoint#state_queued");
    expect((await raw(items[1]!.messageID)).gsi3pk).toBe("$waypoint#state_sending");

    // two senders at once after the upgrade: each message is taken by one of them only
    await Promise.all([sys(() => Messages.dispatch(), o), sys(() => Messages.dispatch(), o)]);
    expect(sentTo(a!.phone)).toHaveLength(1);
    expect(sentTo(b!.phone)).toHaveLength(1);
    expect(sentTo(c.phone)).toHaveLength(0);
    expect(sentTo(a!.phone)[0]!.body).toBe(items[0]!.body);
    expect(sentTo(b!.phone)[0]!.body).toBe(items[1]!.body);
    const stored = async (i: number) =>
      (await MessageEntity.get({ messageID: items[i]!.messageID }).go()).data!;
    expect(await stored(0)).toMatchObject({ state: "sent", providerID: sentTo(a!.phone)[0]!.sid });
    expect(await stored(1)).toMatchObject({ state: "sent", providerID: sentTo(b!.phone)[0]!.sid });
    expect((await stored(2)).state).toBe("cancelled");
    // all three left the senders' index, old key and new
    for (const m of items) {
      const r = await raw(m.messageID);
      expect(r.gsi3pk).toBeUndefined();
      expect(r.gsi3sk).toBeUndefined();
    }
    // run again, well after any hold: nothing more leaves
    await sys(() => Messages.dispatch({ now: () => Date.now() + 3 * Messages.LEASE_MS }), o);
    expect(sentTo(a!.phone)).toHaveLength(1);
    expect(sentTo(b!.phone)).toHaveLength(1);
    expect(sentTo(c.phone)).toHaveLength(0);
    for (const [i, state] of ["sent", "sent", "cancelled"].entries())
      expect((await stored(i)).state).toBe(state);
  });

  it("a caseworker's own send between a day run's check and its claim: the claim transaction that partly conflicts queues the rest; the person gets one message", async () => {
    const o = await createTestOperation();
    const people = await Promise.all([["spa"], ["eng"], ["fra"]].map((l) => person(l, true, o)));
    const a = await appointment(
      people.map((p) => p.individualID),
      "2027-04-04",
      o,
    );
    const stack = dynamoClient().middlewareStack;
    let raced = false;
    stack.add(
      (next, context) => async (args) => {
        const items = (args.input as { TransactItems?: { Put?: { Item?: { pk?: string } } }[] })
          .TransactItems;
        const claims = (items ?? []).filter((i) => i.Put?.Item?.pk?.includes("#messageID_")).length;
        if (!raced && context.commandName === "TransactWriteItemsCommand" && claims > 1) {
          raced = true;
          // the run has checked what is claimed (nothing); before its claim lands, the second person's reminder
          // is sent by hand (same appointment, person and channel: the same message)
          const res = await call("POST", "/api/messages", {
            token: o.users.caseworker.token,
            body: {
              individualID: people[1]!.individualID,
              kind: "appointment_reminder",
              ref: a.appointmentID,
            },
          });
          expect(res.status).toBe(200);
        }
        return next(args);
      },
      { step: "serialize", priority: "high", name: "claimRace" },
    );
    let q: Awaited<ReturnType<typeof Messages.queueDayReminders>>;
    try {
      q = await sys(() => Messages.queueDayReminders({ officeID: o.officeA, date: "2027-04-04" }), o);
    } finally {
      stack.remove("claimRace");
    }
    expect(raced).toBe(true);
    expect(q).toMatchObject({ queued: 2, existing: 1 });
    const r = await sys(() => Messages.dispatch(), o);
    expect(r.sent).toBeGreaterThanOrEqual(2);
    for (const p of people) {
      const got = sentTo(p.phone);
      expect(got).toHaveLength(1);
      const mine = (await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data;
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ state: "sent", providerID: got[0]!.sid });
    }
  });

  it("two senders racing for the same batch of messages send each message once", async () => {
    const o = await createTestOperation();
    const people = await Promise.all(
      [["spa"], ["fra"], ["eng"], ["ara"], ["spa"], ["eng"], ["fra"]].map((l) => person(l, true, o)),
    );
    await appointment(
      people.map((p) => p.individualID),
      "2027-04-01",
      o,
    );
    const q = await sys(() => Messages.queueDayReminders({ officeID: o.officeA, date: "2027-04-01" }), o);
    expect(q.queued).toBe(7);
    // both senders read the same due messages, then wait for each other and take their first batch together
    let arrived = 0;
    let open!: () => void;
    const together = new Promise<void>((r) => (open = r));
    const meet = () => {
      let first = true;
      return async (stage: Messages.Stage) => {
        if (stage !== "next" || !first) return;
        first = false;
        if (++arrived === 2) open();
        await together;
      };
    };
    const [a, b] = await Promise.all([
      sys(() => Messages.dispatch({ fault: meet() }), o),
      sys(() => Messages.dispatch({ fault: meet() }), o),
    ]);
    expect(arrived).toBe(2);
    expect(a.sent + b.sent).toBeGreaterThanOrEqual(7);
    for (const p of people) {
      const got = sentTo(p.phone);
      expect(got).toHaveLength(1);
      const mine = (await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data;
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ state: "sent", providerID: got[0]!.sid, attempts: 1 });
    }
  });

  it("a message that changes while its batch is being taken (consent withdrawn) stays back; the rest of the batch goes", async () => {
    const o = await createTestOperation();
    const people = await Promise.all([["spa"], ["eng"], ["fra"], ["spa"]].map((l) => person(l, true, o)));
    await appointment(
      people.map((p) => p.individualID),
      "2027-04-02",
      o,
    );
    const q = await sys(() => Messages.queueDayReminders({ officeID: o.officeA, date: "2027-04-02" }), o);
    expect(q.queued).toBe(4);
    const leaving = people[2]!;
    let withdrawn = false;
    // the sender has read the batch; before it takes it, the third person withdraws consent to messages
    const r = await sys(
      () =>
        Messages.dispatch({
          fault: async (stage) => {
            if (stage !== "next" || withdrawn) return;
            withdrawn = true;
            const res = await call("POST", `/api/individuals/${leaving.individualID}/consents/withdraw`, {
              token: o.users.caseworker.token,
              body: { purpose: "messages", date: "2026-02-01", how: "verbal" },
            });
            expect(res.status).toBe(200);
          },
        }),
      o,
    );
    expect(withdrawn).toBe(true);
    expect(r.sent).toBeGreaterThanOrEqual(3);
    expect(sentTo(leaving.phone)).toHaveLength(0);
    const hers = (await MessageEntity.query.byPerson({ individualID: leaving.individualID }).go()).data;
    expect(hers.map((m) => m.state)).toEqual(["cancelled"]);
    for (const p of people.filter((x) => x !== leaving)) {
      expect(sentTo(p.phone)).toHaveLength(1);
      const mine = (await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data;
      expect(mine[0]).toMatchObject({ state: "sent", providerID: sentTo(p.phone)[0]!.sid });
    }
  });

  it("a delivery callback that arrives before its batch is recorded is kept; the rest of the batch is recorded with the provider's IDs", async () => {
    const o = await createTestOperation();
    const people = await Promise.all([["eng"], ["spa"], ["fra"], ["ara"]].map((l) => person(l, true, o)));
    await appointment(
      people.map((p) => p.individualID),
      "2027-04-03",
      o,
    );
    const q = await sys(() => Messages.queueDayReminders({ officeID: o.officeA, date: "2027-04-03" }), o);
    expect(q.queued).toBe(4);
    const fast = people[1]!;
    let raced = false;
    // the provider took the second person's message and its "delivered" callback lands before the sender records
    // the batch: the batch's record transaction fails on that one message (its version moved on)
    const r = await sys(
      () =>
        Messages.dispatch({
          concurrency: 1,
          fault: async (stage, messageID) => {
            if (stage !== "handed" || raced) return;
            const m = (await MessageEntity.get({ messageID }).go()).data!;
            if (m.to !== fast.phone) return;
            raced = true;
            const res = await callback(`/v1/public/messages/status?m=${messageID}`, {
              MessageSid: sentTo(fast.phone)[0]!.sid,
              MessageStatus: "delivered",
              AccountSid: SID,
              To: fast.phone,
            });
            expect(res.status).toBe(204);
          },
        }),
      o,
    );
    expect(raced).toBe(true);
    expect(r.sent).toBeGreaterThanOrEqual(4);
    for (const p of people) {
      const got = sentTo(p.phone);
      expect(got).toHaveLength(1);
      const mine = (await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data;
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        state: p === fast ? "delivered" : "sent",
        providerID: got[0]!.sid,
        attempts: 1,
      });
    }
  });

  it("withdrawing consent to messages cancels the person's queued messages at once; none leaves", async () => {
    const p = await person(["spa"]);
    await appointment([p.individualID], "2027-03-12");
    const q = await sys(() => Messages.queueDayReminders({ officeID: t.officeA, date: "2027-03-12" }));
    expect(q.queued).toBe(1);
    const withdrawn = await call("POST", `/api/individuals/${p.individualID}/consents/withdraw`, {
      token: t.users.caseworker.token,
      body: { purpose: "messages", date: "2026-02-01", how: "verbal" },
    });
    expect(withdrawn.status).toBe(200);
    const mine = (await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data;
    expect(mine.map((m) => m.state)).toEqual(["cancelled"]);
    await sys(() => Messages.dispatch());
    expect(sentTo(p.phone)).toHaveLength(0);
  });

  it("signed status callbacks record delivery; a bad signature is refused and changes nothing", async () => {
    const p = await person(["eng"]);
    const a = await appointment([p.individualID]);
    const sent = await call("POST", "/api/messages", {
      token: t.users.caseworker.token,
      body: { individualID: p.individualID, kind: "appointment_reminder", ref: a.appointmentID },
    });
    const sid = sentTo(p.phone)[0]!.sid;
    const path = `/v1/public/messages/status?m=${sent.json.messageID}`;
    const params = { MessageSid: sid, MessageStatus: "delivered", AccountSid: SID, To: p.phone };
    const forged = await callback(path, params, false);
    expect(forged.status).toBe(403);
    // the signature covers the URL: the same signature for another message is refused too
    const otherUrl = await call("POST", `/v1/public/messages/status?m=msg_other`, {
      body: new URLSearchParams(params).toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": Twilio.signature(TOKEN, `${PUBLIC}${path}`, params),
      },
    });
    expect(otherUrl.status).toBe(403);
    expect((await MessageEntity.get({ messageID: sent.json.messageID }).go()).data!.state).toBe("sent");
    const ok = await callback(path, params);
    expect(ok.status).toBe(204);
    expect((await MessageEntity.get({ messageID: sent.json.messageID }).go()).data!.state).toBe("delivered");
    // a late "sent" does not move it back
    await callback(path, { ...params, MessageStatus: "sent" });
    expect((await MessageEntity.get({ messageID: sent.json.messageID }).go()).data!.state).toBe("delivered");
  });

  it("a reply STOP (or ALTO, قف) opts the number out: linked to the person, queued messages cancelled, nothing more sent", async () => {
    const p = await person(["spa"]);
    const a = await appointment([p.individualID], "2027-03-13");
    await call("POST", "/api/messages", {
      token: t.users.caseworker.token,
      body: { individualID: p.individualID, kind: "appointment_reminder", ref: a.appointmentID },
    });
    // a second reminder is waiting when the person answers
    const b = await appointment([p.individualID], "2027-03-14");
    await sys(() => Messages.queueDayReminders({ officeID: t.officeA, date: "2027-03-14" }));
    const inbound = {
      MessageSid: "SMreply000000000000000000000001",
      From: p.phone,
      To: "+15005550006",
      Body: " Alto ",
    };
    const bad = await callback("/v1/public/messages/inbound", inbound, false);
    expect(bad.status).toBe(403);
    const res = await callback("/v1/public/messages/inbound", inbound);
    expect(res.status).toBe(200);
    expect(res.text).toContain("<Response>");
    const page = await call("GET", `/api/messages/person/${p.individualID}`, {
      token: t.users.caseworker.token,
    });
    expect(page.json.optOuts).toEqual([expect.objectContaining({ channel: "sms" })]);
    const reply = page.json.items.find((m: { direction: string }) => m.direction === "in");
    expect(reply).toMatchObject({ body: " Alto ", optOut: true, individualID: p.individualID });
    const waiting = page.json.items.find((m: { ref?: string }) => m.ref === b.appointmentID);
    expect(waiting.state).toBe("cancelled");
    await sys(() => Messages.dispatch());
    expect(sentTo(p.phone)).toHaveLength(1);
    const refused = await call("POST", "/api/messages", {
      token: t.users.caseworker.token,
      body: { individualID: p.individualID, kind: "notice", ref: "notice-1", values: { text: "x" } },
    });
    expect(refused.status).toBe(422);
    // Arabic stop word, WhatsApp
    const q = await person(["ara"]);
    const qa = await appointment([q.individualID]);
    const wa = await call("POST", "/api/messages", {
      token: t.users.caseworker.token,
      body: {
        individualID: q.individualID,
        kind: "appointment_reminder",
        ref: qa.appointmentID,
        channel: "whatsapp",
      },
    });
    expect(wa.json.to).toBe(`whatsapp:${q.phone}`);
    await callback("/v1/public/messages/inbound", {
      MessageSid: "SMreply2",
      From: `whatsapp:${q.phone}`,
      Body: "قف",
    });
    const qp = await call("GET", `/api/messages/person/${q.individualID}`, {
      token: t.users.caseworker.token,
    });
    expect(qp.json.optOuts).toEqual([expect.objectContaining({ channel: "whatsapp" })]);
  });

  it("erasing a person removes their messages, replies and their number's opt-out", async () => {
    const p = await person(["spa"]);
    const a = await appointment([p.individualID], "2027-03-15");
    await call("POST", "/api/messages", {
      token: t.users.caseworker.token,
      body: { individualID: p.individualID, kind: "appointment_reminder", ref: a.appointmentID },
    });
    await callback("/v1/public/messages/inbound", {
      MessageSid: "SMreply-erase",
      From: p.phone,
      Body: "STOP",
    });
    expect((await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data).toHaveLength(2);
    const erased = await call("POST", `/api/individuals/${p.individualID}/erase`, {
      token: t.users.supervisor.token,
      body: { reason: "The person asked to be erased" },
    });
    expect(erased.status).toBe(200);
    expect((await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data).toHaveLength(0);
    expect((await MessageEntity.query.byAddress({ to: p.phone }).go()).data).toHaveLength(0);
    const { OptOutEntity } = await import("@waypoint/core/message/message.entity");
    expect((await OptOutEntity.get({ to: p.phone }).go()).data).toBeNull();
  });

  it("an administrator writes the operation's template; caseworkers may not", async () => {
    const tpl = await call("PUT", "/api/messages/templates/notice", {
      token: t.users.admin.token,
      body: { texts: { en: "Dear {name}: {text}", es: "Estimada/o {name}: {text}" }, fallback: "es" },
    });
    expect(tpl.status).toBe(200);
    expect(tpl.json).toMatchObject({ custom: true, version: 1, fallback: "es" });
    const cw = await call("PUT", "/api/messages/templates/notice", {
      token: t.users.caseworker.token,
      body: { texts: { en: "x" } },
    });
    expect(cw.status).toBe(403);
    const p = await person(["fra"]);
    const sent = await call("POST", "/api/messages", {
      token: t.users.caseworker.token,
      body: {
        individualID: p.individualID,
        kind: "notice",
        ref: "office-closed-1",
        values: { text: "la oficina cierra el viernes." },
      },
    });
    expect(sent.status).toBe(200);
    // no French text: the operation's fallback (Spanish)
    expect(sentTo(p.phone)[0]!.body).toMatch(/^Estimada\/o .*: la oficina cierra el viernes\.$/);
  });
});

describe("provider settings on AWS", () => {
  it('the Twilio account comes from the stage\'s linked secrets; "none" (the default) means no provider', () => {
    const saved = {
      sid: process.env.WAYPOINT_TWILIO_ACCOUNT_SID,
      token: process.env.WAYPOINT_TWILIO_AUTH_TOKEN,
    };
    delete process.env.WAYPOINT_TWILIO_ACCOUNT_SID;
    delete process.env.WAYPOINT_TWILIO_AUTH_TOKEN;
    try {
      process.env.SST_RESOURCE_TwilioAccountSid = JSON.stringify({ value: "none" });
      process.env.SST_RESOURCE_TwilioAuthToken = JSON.stringify({ value: "none" });
      expect(twilioConfig()).toBeUndefined();
      process.env.SST_RESOURCE_TwilioAccountSid = JSON.stringify({ value: SID });
      process.env.SST_RESOURCE_TwilioAuthToken = JSON.stringify({ value: TOKEN });
      expect(twilioConfig()).toMatchObject({
        accountSid: SID,
        authToken: TOKEN,
        smsFrom: "+15005550006",
        publicUrl: PUBLIC,
      });
    } finally {
      delete process.env.SST_RESOURCE_TwilioAccountSid;
      delete process.env.SST_RESOURCE_TwilioAuthToken;
      process.env.WAYPOINT_TWILIO_ACCOUNT_SID = saved.sid;
      process.env.WAYPOINT_TWILIO_AUTH_TOKEN = saved.token;
    }
  });
});

describe("messages from the modules where events happen", () => {
  it("a confirmed relocation's briefing, ticket and follow-up steps tell each member with consent once, in their language, however often a step runs", async () => {
    const o = await createTestOperation();
    const trip = await makeTrip(o, { departureAt: inDays(10, 14) });
    const rel = await makeRelocation(o);
    const householdID = rel.householdID;
    const ana = await person(["spa"], true, o, { householdID });
    const ali = await person(["ara"], true, o, { householdID });
    const noConsent = await person(["fra"], false, o, { householdID });
    const confirmed = await call("PATCH", "/api/relocations", {
      token: o.users.caseworker.token,
      body: {
        rows: [
          {
            id: rel.relocationID,
            version: rel.version,
            changes: { tripID: trip.tripID, confirmed: true },
          },
        ],
      },
    });
    expect(confirmed.json.results[0].status).toBe("saved");
    // the workflow's steps as the state machine runs them, each twice (a retry, a restarted execution)
    for (const task of ["briefing", "briefing", "ticket", "ticket", "followUp1", "followUp1"] as const)
      await RelocationTasks.run({ task, relocationID: rel.relocationID });
    const kindsOf = async (id: string) =>
      (await call("GET", `/api/messages/person/${id}`, { token: o.users.caseworker.token })).json.items.map(
        (m: { kind: string; ref: string }) => `${m.kind}@${m.ref}`,
      );
    const expected = [
      `briefing@${rel.relocationID}:${trip.tripID}`,
      `departure@${rel.relocationID}:${trip.tripID}`,
      `relocation_follow_up@${rel.relocationID}:1`,
    ];
    expect((await kindsOf(ana.individualID)).sort()).toEqual(expected);
    expect((await kindsOf(ali.individualID)).sort()).toEqual(expected);
    expect(await kindsOf(noConsent.individualID)).toEqual([]);
    await sys(() => Messages.dispatch(), o);
    const toAna = sentTo(ana.phone).map((m) => m.body);
    expect(toAna).toHaveLength(3);
    expect(toAna.find((b) => b.includes("Monterrey"))).toMatch(/^Hola .*su viaje a Monterrey sale el/);
    expect(toAna.find((b) => b.includes("salida"))).toMatch(
      /^Hola .*su salida es el .* desde Terminal OCC Tapachula/,
    );
    expect(toAna.find((b) => b.includes("llamará"))).toMatch(/^Hola .*le llamará el /);
    expect(sentTo(ali.phone)).toHaveLength(3);
    expect(sentTo(ali.phone).every((m) => m.body.startsWith("مرحبًا"))).toBe(true);
    expect(sentTo(noConsent.phone)).toHaveLength(0);
  });

  it("a payment reconciled as paid through the upload tells its person once; the same file again tells nobody twice", async () => {
    const o = await createTestOperation();
    const p = await person(["fra"], true, o);
    const { fsp } = await setupFinance(o);
    const { paymentID, batchID } = await as(o.users.finance.actor, async () => {
      const payee = await Payee.create({
        kind: "individual",
        name: "Payee Messages Ouedraogo",
        individualID: p.individualID,
        channel: { type: "bank", iban: "FI4880002002330354", bic: "OKOYFIHH" },
      });
      const made = await Payment.createMany([
        {
          values: { payeeID: payee.payeeID, purpose: "cash_for_protection", amount: 5000, currency: "EUR" },
        },
      ]);
      const paymentID = made.results[0]!.id!;
      const b = await Batch.submit(
        (await Batch.create({ fspProfileID: fsp.fspProfileID, currency: "EUR", paymentIDs: [paymentID] }))
          .batchID,
      );
      return { paymentID, batchID: b.batchID, approvals: b.approvalsRequired };
    });
    const b = await as(o.users.finance_approver.actor, () => Batch.approve(batchID));
    if (b.status !== "approved")
      await as({ ...o.users.finance_approver.actor, userID: "usr_SECOND" }, () => Batch.approve(batchID));
    await as(o.users.finance.actor, () => Export.run(batchID, { format: "pain.001.001.03" }));
    const upload = () =>
      call("POST", `/api/payment-batches/${batchID}/reconciliation`, {
        token: o.users.finance.token,
        body: { format: "csv", content: `paymentID,status\n${paymentID},paid\n`, matchOn: "paymentID" },
      });
    const first = await upload();
    expect(first.status).toBe(200);
    expect(first.json.summary).toEqual({ paid: 1 });
    expect((await upload()).json.summary).toEqual({ already_reconciled: 1 });
    await sys(() => Job.run({ kinds: [PAYMENT_MESSAGE_JOB], limit: 1000 }), o);
    // the job run again (a retry after a crash) claims nothing new
    await sys(() => Messages.paymentJob(paymentID), o);
    const mine = (await MessageEntity.query.byPerson({ individualID: p.individualID }).go()).data;
    expect(mine.map((m) => [m.kind, m.ref])).toEqual([["payment", paymentID]]);
    await sys(() => Messages.dispatch(), o);
    const got = sentTo(p.phone);
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toMatch(/^Bonjour .*votre paiement d'assistance est disponible à partir du \d/);
  });
});
