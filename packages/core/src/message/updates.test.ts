import { describe, expect, it } from "vitest";
import { messageChange, messageUpdateParams, type MessageStep } from "./updates.ts";

/** Every update the sender makes to a message: take, record (sent or recovered), cancel, retry, fail. */
function steps(
  messageID: string,
  version: number,
  due: number,
  providerID: string,
  error: string,
): MessageStep[] {
  const timeUpdated = new Date(due).toISOString();
  const m = { messageID, version };
  return [
    { m, set: { state: "sending", due, attempts: version, timeUpdated } },
    { m, set: { state: "sent", providerID, due, timeUpdated }, remove: ["error"] },
    { m, set: { state: "cancelled", due, timeUpdated } },
    { m, set: { state: "queued", due, error, timeUpdated } },
    { m, set: { state: "failed", due, error, timeUpdated } },
    { m, set: { providerID, timeUpdated } },
    // a lot's messages: recorded with their lot and the attempt (taking the lot did not count it)
    {
      m,
      set: { state: "sent", providerID, due, attempts: version, lotID: `msglot_${error}`, timeUpdated },
      remove: ["error"],
    },
    { m, set: { state: "cancelled", due, lotID: `msglot_${error}`, timeUpdated } },
    { m, set: { state: "queued", due, error, attempts: version, lotID: `msglot_${error}`, timeUpdated } },
    { m, set: { state: "failed", due, error, attempts: version, lotID: `msglot_${error}`, timeUpdated } },
    { m, set: { providerID, attempts: version, timeUpdated } },
  ];
}

describe("message updates built from a template", () => {
  it("are ElectroDB's own params for every update the sender makes, whatever the values", () => {
    const cases = [
      steps("msg_AbC-123_xyz", 1, 1_764_000_000_000, "SM0123456789abcdef", "503"),
      steps("msg_zZ9-_", 7, 1_764_000_123_457, "SM7123456789003", "21610"),
      // values with characters that mean something in JSON, regular expressions or replacement strings
      steps("msg_q", 12, 2_000_000_000_001, 'SM"quoted"\\$&$1', "a.b*c(d)[e]|f"),
      steps("msg_aaaaaaaaaaaaaaaaaaaaaaaaaa", 2, 5, "outbox:msg_aaaaaaaaaaaaaaaaaaaaaaaaaa", "network"),
    ];
    let compared = 0;
    for (const list of cases)
      for (const step of list) {
        expect(messageUpdateParams(step)).toEqual(messageChange(step).params());
        compared++;
      }
    expect(compared).toBe(44);
  });

  it("keep a message in the senders' pending index only while it is queued or sending", () => {
    const [take, sent, cancelled, retry] = steps("msg_idx", 3, 1_764_000_000_000, "SM1", "503");
    const text = (s: MessageStep) => JSON.stringify(messageUpdateParams(s));
    // taken: moved along the index to the end of its hold
    expect(text(take!)).toContain('"$message_1#due_1764000000000#messageID_msg_idx"');
    expect(messageUpdateParams(take!).UpdateExpression).not.toMatch(/REMOVE[^A]*gsi3/);
    // sent or cancelled: out of it
    expect(messageUpdateParams(sent!).UpdateExpression).toMatch(/REMOVE .*#gsi3pk, #gsi3sk/);
    expect(messageUpdateParams(cancelled!).UpdateExpression).toMatch(/REMOVE .*#gsi3pk, #gsi3sk/);
    // sent back to wait for a retry: in it again, by the retry's time
    expect(text(retry!)).toContain('"$message_1#due_1764000000000#messageID_msg_idx"');
  });

  it("keep a lot's message out of the senders' pending index whatever it is recorded as (its lot is there)", () => {
    const list = steps("msg_lot", 1, 1_764_000_000_000, "SM1", "503").slice(6, 10);
    expect(list).toHaveLength(4);
    for (const s of list) {
      const params = messageUpdateParams(s);
      expect(params.UpdateExpression).toMatch(/REMOVE .*#gsi3pk, #gsi3sk/);
      expect(JSON.stringify(params)).not.toContain("$message_1#due_");
    }
  });
});
