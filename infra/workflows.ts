/**
 * Step Functions: the relocation state machine (DESIGN.md §5), deployed as a raw `aws.sfn.StateMachine`.
 *
 * The machine is authored in JSONPath ASL with aws-cdk-lib constructs and rendered offline
 * (packages/core/src/relocation/workflow.ts; STACK-NOTES, "Step Functions"); the same ASL runs locally under
 * aws-local-stepfunctions. SST's `sst.aws.StepFunctions` emits JSONata and must not be used. Every Task state
 * invokes one task Lambda (functions/src/workflows/relocation-lambda.ts) whose payload names the step.
 */
import {
  renderRelocationDefinition,
  TASK_FUNCTION_PLACEHOLDER,
} from "../packages/core/src/relocation/workflow";
import { authSecret } from "./secrets";
import { table } from "./storage";

export interface RelocationMachineArgs {
  /** The rendered ASL (JSON string) with placeholder ARNs where the task Lambdas go. */
  definition: string;
  /** Placeholder string as it appears in `definition` → ARN of the deployed task Lambda that replaces it. */
  taskArns: Record<string, $util.Input<string>>;
}

/** The component name is fixed: packages/core/src/config.ts reads `SST_RESOURCE_RelocationMachine`. */
export const RELOCATION_MACHINE = "RelocationMachine";
export function relocationMachine(args: RelocationMachineArgs) {
  const placeholders = Object.keys(args.taskArns);
  const arns = $util.all(placeholders.map((p) => $util.output(args.taskArns[p]!)));

  const definition = arns.apply((resolved) => {
    let asl = args.definition;
    placeholders.forEach((placeholder, i) => {
      if (!asl.includes(placeholder))
        throw new Error(`placeholder ${placeholder} not found in the relocation ASL`);
      asl = asl.split(placeholder).join(resolved[i]!);
    });
    return asl;
  });

  const role = new aws.iam.Role(`${RELOCATION_MACHINE}Role`, {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "states.amazonaws.com" }),
  });
  new aws.iam.RolePolicy(`${RELOCATION_MACHINE}Invoke`, {
    role: role.id,
    policy: $jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["lambda:InvokeFunction"],
          Resource: arns.apply((list) => list.flatMap((arn) => [arn, `${arn}:*`])),
        },
        {
          // Step Functions needs these on "*" to deliver logs to CloudWatch Logs.
          Effect: "Allow",
          Action: [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
          ],
          Resource: "*",
        },
      ],
    }),
  });

  const logGroup = new aws.cloudwatch.LogGroup(`${RELOCATION_MACHINE}Logs`, { retentionInDays: 90 });
  const machine = new aws.sfn.StateMachine(`${RELOCATION_MACHINE}StateMachine`, {
    type: "STANDARD",
    roleArn: role.arn,
    definition,
    // Errors only, and never the execution data: state input/output carries personal data (DESIGN.md §7).
    loggingConfiguration: {
      level: "ERROR",
      includeExecutionData: false,
      logDestination: $interpolate`${logGroup.arn}:*`,
    },
  });

  return new sst.Linkable(RELOCATION_MACHINE, {
    properties: { arn: machine.arn },
    include: [
      sst.aws.permission({
        actions: ["states:StartExecution", "states:DescribeStateMachine", "states:ListExecutions"],
        resources: [machine.arn],
      }),
      sst.aws.permission({
        actions: ["states:DescribeExecution", "states:StopExecution", "states:GetExecutionHistory"],
        resources: [$interpolate`${machine.arn.apply((a) => a.replace(":stateMachine:", ":execution:"))}:*`],
      }),
    ],
  });
}

const taskLinks = [table, authSecret];

/** The relocation steps (readiness, reminder, ticket, departure, arrival, follow-ups): thin over core. */
export const relocationTask = new sst.aws.Function("RelocationTask", {
  handler: "functions/src/workflows/relocation-lambda.handler",
  runtime: "nodejs22.x",
  architecture: "arm64",
  memory: "512 MB",
  timeout: "30 seconds",
  link: taskLinks,
  environment: $util
    .all([sst.Linkable.env(taskLinks), $app.stage])
    .apply(([env, stage]) => ({ ...env, SST_STAGE: stage, NODE_OPTIONS: "--enable-source-maps" })),
  nodejs: { format: "esm", minify: true, esbuild: { external: ["@aws-sdk/*"] } },
  logging: { retention: "1 month", format: "json" },
});

/** The deployed relocation machine, linked to the API (which starts one execution per confirmed household). */
export const relocation = relocationMachine({
  definition: JSON.stringify(renderRelocationDefinition()),
  taskArns: { [TASK_FUNCTION_PLACEHOLDER]: relocationTask.arn },
});
