import { Entity } from "electrodb";
import { lazyEntity } from "../common/entity.ts";
import { entityOptions } from "../common/db.ts";

/**
 * A lead for identification: a person who expressed interest (public form) or was found by a partner's field
 * team (KoboToolbox). Not yet a registered individual; staff identify, contact and register or close it.
 */
export const LeadEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "lead", version: "1", service: "waypoint" },
        attributes: {
          leadID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          source: { type: ["public", "kobo"] as const, required: true },
          programme: { type: "string" },
          organisationID: { type: "string" },
          formID: { type: "string" },
          instanceID: { type: "string" },
          givenName: { type: "string", required: true },
          familyName: { type: "string" },
          sex: { type: "string" },
          dateOfBirth: { type: "string" },
          birthYear: { type: "number" },
          estimatedAge: { type: "number" },
          nationality: { type: "string" },
          phone: { type: "string" },
          email: { type: "string" },
          languages: { type: "list", items: { type: "string" } },
          location: { type: "string" },
          householdSize: { type: "number" },
          members: { type: "list", items: { type: "string" } },
          notes: { type: "string" },
          /** Configured values of individuals a Kobo mapping filled (`fields.<key>` targets), given on registration. */
          fields: { type: "any" },
          consent: { type: "any" },
          /** Registered individuals this lead may be (staff only; never told to the person). */
          possibleMatches: { type: "list", items: { type: "string" } },
          /** Kobo's submission number (`_id`): the same through every edit of the submission. */
          koboID: { type: "string" },
          /**
           * Every answer of the Kobo submission (JSON of flat `path → value`, `kobo.ts` flattenAnswers), mapped or
           * not: nothing the field team collected is lost; reviewers see the answers no field holds.
           */
          answers: { type: "string" },
          /** The answers (flat paths) the form's mapping put into this lead's fields. */
          mappedPaths: { type: "list", items: { type: "string" } },
          /** Edits of the Kobo submission: when, which instance, what changed, whether the lead's fields followed. */
          history: { type: "any" },
          /** An edit that needs a person: it arrived after the lead was registered or closed, or no longer maps. */
          reviewFlag: { type: "any" },
          status: { type: ["new", "contacted", "registered", "closed"] as const, required: true },
          /** The registered person the lead became (registered from the enquiry queue). */
          individualID: { type: "string" },
          submittedAt: { type: "string" },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a lead by id
          primary: {
            pk: { field: "pk", composite: ["leadID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an operation's leads, newest first (the identification queue)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["timeCreated", "leadID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** The field mapping an admin keeps for one KoboToolbox form. */
export const KoboFormEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "koboform", version: "1", service: "waypoint" },
        attributes: {
          operationID: { type: "string", required: true },
          formID: { type: "string", required: true },
          name: { type: "string", required: true },
          fields: { type: "any", required: true },
          phoneCountry: { type: "string" },
          programme: { type: "string" },
          /** The partner organisation whose keys may post this form (set by an admin). */
          organisationID: { type: "string" },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // one form's mapping in an operation
          primary: {
            pk: { field: "pk", composite: ["operationID", "formID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an operation's forms (the partner administration lists a partner's forms)
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["formID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);

/** A Kobo submission that could not be mapped: kept whole, with the reasons, for a person to resolve. */
export const IntakeReviewEntity = lazyEntity(
  () =>
    new Entity(
      {
        model: { entity: "intakereview", version: "1", service: "waypoint" },
        attributes: {
          reviewID: { type: "string", required: true },
          operationID: { type: "string", required: true },
          organisationID: { type: "string", required: true },
          formID: { type: "string", required: true },
          instanceID: { type: "string", required: true },
          issues: { type: "any", required: true },
          /** Kobo's submission number (`_id`), the same through every edit. */
          koboID: { type: "string" },
          /** Edits of the submission received while it waited (when, which instance, what changed). */
          history: { type: "any" },
          /**
           * The submission as received (JSON), so nothing the field team collected is lost until an administrator
           * resolves it; deleted then (what it held is in the lead created, or was discarded).
           */
          payload: { type: "string" },
          status: { type: ["open", "resolved"] as const, required: true },
          /** How it was resolved: a lead was created from it, or it was discarded. */
          decision: { type: ["lead", "discard"] as const },
          leadID: { type: "string" },
          version: { type: "number", required: true },
          timeCreated: { type: "string", required: true },
          timeUpdated: { type: "string", required: true },
        },
        indexes: {
          // a review item by id
          primary: {
            pk: { field: "pk", composite: ["reviewID"], casing: "none" },
            sk: { field: "sk", composite: [], casing: "none" },
          },
          // an operation's review queue by status, oldest first
          byOperation: {
            index: "gsi1",
            pk: { field: "gsi1pk", composite: ["operationID"], casing: "none" },
            sk: { field: "gsi1sk", composite: ["status", "timeCreated", "reviewID"], casing: "none" },
          },
        },
      },
      entityOptions(),
    ),
);
