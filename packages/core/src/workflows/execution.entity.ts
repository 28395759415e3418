import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { ExecutionStatuses } from "@waypoint/schema/relocation";
import { entityOptions } from "../common/db.ts";

/**
 * Local record of a workflow execution (aws-local-stepfunctions keeps none). On AWS, Step Functions keeps its own
 * history; these items exist only for executions run in-process.
 */
export const ExecutionEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "execution", version: "1", service: "waypoint" },
        attributes: {
          executionID: { type: "string", required: true },
          machine: { type: "string", required: true },
          subjectID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          status: { type: ExecutionStatuses, required: true },
          currentStep: { type: "string" },
          input: { type: "any", required: true },
          /** How many times the execution was started (restarts after `npm start` resume it from the beginning). */
          runs: { type: "number", required: true, default: 0 },
          history: { type: "any", required: true, default: () => [] },
          error: { type: "string" },
          timeStarted: { type: "string", required: true },
          timeStopped: { type: "string" },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // an execution by id (= its name)
          primary: {
            pk: { field: "pk", composite: ["executionID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the executions about one subject (a relocation), newest last
          bySubject: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["subjectID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeStarted", "executionID"], casing: "none" },
          },
          // executions of a machine by status (unfinished ones are resumed at start)
          byStatus: {
            index: "gsi2",
            pk: { field: "gsi2pk", composite: ["machine", "status"], casing: "none" },
            sk: { field: "gsi2sk", composite: ["timeStarted", "executionID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
