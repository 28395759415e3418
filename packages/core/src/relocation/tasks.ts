import { z } from "zod";
import { Actor } from "../actor.ts";
import { config } from "../config.ts";
import { nowIso } from "../common/db.ts";
import { NotFoundError } from "../common/errors.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { OfficeEntity } from "../operation/operation.entity.ts";
import { NotificationEntity } from "./relocation.entity.ts";
import { allReady, loadRelocation, saveRelocation, type Info } from "./store.ts";
import { scheduleFor, TaskNames, Timing, type Schedule } from "./timing.ts";
import { ticketChange } from "./tickets.ts";
import { RelocationTrip } from "./trip.ts";

export { TaskNames };

export const TaskInput = z.object({
  task: z.enum(TaskNames),
  relocationID: z.string(),
  attempt: z.number().int().min(0).default(0),
  /** The previous task's result (what the execution last waited for). */
  previous: z.record(z.string(), z.unknown()).nullish(),
  error: z.object({ Error: z.string().optional() }).passthrough().nullish(),
});
export type TaskInput = z.input<typeof TaskInput>;

export type TaskResult = Partial<Schedule> & { action: string; attempt: number; followUpAt?: string };

/**
 * The relocation workflow's steps. Each one reads the relocation first and acts only on what is stored, so
 * running a step twice (a retry, a restart from the beginning) changes nothing the second time; a ticket is
 * issued under a version condition and a unique claim, so it can never be issued twice.
 */
export namespace RelocationTasks {
  export type Input = TaskInput;
  export type Result = TaskResult;
  export async function run(raw: TaskInput): Promise<TaskResult> {
    const input = TaskInput.parse(raw);
    const rel = await loadRelocation(input.relocationID);
    if (!rel) throw new NotFoundError("relocation", input.relocationID);
    return Actor.provide({ type: "system", reason: "workflow", operationID: rel.operationID }, () =>
      steps[input.task](rel, input),
    );
  }

  /** Cancelled, or did not come to the terminal: nothing more is issued or waited for. */
  const ended = (rel: Info) => rel.status === "cancelled" || rel.status === "no_show";

  type Step = (rel: Info, input: z.output<typeof TaskInput>) => Promise<TaskResult>;
  const prev = (i: z.output<typeof TaskInput>) => (i.previous ?? {}) as Partial<Schedule>;

  /** The current seat's schedule, or why the execution cannot go on waiting for it. */
  async function seat(rel: Info): Promise<Schedule | undefined> {
    if (!rel.tripID || !rel.confirmed || !allReady(rel)) return undefined;
    const trip = await RelocationTrip.load(rel.tripID);
    if (!trip || trip.status === "cancelled") return undefined;
    return scheduleFor(trip.tripID, trip.departureAt);
  }

  /** After departure, times count from the bus's scheduled departure (the confirmation may be entered later). */
  async function departed(rel: Info): Promise<Schedule> {
    const trip = rel.tripID ? await RelocationTrip.load(rel.tripID) : undefined;
    return scheduleFor(rel.tripID ?? "", trip?.departureAt ?? rel.departure?.at ?? nowIso());
  }

  /** Compares what the execution waited for with what is stored now: the trip changed, or its time moved later. */
  function drift(
    s: Schedule,
    p: Partial<Schedule>,
    field: keyof Schedule,
  ): "rescheduled" | "wait" | undefined {
    if (p.tripID && p.tripID !== s.tripID) return "rescheduled";
    if (p[field] && s[field] > p[field]!) return "wait";
    return undefined;
  }

  /**
   * Woken before its time? Only possible locally at full scale, where a wait longer than a Node timer allows
   * wakes early; the step then waits again. At other scales waits are shortened on purpose, and on AWS they are
   * exact, so the clock is not consulted.
   */
  const early = (at: string | undefined) =>
    config().waitScale === 1 && !!at && Date.now() < Date.parse(at) - 60_000;

  async function notify(
    rel: Info,
    kind: string,
    ref: string,
    channel: "sms" | "staff_task",
    dueAt = nowIso(),
  ) {
    const item = {
      subjectID: rel.relocationID,
      kind,
      ref,
      operationID: rel.operationID,
      officeID: rel.officeID,
      channel,
      dueAt,
      timeCreated: nowIso(),
    };
    try {
      await NotificationEntity.create(item).go();
    } catch (err) {
      // Already queued by an earlier run of this step.
      if ((err as { cause?: { name?: string } }).cause?.name !== "ConditionalCheckFailedException") throw err;
    }
  }

  /**
   * Tells the household's members by SMS (those with consent to messages, a phone and no opt-out): one message
   * per event and person (`ref`), so a step run again (a retry, a restart) sends nothing twice.
   */
  async function tell(
    rel: Info,
    kind: "briefing" | "departure" | "relocation_follow_up",
    ref: string,
    start: string,
    values: Record<string, string | undefined> = {},
  ) {
    const members = (
      await IndividualEntity.query.byHousehold({ householdID: rel.householdID }).go({ pages: "all" })
    ).data
      .filter((m) => !m.deleted && m.operationID === rel.operationID)
      .map((m) => m.individualID);
    if (members.length === 0) return;
    // loaded when first needed: the workflow's Lambda carries the message code only for these steps
    const { Messages } = await import("../message/index.ts");
    await Messages.queueEvent({
      operationID: rel.operationID,
      officeID: rel.officeID,
      kind,
      ref,
      individualIDs: members,
      start,
      values,
    });
  }

