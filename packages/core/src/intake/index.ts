import { createHash } from "node:crypto";
import {
  InterestLanguage,
  InterestRequest,
  KoboFormMapping,
  LeadStatus,
  LeadTransitions,
  ReviewResolution,
} from "@waypoint/schema/partner";
import { type FieldIssue } from "@waypoint/schema/problem";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite, transactWriteOrConflict, type TxItem } from "../common/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn, toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { log } from "../common/log.ts";
import { writeVersioned } from "../common/record.ts";
import { Unique } from "../common/unique.ts";
import { Dedupe } from "../dedupe/index.ts";
import { canonicalJson } from "../idempotency/index.ts";
import { Operation } from "../operation/index.ts";
import { CONSENT_VERSION, ConsentTexts } from "./consent.ts";
import { OrganisationEntity } from "../organisation/organisation.entity.ts";
import { IntakeReviewEntity, KoboFormEntity, LeadEntity } from "./intake.entity.ts";
import { mapSubmission, submissionTime, type MappedLead } from "./kobo.ts";

export { valuesAt, mapSubmission, submissionTime } from "./kobo.ts";

/**
 * Intake from outside the operation: the public expression-of-interest form and KoboToolbox REST Services.
 * Both create leads for identification; Kobo submissions that cannot be mapped wait in a review queue.
 */
export namespace Intake {
  export function consent(lang: InterestLanguage) {
    return { language: lang, version: CONSENT_VERSION, text: ConsentTexts[lang] };
  }

  async function operationByCode(code: string) {
    const op = (await Operation.list()).find((o) => o.code === code);
    return op;
  }

  /** Registered individuals a lead may be; for staff, never shown to whoever submitted the lead. */
  async function matches(operationID: string, l: MappedLead): Promise<string[]> {
    if (!l.givenName || !l.familyName) return [];
    const estimatedAge =
      l.estimatedAge ?? (l.birthYear ? new Date().getUTCFullYear() - l.birthYear : undefined);
    if (!l.dateOfBirth && estimatedAge === undefined && !l.phone) return [];
    try {
      const found = await Dedupe.find(
        {
          operationID,
          givenName: l.givenName,
          familyName: l.familyName,
          dateOfBirth: l.dateOfBirth,
          estimatedAge,
          phone: l.phone,
          sex: l.sex,
          nationality: l.nationality,
        },
        5,
      );
      return found.map((c) => c.record.individualID);
    } catch (err) {
      log.warn({ err: (err as Error).name }, "lead duplicate check failed");
      return [];
    }
  }

  function leadItems(lead: Record<string, unknown> & { leadID: string; operationID: string }): TxItem[] {
    return [
      { put: LeadEntity.create(lead as never).params() },
      Audit.txItem({
        recordID: lead.leadID,
        recordType: "lead",
        action: "create",
        operationID: lead.operationID,
      }),
    ];
  }

