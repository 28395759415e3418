import validator from "asl-validator";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Audit, Execution, Relocation, resetConfig } from "@waypoint/core";
import { renderRelocationDefinition, TaskStates } from "@waypoint/core/relocation/workflow";
import { NotificationEntity } from "@waypoint/core/relocation/relocation.entity";
import { relocationTask } from "@waypoint/functions/workflows/relocation-tasks";
import { relocationMachine, resumeRelocations, runRecorded } from "../../packages/local/src/relocation.ts";
import { LocalWorkflowRunner, type RunOptions } from "../../packages/local/src/workflows.ts";
import { as, call, createTestOperation, type TestOperation } from "../support/fixtures.ts";
import { inDays, makeRelocation, makeTrip } from "../support/relocation.ts";

/** Short waits; the departure wait is long enough for a test to act while the execution sits in it. */
const FAST: RunOptions = {
  waitOverrides: {
    WaitForReadiness: 20,
    WaitForBriefing: 20,
    WaitForTicketing: 20,
    WaitForDeparture: 400,
    WaitForDepartureConfirmation: 150,
    WaitForArrivalCheck: 20,
    // the arrival poll gives up after 6 rounds: 6 × 1 s leaves the test time to confirm arrival on a loaded
    // CI machine (6 × 150 ms did not once, and the run then told staff the arrival was unconfirmed)
    WaitForArrivalConfirmation: 1_000,
    WaitForFirstFollowUp: 20,
    WaitForSecondFollowUp: 20,
  },
  retryOverrides: Object.fromEntries(Object.keys(TaskStates).map((s) => [s, 0])),
};

// Waits are shortened (the tasks then trust the machine instead of the clock), as for local demos.
beforeAll(() => {
  process.env.WAYPOINT_WAIT_SCALE = "0";
  resetConfig();
});

