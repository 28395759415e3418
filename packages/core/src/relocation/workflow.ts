/**
 * The relocation state machine (DESIGN.md §5), authored in JSONPath ASL with aws-cdk-lib constructs and rendered
 * offline (STACK-NOTES, "Step Functions"). The same definition is deployed by infra/workflows.ts and run locally by
 * aws-local-stepfunctions. Not imported by the API: aws-cdk-lib is large and only needed to render.
 */
import { App, Duration, Stack } from "aws-cdk-lib/core";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Timing, WaitStates, type TaskNames } from "./timing.ts";

/** Stands for the task Lambda's ARN until infra/workflows.ts substitutes the deployed one. */
export const TASK_FUNCTION_PLACEHOLDER =
  "arn:aws:lambda:us-east-1:000000000000:function:waypoint-relocation-task";

/** Failures that retrying cannot fix (bad data, a rule, a missing record) go straight to the catch. */
const PERMANENT = ["NotFoundError", "InvalidError", "RuleError", "ForbiddenError", "ZodError"];

export interface RenderOptions {
  taskFunctionArn?: string;
  partition?: string;
}

/** Task state name → the task it runs. Every Task state of the machine appears here (the local runner uses it). */
export const TaskStates: Record<string, (typeof TaskNames)[number]> = {
  CheckReadiness: "check",
  SendBriefingReminder: "briefing",
  IssueTicket: "ticket",
  CheckDeparture: "departure",
  CheckArrival: "arrival",
  FirstFollowUp: "followUp1",
  SecondFollowUp: "followUp3",
  RecordFailure: "failed",
};

