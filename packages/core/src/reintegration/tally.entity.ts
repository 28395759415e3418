import { Entity } from "electrodb";
import { entityOptions } from "../common/db.ts";
import { lazyEntity } from "../common/entity.ts";

/**
 * The AVRR monthly table's counters (see tally.ts): one number per office and counter key, changed in the same
 * transaction as the return or plan it counts, so the table reads a few hundred counters instead of every return.
 */
export const AvrrCounterEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "avrCounter", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          key: { type: "string", required: true },
          n: { type: "number", required: true },
        },
        indexes: {
          // every counter of an operation, by office then key (the monthly table reads them all)
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: ["officeID", "key"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/**
 * The returns that arrived in a month (one item per return, kept with the return): the monthly table counts the
 * people of the month's arrivals by sex and age from the register, without reading the other returns.
 */
export const AvrrArrivalEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "avrArrival", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          month: { type: "string", required: true },
          officeID: { type: "string", required: true },
          returnID: { type: "string", required: true },
          countryOfReturn: { type: "string", required: true },
          individualIDs: { type: "list", items: { type: "string" }, required: true },
        },
        indexes: {
          // the returns that arrived in one month of an operation, by office
          primary: {
            pk: { field: "pk", composite: ["operationID", "month"], casing: "none" },
            sk: { field: "sk", composite: ["officeID", "returnID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** Marks an operation whose counters were built from its records (tally.ts `ensure`). */
export const AvrrTallyMarkEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "avrTallyMark", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          builtAt: { type: "string", required: true },
          returns: { type: "number", required: true },
        },
        indexes: {
          // whether the operation's AVRR counters exist
          primary: {
            pk: { field: "pk", composite: ["operationID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