  /**
   * A person's expression of interest. The answer is the same whether or not they are already registered
   * (someone else could be submitting their name); matching happens here, for staff only.
   */
  export const submitInterest = fn(InterestRequest, async (input) => {
    // The person must have agreed to the text in force; a form cached with an older text asks again.
    if (input.consentVersion !== CONSENT_VERSION)
      throw InvalidError.field(
        "consentVersion",
        "invalid.consentVersion",
        `The consent text has changed (current version ${CONSENT_VERSION}); read it again and agree`,
      );
    const op = await operationByCode(input.operation);
    const receipt = { status: "received" as const, message: "Thank you. Staff will contact you." };
    if (!op) return receipt;
    const now = nowIso();
    const { operation: _o, consent: _c, consentVersion, language, ...person } = input;
    const lead = {
      ...person,
      programme: person.programme ?? "local_integration",
      leadID: Identifier.create("lead"),
      operationID: op.operationID,
      source: "public" as const,
      consent: { given: true, version: consentVersion, language, time: now },
      status: "new" as const,
      possibleMatches: await matches(op.operationID, person),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await Actor.provide({ type: "public", operationID: op.operationID }, () =>
      transactWriteOrConflict(leadItems(lead)),
    );
    return receipt;
  });

  export const ListQuery = z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(2000).optional(),
  });

  export const listLeads = fn(ListQuery, async (q) => {
    Actor.assert("intake.read", { operationID: Actor.operationID() });
    const scope = `leads:${Actor.operationID()}`;
    const res = await LeadEntity.query
      .byOperation({ operationID: Actor.operationID() })
      .go({ limit: q.limit, cursor: Cursor.verify(q.cursor, scope), order: "desc" });
    return { items: res.data, nextCursor: Cursor.sign(res.cursor, scope) };
  });

  export const listReviews = fn(
    ListQuery.extend({ status: z.enum(["open", "resolved"]).default("open") }),
    async (q) => {
      // Raw submissions hold whatever the field team collected: only those who manage intake read them.
      Actor.assert("intake.manage", { operationID: Actor.operationID() });
      const scope = `reviews:${Actor.operationID()}:${q.status}`;
      const res = await IntakeReviewEntity.query
        .byOperation({ operationID: Actor.operationID() })
        .begins({ status: q.status })
        .go({ limit: q.limit, cursor: Cursor.verify(q.cursor, scope) });
      return {
        items: res.data.map((r) => ({
          ...r,
          payload: r.payload === undefined ? undefined : (JSON.parse(r.payload) as unknown),
        })),
        nextCursor: Cursor.sign(res.cursor, scope),
      };
    },
  );

  const Move = z.object({
    id: z.string().max(40),
    version: z.number().int().min(1),
    note: z.string().max(2000).optional(),
  });

  /**
   * An administrator resolves a submission waiting for review: creates the lead it should have been (fields read
   * off the submission, in the same transaction) or discards it with a reason. The raw submission is deleted in
   * that transaction either way: what it held is now in the lead, or was judged not to be kept.
   */
  export async function resolveReview(id: string, body: ReviewResolution) {
    const parsed = ReviewResolution.safeParse(body);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const input = parsed.data;
    const { version, note } = input;
    const operationID = Actor.operationID();
    Actor.assert("intake.manage", { operationID });
    const cur = (await IntakeReviewEntity.get({ reviewID: id }).go({ consistent: true })).data;
    if (!cur || cur.operationID !== operationID) throw new NotFoundError("intake review", id);
    const now = nowIso();
    let leadID: string | undefined;
    const extra: TxItem[] = [];
    if (input.decision === "lead") {
      leadID = Identifier.create("lead");
      const form = (await KoboFormEntity.get({ operationID, formID: cur.formID }).go()).data;
      const lead = {
        ...input.lead,
        leadID,
        operationID,
        source: "kobo" as const,
        programme: form?.programme,
        organisationID: cur.organisationID,
        formID: cur.formID,
        instanceID: cur.instanceID,
        status: "new" as const,
        possibleMatches: await matches(operationID, input.lead),
        version: 1,
        timeCreated: now,
        timeUpdated: now,
      };
      extra.push(...leadItems(lead));
    }
    const res = await writeVersioned(
      {
        entity: IntakeReviewEntity,
        key: { reviewID: id },
        expectedVersion: version,
        set: {
          status: "resolved",
          decision: input.decision,
          ...(leadID ? { leadID } : {}),
          operationID,
          timeCreated: cur.timeCreated,
        },
        remove: ["payload"],
        audit: {
          recordID: id,
          recordType: "intake_review",
          action: `resolve.${input.decision}`,
          operationID,
          reason: note,
          changes: {
            status: { before: "open", after: "resolved" },
            ...(leadID ? { leadID: { after: leadID } } : {}),
          },
        },
        with: extra,
        guard: {
          where: (a, { eq }) => eq(a.status, "open"),
          refused: () => new RuleError("review.resolved", "This submission was already resolved"),
        },
      },
      async () => {
        const now = (await IntakeReviewEntity.get({ reviewID: id }).go({ consistent: true })).data;
        if (!now) return now;
        const { payload: _raw, ...rest } = now; // a conflict answer does not hand the raw submission back
        return rest;
      },
    );
    const { payload: _p, ...kept } = cur;
    return { ...kept, status: "resolved" as const, decision: input.decision, leadID, ...res };
  }

  /** Staff move a lead along: contacted, registered (after registration in the registry) or closed. */
  export const setLeadStatus = fn(
    Move.extend({ status: LeadStatus }),
    async ({ id, version, status, note }) => {
      const operationID = Actor.operationID();
      Actor.assert("intake.manage", { operationID });
      const cur = (await LeadEntity.get({ leadID: id }).go({ consistent: true })).data;
      if (!cur || cur.operationID !== operationID) throw new NotFoundError("lead", id);
      if (!LeadTransitions[cur.status].includes(status))
        throw new RuleError("lead.transition", `A lead cannot move from ${cur.status} to ${status}`);
      const res = await writeVersioned(
        {
          entity: LeadEntity,
          key: { leadID: id },
          expectedVersion: version,
          set: { status },
          audit: {
            recordID: id,
            recordType: "lead",
            action: `status.${status}`,
            operationID,
            reason: note,
            changes: { status: { before: cur.status, after: status } },
          },
        },
        async () => (await LeadEntity.get({ leadID: id }).go({ consistent: true })).data,
      );
      return { ...cur, status, ...res };
    },
  );

  export async function getForm(formID: string) {
    Actor.assert("intake.manage", { operationID: Actor.operationID() });
    const f = (await KoboFormEntity.get({ operationID: Actor.operationID(), formID }).go()).data;
    if (!f) throw new NotFoundError("kobo form", formID);
    return f;
  }

  /** The operation's Kobo forms (all, or those of one partner organisation), by form ID. */
  export async function listForms(organisationID?: string) {
    const operationID = Actor.operationID();
    Actor.assert("intake.manage", { operationID });
    const forms = (await KoboFormEntity.query.byOperation({ operationID }).go({ pages: "all" })).data;
    return forms.filter((f) => organisationID === undefined || f.organisationID === organisationID);
  }

  const Preview = z
    .object({
      mapping: KoboFormMapping,
      submission: z.record(z.string(), z.unknown()),
    })
    .strict();

  /**
   * What a mapping makes of a sample submission (nothing stored): the lead's fields and the issues that would
   * send the submission to review. Administrators test a mapping against a real payload before saving it.
   */
  export async function previewMapping(body: unknown) {
    Actor.assert("intake.manage", { operationID: Actor.operationID() });
    const parsed = Preview.safeParse(body);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const { mapping, submission } = parsed.data;
    return mapSubmission(submission, {
      fields: mapping.fields,
      phoneCountry: mapping.phoneCountry,
    } as Parameters<typeof mapSubmission>[1]);
  }

  const MAPPING_FIELDS = ["name", "fields", "phoneCountry", "programme", "organisationID"] as const;

  async function partnerOf(organisationID: string, operationID: string) {
    const org = (await OrganisationEntity.get({ organisationID }).go()).data;
    if (!org || org.operationID !== operationID)
      throw InvalidError.field("organisationID", "invalid.organisation", "No such partner organisation");
    return org;
  }

  /** Creates or replaces a form's mapping; a replacement is conditional on the version the admin edited. */
  export const putForm = fn(KoboFormMapping.extend({ formID: z.string().min(1).max(100) }), async (input) => {
    const operationID = Actor.operationID();
    Actor.assert("intake.manage", { operationID });
    const cur = (await KoboFormEntity.get({ operationID, formID: input.formID }).go({ consistent: true }))
      .data;
    const now = nowIso();
    const { version, ...doc } = input;
    if (doc.organisationID) await partnerOf(doc.organisationID, operationID);
    if (!cur) {
      const item = { ...doc, operationID, version: 1, timeCreated: now, timeUpdated: now };
      const tx = await transactWrite([
        { put: KoboFormEntity.create(item).params() },
        Audit.txItem({
          recordID: `kobo:${input.formID}`,
          recordType: "kobo_form",
          action: "create",
          operationID,
          changes: Audit.diff({}, doc, [...MAPPING_FIELDS]),
        }),
      ]);
      if (!tx.ok) throw new ConflictError(`Kobo form ${input.formID} was created by someone else`);
      return item;
    }
    const res = await writeVersioned(
      {
        entity: KoboFormEntity,
        key: { operationID, formID: input.formID },
        expectedVersion: version ?? cur.version,
        set: Object.fromEntries(MAPPING_FIELDS.filter((f) => doc[f] !== undefined).map((f) => [f, doc[f]])),
        // a field left out of the new mapping is cleared, as a replacement should
        remove: MAPPING_FIELDS.filter((f) => doc[f] === undefined && cur[f] !== undefined),
        audit: {
          recordID: `kobo:${input.formID}`,
          recordType: "kobo_form",
          action: "update",
          operationID,
          changes: Audit.diff(cur, doc, [...MAPPING_FIELDS]),
        },
      },
      async () =>
        (await KoboFormEntity.get({ operationID, formID: input.formID }).go({ consistent: true })).data,
    );
    return { ...cur, ...doc, ...res };
  });

  /**
   * A submission claimed before claims were per organisation (`operation#form#instance`): a duplicate only when
   * the lead or review it made came from the same organisation as this post.
   */
  async function legacyClaim(operationID: string, formID: string, instanceID: string) {
    const owner = await Unique.owner("kobo", `${operationID}#${formID}#${instanceID}`);
    if (!owner) return undefined;
    const made = owner.startsWith("led_")
      ? (await LeadEntity.get({ leadID: owner }).go()).data
      : (await IntakeReviewEntity.get({ reviewID: owner }).go()).data;
    const actor = Actor.use();
    return actor.type === "partner" && made?.organisationID === actor.organisationID ? owner : undefined;
  }

  export type IngestResult = { outcome: "created" | "queued" | "duplicate"; id: string };

  /**
   * One KoboToolbox REST Service submission. Idempotent on `meta/instanceID` (Kobo retries any non-2xx, and
   * `_uuid` changes when a submission is edited); a submission that cannot be mapped is queued for review, so
   * the partner's data is never refused or lost.
   */
  export async function ingestKobo(formID: string, payload: unknown): Promise<IngestResult> {
    const actor = Actor.assertPartnerScope("intake:kobo");
    const operationID = actor.operationID;
    const sub = (
      payload && typeof payload === "object" && !Array.isArray(payload) ? payload : { value: payload }
    ) as Record<string, unknown>;
    const instanceID =
      typeof sub["meta/instanceID"] === "string" && sub["meta/instanceID"]
        ? (sub["meta/instanceID"] as string).slice(0, 200)
        : `sha256:${createHash("sha256").update(canonicalJson(payload)).digest("hex")}`;
    // A form belongs to one organisation: the one its mapping names, or else the first whose key posted to it.
    // Another organisation's key may not post to it, so it can neither add submissions nor learn IDs.
    const form = (await KoboFormEntity.get({ operationID, formID }).go({ consistent: true })).data;
    const formKey = `${operationID}#${formID}`;
    const holder = form?.organisationID ?? (await Unique.owner("kobo.form", formKey));
    if (holder && holder !== actor.organisationID)
      throw new ForbiddenError("intake.form", "This form is posted by another organisation");
    // Instance IDs are claimed per organisation (and form).
    const unique = `${operationID}#${actor.organisationID}#${formID}#${instanceID}`;
    const seen = (await Unique.owner("kobo", unique)) ?? (await legacyClaim(operationID, formID, instanceID));
    if (seen) return { outcome: "duplicate", id: seen };

    const mapped = form
      ? await mapSubmission(sub, {
          name: form.name,
          fields: form.fields as never,
          phoneCountry: form.phoneCountry,
        })
      : {
          lead: {} as MappedLead,
          issues: [
            { path: "", code: "kobo.no_mapping", message: "This form has no field mapping yet" },
          ] as FieldIssue[],
        };
    const now = nowIso();
    let id: string;
    let items: TxItem[];
    if (mapped.issues.length === 0) {
      id = Identifier.create("lead");
      const lead = {
        ...mapped.lead,
        givenName: mapped.lead.givenName!,
        leadID: id,
        operationID,
        source: "kobo" as const,
        programme: form?.programme,
        organisationID: actor.organisationID,
        formID,
        instanceID,
        submittedAt: submissionTime(sub),
        status: "new" as const,
        possibleMatches: await matches(operationID, mapped.lead),
        version: 1,
        timeCreated: now,
        timeUpdated: now,
      };
      items = leadItems(lead);
    } else {
      id = Identifier.create("intakeReview");
      items = [
        {
          put: IntakeReviewEntity.create({
            reviewID: id,
            operationID,
            organisationID: actor.organisationID,
            formID,
            instanceID,
            issues: mapped.issues,
            payload: JSON.stringify(payload),
            status: "open",
            version: 1,
            timeCreated: now,
            timeUpdated: now,
          }).params(),
        },
        Audit.txItem({ recordID: id, recordType: "intake_review", action: "create", operationID }),
      ];
    }
    const bind = holder ? [] : [Unique.claim("kobo.form", formKey, actor.organisationID)];
    const tx = await transactWrite([Unique.claim("kobo", unique, id), ...bind, ...items]);
    if (!tx.ok) {
      const owner = await Unique.owner("kobo", unique);
      if (owner) return { outcome: "duplicate", id: owner };
      const nowHeld = await Unique.owner("kobo.form", formKey);
      if (nowHeld && nowHeld !== actor.organisationID)
        throw new ForbiddenError("intake.form", "This form is posted by another organisation");
      throw new ConflictError(
        "The submission could not be stored; Kobo will retry it",
        undefined,
        "kobo.retry",
      );
    }
    log.info(
      { formID, outcome: items.length && mapped.issues.length ? "queued" : "created", id },
      "kobo submission",
    );
    return { outcome: mapped.issues.length === 0 ? "created" : "queued", id };
  }
}