function build(stack: Stack, functionArn: string) {
  const fnRef = lambda.Function.fromFunctionArn(stack, "TaskFunction", functionArn);
  const failed = new sfn.Fail(stack, "Failed", {
    error: "Relocation.WorkflowFailed",
    cause: "A step failed; see the relocation's workflow error",
  });
  const recordFailure = new tasks.LambdaInvoke(stack, "RecordFailure", {
    lambdaFunction: fnRef,
    payload: sfn.TaskInput.fromObject({
      task: "failed",
      relocationID: sfn.JsonPath.stringAt("$.relocationID"),
      error: sfn.JsonPath.objectAt("$.error"),
    }),
    resultPath: sfn.JsonPath.DISCARD,
    retryOnServiceExceptions: false,
  });
  recordFailure.addRetry({
    errors: ["States.ALL"],
    interval: Duration.seconds(5),
    maxAttempts: 3,
    backoffRate: 2,
  });
  recordFailure.addCatch(failed, { errors: ["States.ALL"], resultPath: sfn.JsonPath.DISCARD });
  recordFailure.next(failed);

  const task = (name: string) => {
    const t = new tasks.LambdaInvoke(stack, name, {
      lambdaFunction: fnRef,
      payload: sfn.TaskInput.fromObject({
        task: TaskStates[name],
        relocationID: sfn.JsonPath.stringAt("$.relocationID"),
        attempt: sfn.JsonPath.numberAt("$.step.attempt"),
        previous: sfn.JsonPath.objectAt("$.step"),
      }),
      resultSelector: { "step.$": "$.Payload" },
      outputPath: "$",
      resultPath: "$.result",
      retryOnServiceExceptions: false,
    });
    t.addRetry({ errors: PERMANENT, maxAttempts: 0 });
    t.addRetry({
      errors: ["States.ALL"],
      interval: Duration.seconds(10),
      maxAttempts: 4,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    t.addCatch(recordFailure, { errors: ["States.ALL"], resultPath: "$.error" });
    // Copies the task's result to $.step, where the next wait and task read it.
    const keep = new sfn.Pass(stack, `${name}Result`, {
      parameters: { "relocationID.$": "$.relocationID", "step.$": "$.result.step" },
    });
    t.next(keep);
    return { t, keep };
  };
  const action = (v: string) => sfn.Condition.stringEquals("$.step.action", v);
  const waitUntil = (name: string, path: string) =>
    new sfn.Wait(stack, name, { time: sfn.WaitTime.timestampPath(path) });
  const waitFor = (name: string, ms: number) =>
    new sfn.Wait(stack, name, { time: sfn.WaitTime.duration(Duration.millis(ms)) });
  const cancelled = new sfn.Succeed(stack, "Cancelled", {
    comment: "The relocation was cancelled; nothing more is issued",
  });
  const completed = new sfn.Succeed(stack, "Completed");
  const notReady = new sfn.Fail(stack, "NotReady", {
    error: "Relocation.NotReady",
    cause: "Readiness checks or seat not completed in time",
  });
  const missed = new sfn.Fail(stack, "DepartureNotConfirmed", {
    error: "Relocation.DepartureNotConfirmed",
    cause: "No departure confirmation from the terminal",
  });
  const unexpected = new sfn.Fail(stack, "UnexpectedResult", { error: "Relocation.UnexpectedResult" });

  const start = new sfn.Pass(stack, "Start", {
    parameters: { "relocationID.$": "$.relocationID", step: { action: "start", attempt: 0 } },
  });
  const check = task("CheckReadiness");
  const briefing = task("SendBriefingReminder");
  const ticket = task("IssueTicket");
  const departure = task("CheckDeparture");
  const arrival = task("CheckArrival");
  const follow1 = task("FirstFollowUp");
  const follow3 = task("SecondFollowUp");

  const waitBriefing = waitUntil(WaitStates.briefing, "$.step.briefingAt");
  const waitTicketing = waitUntil(WaitStates.ticketing, "$.step.ticketAt");
  const waitDeparture = waitUntil(WaitStates.departure, "$.step.departureAt");
  const waitArrival = waitUntil(WaitStates.arrivalCheck, "$.step.arrivalCheckAt");
  const waitFollow1 = waitUntil(WaitStates.firstFollowUp, "$.step.followUpAt");
  const waitFollow3 = waitUntil(WaitStates.secondFollowUp, "$.step.followUpAt");

  start.next(check.t);
  check.keep.next(
    new sfn.Choice(stack, "IsReady")
      .when(action("cancelled"), cancelled)
      .when(action("ready"), waitBriefing)
      .when(action("waiting"), waitFor(WaitStates.readiness, Timing.readinessPoll.every).next(check.t))
      .when(action("not_ready"), notReady)
      .otherwise(unexpected),
  );
  waitBriefing.next(briefing.t);
  briefing.keep.next(
    new sfn.Choice(stack, "BriefingSent")
      .when(action("cancelled"), cancelled)
      .when(action("rescheduled"), check.t)
      .when(action("wait"), waitBriefing)
      .when(action("ok"), waitTicketing)
      .otherwise(unexpected),
  );
  waitTicketing.next(ticket.t);
  ticket.keep.next(
    new sfn.Choice(stack, "TicketIssued")
      .when(action("cancelled"), cancelled)
      .when(action("rescheduled"), check.t)
      .when(action("wait"), waitTicketing)
      .when(action("ok"), waitDeparture)
      .otherwise(unexpected),
  );
  waitDeparture.next(departure.t);
  departure.keep.next(
    new sfn.Choice(stack, "Departed")
      .when(action("departed"), waitArrival)
      .when(
        action("pending"),
        waitFor(WaitStates.departureConfirmation, Timing.departurePoll.every).next(departure.t),
      )
      .when(action("cancelled"), cancelled)
      .when(action("rescheduled"), check.t)
      .when(action("wait"), waitDeparture)
      .when(action("missed"), missed)
      .otherwise(unexpected),
  );
  waitArrival.next(arrival.t);
  arrival.keep.next(
    new sfn.Choice(stack, "Arrived")
      .when(sfn.Condition.or(action("arrived"), action("unconfirmed")), waitFollow1)
      .when(
        action("pending"),
        waitFor(WaitStates.arrivalConfirmation, Timing.arrivalPoll.every).next(arrival.t),
      )
      .otherwise(unexpected),
  );
  waitFollow1.next(follow1.t);
  follow1.keep.next(waitFollow3);
  waitFollow3.next(follow3.t);
  follow3.keep.next(completed);
  return start;
}

/**
 * Renders the ASL as a plain object: a fresh construct tree each time (a state cannot join two graphs), then the
 * CloudFormation intrinsics aws-cdk-lib leaves in (`Fn::Join` with `Ref AWS::Partition` in each Resource) are
 * replaced with the real partition.
 */
export function renderRelocationDefinition(opts: RenderOptions = {}): Record<string, unknown> {
  const stack = new Stack(new App(), "RelocationRender");
  const startState = build(stack, opts.taskFunctionArn ?? TASK_FUNCTION_PLACEHOLDER);
  const graph = new sfn.StateGraph(startState, "relocation");
  const json = stack.resolve(graph.toGraphJson()) as Record<string, unknown>;
  const partition = opts.partition ?? "aws";
  const resolved = JSON.parse(JSON.stringify(json), (_k, v) => {
    if (v && typeof v === "object" && Array.isArray(v["Fn::Join"])) {
      const [sep, parts] = v["Fn::Join"] as [string, unknown[]];
      return parts
        .map((p) =>
          typeof p === "string"
            ? p
            : (p as { Ref?: string }).Ref === "AWS::Partition"
              ? partition
              : intrinsic(p),
        )
        .join(sep);
    }
    return v;
  }) as Record<string, unknown>;
  return {
    Comment: "Waypoint relocation: readiness, briefing reminder, ticket, departure, arrival, follow-ups",
    ...resolved,
  };
}

function intrinsic(p: unknown): never {
  throw new Error(`unexpected CloudFormation intrinsic in the relocation ASL: ${JSON.stringify(p)}`);
}

/** Task state names, for the local runner's overrides. */
export const relocationTaskStates = (): string[] => Object.keys(TaskStates);
