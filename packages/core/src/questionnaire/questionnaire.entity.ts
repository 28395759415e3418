import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";
import { QuestionnaireKeys, QuestionnaireStatuses } from "@waypoint/schema/questionnaire";

/** One version of one of an operation's questionnaires. A published version is never written again. */
export const QuestionnaireEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "questionnaire", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          questionnaireKey: { type: QuestionnaireKeys, required: true },
          questionnaireVersion: { type: "number", required: true },
          status: { type: QuestionnaireStatuses, required: true },
          builtIn: { type: "boolean" },
          labels: { type: "any", required: true },
          sections: { type: "any", required: true },
          scoring: { type: "any", required: true },
          publishedAt: { type: "string" },
          publishedBy: { type: "string" },
          createdBy: { type: "string", required: true },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // every version of every questionnaire of an operation (a handful: read whole, sorted in memory)
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["questionnaireKey", "questionnaireVersion"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