const runners: LocalWorkflowRunner[] = [];
function newRunner(handler?: (p: unknown) => Promise<unknown>) {
  const r = new LocalWorkflowRunner();
  r.register(relocationMachine(handler));
  runners.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A ready household confirmed on a trip: confirming queues its execution (no runner is injected in tests). */
async function confirmed(op: TestOperation, tripDays = 10) {
  const trip = await makeTrip(op, { departureAt: inDays(tripDays) });
  const rel = await makeRelocation(op);
  const res = await call("PATCH", "/api/relocations", {
    token: op.users.caseworker.token,
    body: {
      rows: [
        { id: rel.relocationID, version: rel.version, changes: { tripID: trip.tripID, confirmed: true } },
      ],
    },
  });
  expect(res.json.results[0].status).toBe("saved");
  const saved = res.json.results[0].record;
  expect(saved.executionArn).toMatch(/^local:relocation:exe_/);
  return { trip, rel: saved as Relocation.Info, executionID: Execution.idFromArn(saved.executionArn) };
}

const current = (op: TestOperation, id: string) => as(op.users.admin.actor, () => Relocation.get(id));
const step = async (id: string) => (await Execution.get(id)).currentStep;
/**
 * A caseworker's action on the relocation at its current version. The running workflow also writes the relocation
 * (its polls), so a version read a moment ago can be stale: a 409 is read again and tried again, as a person does
 * after "changed meanwhile".
 */
const act = async (op: TestOperation, id: string, action: string, body: Record<string, unknown> = {}) => {
  for (let attempt = 1; ; attempt++) {
    const r = await current(op, id);
    const res = await call("POST", `/api/relocations/${id}/${action}`, {
      token: op.users.caseworker.token,
      body: { ...body, version: r.version },
    });
    if (res.status !== 409 || attempt === 5) return res;
  }
};
const confirmDeparture = (op: TestOperation, id: string) => act(op, id, "confirm-departure");
const notifications = async (id: string) =>
  (await NotificationEntity.query.primary({ subjectID: id }).go()).data;

describe("relocation state machine definition", () => {
  it("passes asl-validator", () => {
    const { isValid, errors } = validator(structuredClone(renderRelocationDefinition()) as never);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it("renders for deployment with real ARNs and no CloudFormation intrinsic left", () => {
    const arn =
      "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:waypoint-prod-RelocationTask-abc123";
    const asl = renderRelocationDefinition({ taskFunctionArn: arn, partition: "aws-us-gov" });
    const text = JSON.stringify(asl);
    expect(text).not.toMatch(/Fn::|"Ref"|AWS::/);
    const states = asl.States as Record<
      string,
      {
        Type: string;
        Resource?: string;
        Parameters?: { FunctionName?: string };
        Retry?: unknown[];
        Catch?: unknown[];
      }
    >;
    const tasks = Object.entries(states).filter(([, s]) => s.Type === "Task");
    expect(tasks.map(([n]) => n).sort()).toEqual(Object.keys(TaskStates).sort());
    for (const [, s] of tasks) {
      expect(s.Resource).toBe("arn:aws-us-gov:states:::lambda:invoke");
      expect(s.Parameters?.FunctionName).toBe(arn);
      expect(s.Retry?.length).toBeGreaterThan(0);
      expect(s.Catch?.length).toBeGreaterThan(0);
    }
    expect(validator(structuredClone(asl) as never).isValid).toBe(true);
  });
});

describe("relocation workflow run locally", () => {
  it("takes a household from readiness to the 3-month follow-up, with one briefing reminder and one ticket", async () => {
    const op = await createTestOperation();
    const { rel, executionID } = await confirmed(op);
    const runner = newRunner();
    const done = runRecorded(runner, executionID, FAST);
    await until(
      "the departure poll",
      async () =>
        (await current(op, rel.relocationID)).status === "ticketed" &&
        ["WaitForDepartureConfirmation", "CheckDeparture", "WaitForDeparture"].includes(
          (await step(executionID)) ?? "",
        ),
    );
    expect((await confirmDeparture(op, rel.relocationID)).status).toBe(200);
    await until("the arrival poll", async () =>
      ["WaitForArrivalConfirmation", "CheckArrival"].includes((await step(executionID)) ?? ""),
    );
    expect((await act(op, rel.relocationID, "confirm-arrival")).status).toBe(200);
    await done;

    const exec = await call("GET", `/api/relocations/${rel.relocationID}/execution`, {
      token: op.users.caseworker.token,
    });
    expect(exec.json.status).toBe("SUCCEEDED");
    expect(exec.json.currentStep).toBe("Completed");
    const final = await current(op, rel.relocationID);
    expect(final.status).toBe("completed");
    expect(final.ticket?.numbers).toHaveLength(3);
    expect(final.voidedTickets ?? []).toEqual([]);
    expect(final.followUps?.map((f) => f.month)).toEqual([1, 3]);
    expect((await notifications(rel.relocationID)).map((n) => n.kind).sort()).toEqual([
      "briefing_reminder",
      "follow_up_1",
      "follow_up_3",
    ]);
  });

  it("ends as Cancelled without a ticket when the relocation is cancelled while it waits", async () => {
    const op = await createTestOperation();
    const { rel, executionID } = await confirmed(op);
    const runner = newRunner();
    const done = runRecorded(runner, executionID, {
      ...FAST,
      // long enough that the cancellation lands inside the wait on a loaded machine too
      waitOverrides: { ...FAST.waitOverrides, WaitForBriefing: 4_000 },
    });
    await until("the briefing wait", async () => (await step(executionID)) === "WaitForBriefing");
    const res = await act(op, rel.relocationID, "cancel", { reason: "Household found work locally" });
    expect(res.status).toBe(200);
    await done;
    const e = await Execution.get(executionID);
    expect(e.status).toBe("SUCCEEDED");
    expect(e.currentStep).toBe("Cancelled");
    const final = await current(op, rel.relocationID);
    expect(final.status).toBe("cancelled");
    expect(final.ticket).toBeUndefined();
    expect(await notifications(rel.relocationID)).toEqual([]);
  });

  it("re-issues the ticket, voiding the first, when the household is moved to another bus after ticketing", async () => {
    const op = await createTestOperation();
    const { rel, executionID } = await confirmed(op);
    const later = await makeTrip(op, { departureAt: inDays(17) });
    const runner = newRunner();
    const done = runRecorded(runner, executionID, {
      ...FAST,
      waitOverrides: { ...FAST.waitOverrides, WaitForDeparture: 1500 },
    });
    await until("the departure wait", async () => (await step(executionID)) === "WaitForDeparture");
    const first = await current(op, rel.relocationID);
    expect(first.ticket?.tripID).toBe(rel.tripID);
    const moved = await call("PATCH", "/api/relocations", {
      token: op.users.caseworker.token,
      body: { rows: [{ id: rel.relocationID, version: first.version, changes: { tripID: later.tripID } }] },
    });
    expect(moved.json.results[0].status).toBe("saved");
    await until(
      "the new ticket",
      async () => (await current(op, rel.relocationID)).ticket?.tripID === later.tripID,
    );
    await until("the departure poll", async () =>
      ["WaitForDepartureConfirmation", "CheckDeparture"].includes((await step(executionID)) ?? ""),
    );
    expect((await confirmDeparture(op, rel.relocationID)).status).toBe(200);
    await done;
    const final = await current(op, rel.relocationID);
    expect(final.ticket?.tripID).toBe(later.tripID);
    expect(final.voidedTickets?.map((t) => t.tripID)).toEqual([rel.tripID]);
    expect(final.ticket?.numbers).not.toEqual(first.ticket?.numbers);
    const reminders = (await notifications(rel.relocationID)).filter((n) => n.kind === "briefing_reminder");
    expect(reminders.map((n) => n.ref).sort()).toEqual([rel.tripID, later.tripID].sort());
    expect((await Execution.get(executionID)).status).toBe("SUCCEEDED");
  });

  it("retries a task that fails twice and then succeeds, issuing one ticket", async () => {
    const op = await createTestOperation();
    const { rel, executionID } = await confirmed(op);
    let failures = 0;
    const flaky = async (p: unknown) => {
      if ((p as { task: string }).task === "ticket" && failures < 2) {
        failures++;
        throw Object.assign(new Error("ticketing service timed out"), { name: "TicketServiceTimeout" });
      }
      return relocationTask(p);
    };
    const runner = newRunner(flaky);
    const done = runRecorded(runner, executionID, FAST);
    await until("the departure poll", async () =>
      ["WaitForDepartureConfirmation", "CheckDeparture"].includes((await step(executionID)) ?? ""),
    );
    await confirmDeparture(op, rel.relocationID);
    await done;
    const e = await Execution.get(executionID);
    expect(e.status).toBe("SUCCEEDED");
    expect(e.history.filter((h) => h.type === "StateRetried" && h.state === "IssueTicket")).toHaveLength(2);
    expect(failures).toBe(2);
    const audit = await as(op.users.admin.actor, () =>
      Audit.history({ recordID: rel.relocationID, limit: 100 }),
    );
    expect(audit.items.filter((a) => a.action.startsWith("workflow.ticket"))).toHaveLength(1);
  });

  it("refuses a runner that found the execution queued once another has begun it, however late it comes", async () => {
    const op = await createTestOperation();
    const { executionID } = await confirmed(op);
    const seen = await Execution.get(executionID);
    await Execution.begin(executionID, seen);
    // the late runner's read sees the first one's run: it must not take it for a crashed run to take over
    await expect(Execution.begin(executionID, seen)).rejects.toMatchObject({ status: 409 });
    expect((await Execution.get(executionID)).runs).toBe(1);
  });

  it("is begun by one runner when two resume the same queued execution at once", async () => {
    const op = await createTestOperation();
    const { executionID } = await confirmed(op);
    const [a, b] = [newRunner(), newRunner()];
    const refusals: unknown[] = [];
    // both found it queued (as after a restart, each listing the unfinished executions)
    const seen = await Execution.get(executionID);
    for (const r of [a, b]) runRecorded(r, executionID, FAST, seen).catch((err) => refusals.push(err));
    await until("one runner's refusal", async () => refusals.length > 0);
    await until("the other runner's run", async () => a.isRunning(executionID) || b.isRunning(executionID));
    expect(refusals).toHaveLength(1);
    expect((refusals[0] as { status?: number }).status).toBe(409);
    expect([a.isRunning(executionID), b.isRunning(executionID)].filter(Boolean)).toHaveLength(1);
    const e = await Execution.get(executionID);
    expect(e.runs).toBe(1);
    expect(
      e.history.filter((h) => h.type === "ExecutionStarted" || h.type === "ExecutionRestarted"),
    ).toHaveLength(1);
  });

  it("resumes from the beginning after the runner stops mid-execution, without a second ticket", async () => {
    const op = await createTestOperation();
    const { rel, executionID } = await confirmed(op);
    const first = newRunner();
    const slowDeparture = { ...FAST, waitOverrides: { ...FAST.waitOverrides, WaitForDeparture: 60_000 } };
    void runRecorded(first, executionID, slowDeparture);
    await until("the departure wait", async () => (await step(executionID)) === "WaitForDeparture");
    const ticket = (await current(op, rel.relocationID)).ticket;
    expect(ticket).toBeDefined();
    void first.stop(); // the process dies; the record still says RUNNING
    expect((await Execution.get(executionID)).status).toBe("RUNNING");

    const second = newRunner();
    expect(await resumeRelocations(second, op.operationID, FAST)).toBe(1);
    await until("the departure poll after resume", async () =>
      ["WaitForDepartureConfirmation", "CheckDeparture"].includes((await step(executionID)) ?? ""),
    );
    await confirmDeparture(op, rel.relocationID);
    await until("completion", async () => (await Execution.get(executionID)).status === "SUCCEEDED");
    const e = await Execution.get(executionID);
    expect(e.runs).toBe(2);
    expect(e.history.some((h) => h.type === "ExecutionRestarted")).toBe(true);
    const final = await current(op, rel.relocationID);
    expect(final.ticket).toEqual(ticket);
    expect(final.voidedTickets ?? []).toEqual([]);
    const audit = await as(op.users.admin.actor, () =>
      Audit.history({ recordID: rel.relocationID, limit: 100 }),
    );
    expect(audit.items.filter((a) => a.action.startsWith("workflow.ticket"))).toHaveLength(1);
    expect(
      (await notifications(rel.relocationID)).filter((n) => n.kind === "briefing_reminder"),
    ).toHaveLength(1);
  });
});