  const steps: Record<(typeof TaskNames)[number], Step> = {
    async check(rel, input) {
      if (ended(rel)) return { action: "cancelled", attempt: 0 };
      const s = await seat(rel);
      if (s) return { action: "ready", attempt: 0, ...s };
      const attempt = input.attempt + 1;
      return { action: attempt >= Timing.readinessPoll.max ? "not_ready" : "waiting", attempt };
    },

    async briefing(rel, input) {
      if (ended(rel)) return { action: "cancelled", attempt: 0 };
      const s = await seat(rel);
      if (!s) return { action: "rescheduled", attempt: 0 };
      const d = drift(s, prev(input), "briefingAt") ?? (early(s.briefingAt) ? "wait" : undefined);
      if (d) return { action: d, attempt: 0, ...s };
      await notify(rel, "briefing_reminder", s.tripID, "sms");
      const trip = await RelocationTrip.load(s.tripID);
      const office = (await OfficeEntity.get({ officeID: rel.officeID }).go()).data;
      await tell(rel, "briefing", `${rel.relocationID}:${s.tripID}`, s.departureAt, {
        place: office?.name,
        destination: trip?.destination.name,
      });
      if (rel.briefing?.tripID !== s.tripID)
        await saveRelocation(
          rel,
          rel.version,
          { briefing: { tripID: s.tripID, reminderAt: nowIso() } },
          "workflow.briefing",
        );
      return { action: "ok", attempt: 0, ...s };
    },

    async ticket(rel, input) {
      if (ended(rel)) return { action: "cancelled", attempt: 0 };
      const s = await seat(rel);
      if (!s) return { action: "rescheduled", attempt: 0 };
      const d = drift(s, prev(input), "ticketAt") ?? (early(s.ticketAt) ? "wait" : undefined);
      if (d) return { action: d, attempt: 0, ...s };
      const issue = ticketChange(rel, s.tripID);
      if (issue) await saveRelocation(rel, rel.version, issue.set, issue.action, { with: issue.with });
      // the ticket is out: the household is reminded when and where the bus leaves
      const trip = await RelocationTrip.load(s.tripID);
      await tell(rel, "departure", `${rel.relocationID}:${s.tripID}`, s.departureAt, {
        place: trip?.originTerminal.name,
        destination: trip?.destination.name,
      });
      return { action: "ok", attempt: 0, ...s };
    },

    async departure(rel, input) {
      if (rel.departure) return { action: "departed", attempt: 0, ...(await departed(rel)) };
      if (ended(rel)) return { action: "cancelled", attempt: 0 };
      const s = await seat(rel);
      if (!s || rel.ticket?.tripID !== s.tripID) return { action: "rescheduled", attempt: 0 };
      const d = drift(s, prev(input), "departureAt") ?? (early(s.departureAt) ? "wait" : undefined);
      if (d) return { action: d, attempt: 0, ...s };
      const attempt = input.attempt + 1;
      if (attempt < Timing.departurePoll.max) return { action: "pending", attempt, ...s };
      await notify(rel, "departure_unconfirmed", s.tripID, "staff_task");
      if (rel.status !== "missed")
        await saveRelocation(rel, rel.version, { status: "missed" }, "workflow.missed");
      return { action: "missed", attempt, ...s };
    },

    async arrival(rel, input) {
      const s = await departed(rel);
      if (rel.arrival) return { action: "arrived", attempt: 0, ...s, followUpAt: s.followUp1At };
      if (early(s.arrivalCheckAt)) return { action: "wait", attempt: 0, ...s };
      const attempt = input.attempt + 1;
      if (attempt < Timing.arrivalPoll.max) return { action: "pending", attempt, ...s };
      await notify(rel, "arrival_unconfirmed", s.tripID, "staff_task");
      return { action: "unconfirmed", attempt, ...s, followUpAt: s.followUp1At };
    },

    followUp1: (rel) => followUp(rel, 1),
    followUp3: (rel) => followUp(rel, 3),

    async failed(rel, input) {
      const error = input.error?.Error ?? "unknown";
      if (rel.workflowError !== error)
        await saveRelocation(rel, rel.version, { workflowError: error }, "workflow.failed");
      return { action: "failed", attempt: 0 };
    },
  };

  /** The receiving office calls the household at 1 and 3 months; the third-month call closes the relocation. */
  async function followUp(rel: Info, month: 1 | 3): Promise<TaskResult> {
    const s = await departed(rel);
    const dueAt = month === 1 ? s.followUp1At : s.followUp3At;
    if (early(dueAt)) return { action: "wait", attempt: 0, ...s, followUpAt: dueAt };
    await notify(rel, `follow_up_${month}`, s.tripID, "staff_task", dueAt);
    // the household is told the receiving office will call (once per follow-up, whatever re-runs)
    await tell(rel, "relocation_follow_up", `${rel.relocationID}:${month}`, dueAt);
    const done = rel.followUps ?? [];
    if (!done.some((f) => f.month === month) || (month === 3 && rel.status !== "completed"))
      await saveRelocation(
        rel,
        rel.version,
        {
          followUps: done.some((f) => f.month === month)
            ? done
            : [...done, { month, dueAt, notifiedAt: nowIso() }],
          ...(month === 3 ? { status: "completed" as const } : {}),
        },
        `workflow.followUp${month}`,
      );
    return { action: "ok", attempt: 0, ...s, followUpAt: s.followUp3At };
  }
}
