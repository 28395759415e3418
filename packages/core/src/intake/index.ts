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
import { ExportPurposeFields } from "@waypoint/schema/privacy";
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
import { assertPurpose, logExport } from "../privacy/export-log.ts";
import { IntakeReviewEntity, KoboFormEntity, LeadEntity } from "./intake.entity.ts";
import {
  answerChanges,
  flattenAnswers,
  mapSubmission,
  mappedAnswerPaths,
  submissionTime,
  type MappedLead,
} from "./kobo.ts";

export { valuesAt, mapSubmission, submissionTime, flattenAnswers, questionPath } from "./kobo.ts";

/**
 * Intake from outside the operation: the public expression-of-interest form and KoboToolbox REST Services.
 * Both create leads for identification; Kobo submissions that cannot be mapped wait in a review queue.
 */
export namespace Intake {
  /** The lead fields a Kobo mapping fills (an edit that maps sets or clears each of them). */
  const MAPPED_FIELDS = [
    "givenName",
    "familyName",
    "sex",
    "dateOfBirth",
    "birthYear",
    "estimatedAge",
    "nationality",
    "phone",
    "languages",
    "location",
    "householdSize",
    "members",
    "notes",
  ] as const;

  export function consent(lang: InterestLanguage) {
    return { language: lang, version: CONSENT_VERSION, text: ConsentTexts[lang] };
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
    const op = await Operation.byCode(input.operation);
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
    return { items: res.data.map(present), nextCursor: Cursor.sign(res.cursor, scope) };
  });

  type StoredLead = NonNullable<Awaited<ReturnType<ReturnType<typeof LeadEntity.get>["go"]>>["data"]>;

  /**
   * A lead as staff read it: its Kobo answers as `path → value`, and apart from them the answers no field of the
   * lead holds (`otherAnswers`: what reviewers must see, since the lead's fields do not show it).
   */
  export function present(l: StoredLead) {
    const { answers: raw, ...rest } = l;
    const answers = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const mapped = new Set(l.mappedPaths ?? []);
    return {
      ...rest,
      ...(answers
        ? {
            answers,
            otherAnswers: Object.fromEntries(Object.entries(answers).filter(([k]) => !mapped.has(k))),
          }
        : {}),
    };
  }

  export async function getLead(id: string) {
    Actor.assert("intake.read", { operationID: Actor.operationID() });
    const l = (await LeadEntity.get({ leadID: id }).go()).data;
    if (!l || l.operationID !== Actor.operationID()) throw new NotFoundError("lead", id);
    return present(l);
  }

  export const ExportQuery = z.object({
    kind: z.enum(["leads", "reviews"]).default("leads"),
    /** Why the file is made; leads already registered get it in their person's sharing log. */
    ...ExportPurposeFields,
  });

  const LEAD_COLUMNS = [
    "leadID",
    "source",
    "status",
    "programme",
    "formID",
    "instanceID",
    "koboID",
    "submittedAt",
    "timeCreated",
    ...MAPPED_FIELDS,
    "email",
  ] as const;

  /**
   * The operation's leads (with every Kobo answer, one column per question path) or the submissions waiting for
   * review (every answer of each), as CSV. Cells a spreadsheet would run as a formula are neutralised; the export
   * is audited before anything leaves.
   */
  export const exportCsv = fn(ExportQuery, async ({ kind, ...why }) => {
    const operationID = Actor.operationID();
    Actor.assert(kind === "leads" ? "intake.read" : "intake.manage", { operationID });
    assertPurpose(why);
    const { safeCell } = await import("../export/text.ts");
    const cell = (v: unknown) => {
      const t = safeCell(v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));
      return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
    };
    let head: string[];
    let rows: Record<string, unknown>[];
    let answerKeys: string[];
    const registered: string[] = [];
    if (kind === "leads") {
      const leads = (
        await LeadEntity.query.byOperation({ operationID }).go({ pages: "all", order: "desc" })
      ).data.map(present);
      answerKeys = [...new Set(leads.flatMap((l) => Object.keys(l.answers ?? {})))];
      head = [...LEAD_COLUMNS];
      for (const l of leads) if (l.individualID) registered.push(l.individualID);
      rows = leads.map((l) => ({
        ...Object.fromEntries(LEAD_COLUMNS.map((c) => [c, (l as Record<string, unknown>)[c]])),
        ...l.answers,
      }));
    } else {
      const reviews = (
        await IntakeReviewEntity.query
          .byOperation({ operationID })
          .begins({ status: "open" })
          .go({ pages: "all" })
      ).data;
      const flat = reviews.map((r) => ({
        r,
        answers: r.payload ? flattenAnswers(JSON.parse(r.payload) as Record<string, unknown>) : {},
      }));
      answerKeys = [...new Set(flat.flatMap((f) => Object.keys(f.answers)))];
      head = ["reviewID", "formID", "instanceID", "koboID", "issues", "timeCreated"];
      rows = flat.map(({ r, answers }) => ({
        reviewID: r.reviewID,
        formID: r.formID,
        instanceID: r.instanceID,
        koboID: r.koboID,
        issues: (r.issues as FieldIssue[]).map((i) => i.code).join(" "),
        timeCreated: r.timeCreated,
        ...answers,
      }));
    }
    const lines = [[...head, ...answerKeys.map((k) => `answer:${k}`)].map(cell).join(",")];
    for (const row of rows)
      lines.push([...head.map((h) => row[h]), ...answerKeys.map((k) => row[k])].map(cell).join(","));
    await Audit.record({
      recordID: `intake:${kind}`,
      recordType: "intake_export",
      action: "export",
      operationID,
      reason: `rows=${rows.length}`,
    });
    // the file names the people behind the leads: those registered since get it in their sharing log
    if (kind === "leads") await logExport({ kind: "intake_leads", format: "csv", ...why }, registered);
    const fileName = `${kind}-${new Date().toISOString().slice(0, 10)}.csv`;
    const text = `\uFEFF${lines.join("\r\n")}\r\n`;
    // on AWS through the bucket (a 60-second link), never in a Lambda body
    const { ObjectStore } = await import("../export/store.ts");
    const { Readable } = await import("node:stream");
    const link = await ObjectStore.offload(Readable.from([Buffer.from(text)]), {
      fileName,
      contentType: "text/csv; charset=utf-8",
    });
    return link ? { fileName, link } : { fileName, text };
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
        // every answer of the submission stays with the lead: the raw submission is deleted below
        ...(cur.payload
          ? { answers: JSON.stringify(flattenAnswers(JSON.parse(cur.payload) as Record<string, unknown>)) }
          : {}),
        ...(cur.koboID ? { koboID: cur.koboID } : {}),
        ...(cur.history ? { history: cur.history } : {}),
        mappedPaths: [],
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

  /**
   * Someone who manages intake has looked at an edit flagged for review (one that arrived after the lead was
   * registered or closed, or no longer maps) and applied what was needed by hand: the flag goes, audited.
   */
  export const clearFlag = fn(Move, async ({ id, version, note }) => {
    const operationID = Actor.operationID();
    Actor.assert("intake.manage", { operationID });
    const cur = (await LeadEntity.get({ leadID: id }).go({ consistent: true })).data;
    if (!cur || cur.operationID !== operationID) throw new NotFoundError("lead", id);
    if (!cur.reviewFlag) throw new RuleError("lead.not_flagged", "This lead has no edit waiting for review");
    const res = await writeVersioned(
      {
        entity: LeadEntity,
        key: { leadID: id },
        expectedVersion: version,
        set: {},
        remove: ["reviewFlag"],
        audit: {
          recordID: id,
          recordType: "lead",
          action: "kobo.edit.reviewed",
          operationID,
          reason: note,
          changes: { reviewFlag: { before: (cur.reviewFlag as { reason?: string }).reason } },
        },
      },
      async () => (await LeadEntity.get({ leadID: id }).go({ consistent: true })).data,
    );
    const { reviewFlag: _f, ...rest } = cur;
    return present({ ...rest, ...res });
  });

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
    return mapSubmission(
      submission,
      { fields: mapping.fields, phoneCountry: mapping.phoneCountry } as Parameters<typeof mapSubmission>[1],
      Actor.operationID(),
    );
  }

  const MAPPING_FIELDS = ["name", "fields", "phoneCountry", "programme", "organisationID"] as const;

  async function partnerOf(organisationID: string, operationID: string) {
    const org = (await OrganisationEntity.get({ organisationID }).go()).data;
    if (!org || org.operationID !== operationID)
      throw InvalidError.field("organisationID", "invalid.organisation", "No such partner organisation");
    return org;
  }

  /** A `fields.<key>` target must be an active configured field of individuals (not a repeating group). */
  async function checkConfiguredTargets(operationID: string, fields: Record<string, { field: string }>) {
    const targets = Object.entries(fields).filter(([, m]) => m.field.startsWith("fields."));
    if (targets.length === 0) return;
    const { FieldValues } = await import("../fields/values.ts");
    await FieldValues.ready(operationID);
    const defs = new Map(FieldValues.definitions("individual", operationID).map((d) => [d.key, d]));
    const issues = targets
      .filter(([, m]) => {
        const d = defs.get(m.field.slice(7));
        return !d || d.status !== "active" || d.type === "group";
      })
      .map(([path]) => ({
        path: `fields.${path}.field`,
        code: "invalid.unknown_field",
        message: "is not an active configured field of individuals",
      }));
    if (issues.length) throw new InvalidError(issues);
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
    await checkConfiguredTargets(operationID, doc.fields);
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

  interface EditContext {
    operationID: string;
    formID: string;
    instanceID: string;
    deprecatedID?: string;
    koboID?: string;
    /** The claim of the edit's own instance ID (so Kobo's retries of the edit are duplicates). */
    unique: string;
    /** `operation#organisation#form`: the scope of instance and submission IDs. */
    scopeKey: string;
    form?: { name: string; fields: unknown; phoneCountry?: string; programme?: string };
  }

  async function mapWith(sub: Record<string, unknown>, form: EditContext["form"], operationID: string) {
    return form
      ? mapSubmission(
          sub,
          { name: form.name, fields: form.fields as never, phoneCountry: form.phoneCountry },
          operationID,
        )
      : {
          lead: {} as MappedLead,
          issues: [
            { path: "", code: "kobo.no_mapping", message: "This form has no field mapping yet" },
          ] as FieldIssue[],
        };
  }

  const editClaims = (ctx: EditContext, owner: string, hadKoboID: boolean): TxItem[] => [
    Unique.claim("kobo", ctx.unique, owner),
    ...(ctx.koboID && !hadKoboID ? [Unique.claim("kobo.id", `${ctx.scopeKey}#${ctx.koboID}`, owner)] : []),
  ];

  /**
   * Kobo's edit of a submission already received. A lead still being worked (new, contacted) takes the edited
   * answers into its fields; a lead already registered or closed keeps its fields (the registered person is not
   * overwritten behind staff's back) and is flagged for review; a submission waiting for review takes the edited
   * payload (and becomes a lead if it now maps). Every edit is kept in the intake's history with what changed.
   */
  async function applyEdit(
    owner: string,
    sub: Record<string, unknown>,
    ctx: EditContext,
  ): Promise<IngestResult> {
    const now = nowIso();
    const answers = flattenAnswers(sub);
    if (!owner.startsWith("led_")) {
      const cur = (await IntakeReviewEntity.get({ reviewID: owner }).go({ consistent: true })).data;
      if (!cur)
        throw new ConflictError(
          "The submission could not be stored; Kobo will retry it",
          undefined,
          "kobo.retry",
        );
      // resolved into a lead: the edit goes to that lead
      if (cur.status === "resolved" && cur.decision === "lead" && cur.leadID)
        return applyEdit(cur.leadID, sub, ctx);
      const before = cur.payload ? flattenAnswers(JSON.parse(cur.payload) as Record<string, unknown>) : {};
      const changes = answerChanges(before, answers);
      const mapped = await mapWith(sub, ctx.form, ctx.operationID);
      const entry = {
        time: now,
        instanceID: ctx.instanceID,
        deprecatedID: ctx.deprecatedID,
        changes,
        applied: true,
      };
      const history = [...((cur.history as unknown[]) ?? []), entry];
      const extra: TxItem[] = editClaims(ctx, owner, Boolean(cur.koboID));
      let leadID: string | undefined;
      const open = cur.status === "open";
      if (open && mapped.issues.length === 0) {
        // the edit fixed what kept it from mapping: it becomes the lead it should have been
        leadID = Identifier.create("lead");
        extra.push(
          ...leadItems({
            ...mapped.lead,
            givenName: mapped.lead.givenName!,
            leadID,
            operationID: ctx.operationID,
            source: "kobo" as const,
            programme: ctx.form?.programme,
            organisationID: cur.organisationID,
            formID: ctx.formID,
            instanceID: ctx.instanceID,
            submittedAt: submissionTime(sub),
            koboID: ctx.koboID ?? cur.koboID,
            answers: JSON.stringify(answers),
            mappedPaths: ctx.form ? mappedAnswerPaths(answers, ctx.form as never) : [],
            history,
            status: "new" as const,
            possibleMatches: await matches(ctx.operationID, mapped.lead),
            version: 1,
            timeCreated: now,
            timeUpdated: now,
          }),
        );
      }
      await writeVersioned(
        {
          entity: IntakeReviewEntity,
          key: { reviewID: owner },
          expectedVersion: cur.version,
          set: {
            instanceID: ctx.instanceID,
            ...(ctx.koboID ? { koboID: ctx.koboID } : {}),
            history,
            operationID: cur.operationID,
            timeCreated: cur.timeCreated,
            ...(leadID
              ? { status: "resolved" as const, decision: "lead" as const, leadID, issues: [] }
              : {
                  // a discarded submission edited in Kobo comes back to the queue: someone decides again
                  status: "open" as const,
                  issues: open
                    ? mapped.issues
                    : [
                        ...mapped.issues,
                        {
                          path: "",
                          code: "kobo.edited_after_discard",
                          message: "Edited in Kobo after it was discarded",
                        },
                      ],
                  payload: JSON.stringify(sub),
                }),
          },
          ...(leadID ? { remove: ["payload" as const] } : {}),
          audit: {
            recordID: owner,
            recordType: "intake_review",
            action: "kobo.edit",
            operationID: cur.operationID,
            changes: {
              ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [`answers.${k}`, v])),
              ...(leadID ? { leadID: { after: leadID } } : {}),
            },
          },
          with: extra,
        },
        async () => (await IntakeReviewEntity.get({ reviewID: owner }).go({ consistent: true })).data,
      );
      return { outcome: "updated", id: leadID ?? owner };
    }
    const cur = (await LeadEntity.get({ leadID: owner }).go({ consistent: true })).data;
    if (!cur)
      throw new ConflictError(
        "The submission could not be stored; Kobo will retry it",
        undefined,
        "kobo.retry",
      );
    const before = cur.answers ? (JSON.parse(cur.answers) as Record<string, unknown>) : {};
    const changes = answerChanges(before, answers);
    const mapped = await mapWith(sub, ctx.form, ctx.operationID);
    const accepted = cur.status === "registered" || cur.status === "closed";
    const apply = !accepted && mapped.issues.length === 0;
    const next: Record<string, unknown> = apply ? { ...mapped.lead } : {};
    const fieldChanges = apply ? Audit.diff(cur, next, [...MAPPED_FIELDS, "fields"]) : {};
    const entry = {
      time: now,
      instanceID: ctx.instanceID,
      deprecatedID: ctx.deprecatedID,
      changes,
      applied: apply,
      ...(apply ? { fields: fieldChanges } : {}),
      ...(mapped.issues.length ? { issues: mapped.issues } : {}),
    };
    const flag = apply
      ? undefined
      : {
          reason: accepted ? "edited_after_acceptance" : "edit_not_mapped",
          time: now,
          instanceID: ctx.instanceID,
          ...(mapped.issues.length ? { issues: mapped.issues } : {}),
        };
    await writeVersioned(
      {
        entity: LeadEntity,
        key: { leadID: owner },
        expectedVersion: cur.version,
        set: {
          instanceID: ctx.instanceID,
          ...(ctx.koboID ? { koboID: ctx.koboID } : {}),
          answers: JSON.stringify(answers),
          history: [...((cur.history as unknown[]) ?? []), entry],
          ...(submissionTime(sub) ? { submittedAt: submissionTime(sub) } : {}),
          ...(flag ? { reviewFlag: flag } : {}),
          ...(apply
            ? {
                ...Object.fromEntries(
                  MAPPED_FIELDS.filter((f) => next[f] !== undefined).map((f) => [f, next[f]]),
                ),
                ...(next.fields ? { fields: next.fields } : {}),
                mappedPaths: ctx.form ? mappedAnswerPaths(answers, ctx.form as never) : [],
                possibleMatches: await matches(ctx.operationID, mapped.lead),
              }
            : {}),
          operationID: cur.operationID,
          timeCreated: cur.timeCreated,
        },
        ...(apply
          ? {
              remove: [
                ...MAPPED_FIELDS.filter(
                  (f) => f !== "givenName" && next[f] === undefined && cur[f] !== undefined,
                ),
                ...(!next.fields && cur.fields !== undefined ? (["fields"] as const) : []),
              ],
            }
          : {}),
        audit: {
          recordID: owner,
          recordType: "lead",
          action: apply ? "kobo.edit" : "kobo.edit.flagged",
          operationID: cur.operationID,
          changes: {
            ...fieldChanges,
            ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [`answers.${k}`, v])),
          },
        },
        with: editClaims(ctx, owner, Boolean(cur.koboID)),
      },
      async () => (await LeadEntity.get({ leadID: owner }).go({ consistent: true })).data,
    );
    log.info(
      { formID: ctx.formID, outcome: apply ? "updated" : "flagged", id: owner },
      "kobo submission edited",
    );
    return { outcome: "updated", id: owner };
  }

  export type IngestResult = { outcome: "created" | "queued" | "updated" | "duplicate"; id: string };

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

    // An edit in Kobo keeps the submission's `_id` and names the instance it replaces in `meta/deprecatedID`:
    // it updates the intake that instance made (recording what changed), never a second one.
    const koboID =
      typeof sub._id === "string" || typeof sub._id === "number" ? String(sub._id).slice(0, 100) : undefined;
    const deprecatedID =
      typeof sub["meta/deprecatedID"] === "string"
        ? (sub["meta/deprecatedID"] as string).slice(0, 200)
        : undefined;
    const scopeKey = `${operationID}#${actor.organisationID}#${formID}`;
    const earlier =
      (deprecatedID ? await Unique.owner("kobo", `${scopeKey}#${deprecatedID}`) : undefined) ??
      (koboID ? await Unique.owner("kobo.id", `${scopeKey}#${koboID}`) : undefined);
    if (earlier)
      return applyEdit(earlier, sub, {
        operationID,
        formID,
        instanceID,
        deprecatedID,
        koboID,
        unique,
        scopeKey,
        form: form ?? undefined,
      });

    const mapped = form
      ? await mapSubmission(
          sub,
          { name: form.name, fields: form.fields as never, phoneCountry: form.phoneCountry },
          operationID,
        )
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
        koboID,
        answers: JSON.stringify(flattenAnswers(sub)),
        mappedPaths: form ? mappedAnswerPaths(flattenAnswers(sub), form as never) : [],
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
            koboID,
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
    const byKoboID = koboID ? [Unique.claim("kobo.id", `${scopeKey}#${koboID}`, id)] : [];
    const tx = await transactWrite([Unique.claim("kobo", unique, id), ...byKoboID, ...bind, ...items]);
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
