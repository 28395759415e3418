import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { ReturnStatuses } from "@waypoint/schema/reintegration";
import { entityOptions } from "../common/db.ts";

const meta = {
  createdBy: { type: "string", required: true },
  deleted: { type: "boolean", default: false },
  version: { type: "number", required: true },
  timeCreated: { type: "string", required: true },
  timeUpdated: { type: "string", required: true },
} as const;

export const ReturnEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "avrReturn", version: "1", service: "waypoint" },
        attributes: {
          returnID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          caseID: { type: "string" },
          individualIDs: { type: "list", items: { type: "string" }, required: true },
          countryOfReturn: { type: "string", required: true },
          destinationAdm1: { type: "string" },
          plannedReturnDate: { type: "string" },
          departedOn: { type: "string" },
          arrivedOn: { type: "string" },
          status: { type: ReturnStatuses, required: true },
          /** Configured values of the operation's fields for returns (`fields/values.ts`), by key. */
          fields: { type: "any" },
          vulnerability: { type: "any" },
          monitoring: { type: "any", required: true },
          notes: { type: "string" },
          ...meta,
        },
        indexes: {
          // a return case by id
          primary: {
            pk: { field: "pk", composite: ["returnID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // every return case of an operation, oldest first (grid, monthly table, inconsistency report)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "returnID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** Reintegration plans (one per return case) and supplier invoices, both found from their return case. */
export const PlanEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "avrPlan", version: "1", service: "waypoint" },
        attributes: {
          planID: { type: "string", required: true },
          returnID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          items: { type: "any", required: true },
          status: { type: ["draft", "approved"] as const, required: true },
          approvedBy: { type: "string" },
          editors: { type: "list", items: { type: "string" } },
          ...meta,
        },
        indexes: {
          // the plan of a return case (one, claimed at creation)
          primary: {
            pk: { field: "pk", composite: ["returnID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // every plan of an operation (monthly table)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["returnID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

export const SupplierEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "avrSupplier", version: "1", service: "waypoint" },
        attributes: {
          supplierID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          name: { type: "string", required: true },
          country: { type: "string", required: true },
          adm1: { type: "string" },
          category: { type: "string", required: true },
          payeeID: { type: "string" },
          taxID: { type: "string" },
          active: { type: "boolean", required: true },
          ...meta,
        },
        indexes: {
          // a supplier by id
          primary: {
            pk: { field: "pk", composite: ["supplierID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the suppliers of an operation by name
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["name", "supplierID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

export const InvoiceEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "avrInvoice", version: "1", service: "waypoint" },
        attributes: {
          invoiceID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          officeID: { type: "string", required: true },
          returnID: { type: "string", required: true },
          planID: { type: "string", required: true },
          itemID: { type: "string", required: true },
          quotes: { type: "any", required: true },
          waiverReason: { type: "string" },
          selectedSupplierID: { type: "string" },
          selectionReason: { type: "string" },
          amount: { type: "number" },
          currency: { type: "string" },
          status: { type: ["draft", "selected", "approved", "rejected"] as const, required: true },
          decidedBy: { type: "string" },
          editors: { type: "list", items: { type: "string" } },
          decisionComment: { type: "string" },
          paymentID: { type: "string" },
          ...meta,
        },
        indexes: {
          // an invoice by id
          primary: {
            pk: { field: "pk", composite: ["invoiceID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // the invoices of a return case
          byReturn: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["returnID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "invoiceID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
