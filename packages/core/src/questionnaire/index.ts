import {
  builtInQuestionnaire,
  checkAndScore,
  definitionIssues,
  explainScore,
  QuestionnaireDefinition,
  QuestionnaireKey,
  QuestionnaireKeys,
  type GivenAnswer,
  type QuestionnaireInfo,
  type QuestionnaireScore,
  type QuestionnaireSummary,
  type ScoreExplanation,
} from "@waypoint/schema/questionnaire";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { writeVersioned } from "../common/record.ts";
import { QuestionnaireEntity } from "./questionnaire.entity.ts";

/**
 * The operation's questionnaires, versioned. Version 1 of each is the built-in definition (served as is while the
 * operation has none of its own, stored as a copy when the first new version is made, so later releases never
 * change what version 1 scored). A new version starts as a draft, which an admin may rewrite; once published it is
 * never written again, and the newest published version is the one new records are answered with. Records keep
 * the version they were answered with and are scored by it.
 */
export namespace Questionnaire {
  export type Info = QuestionnaireInfo;

  const recordID = (key: string, n: number) => `${Actor.operationID()}/${key}/${n}`;

  function builtIn(operationID: string, key: QuestionnaireKey): Info {
    return {
      ...builtInQuestionnaire(key),
      operationID,
      questionnaireKey: key,
      questionnaireVersion: 1,
      status: "published",
      builtIn: true,
      createdBy: "system:built-in",
      version: 1,
      timeCreated: "2026-01-01T00:00:00.000Z",
      timeUpdated: "2026-01-01T00:00:00.000Z",
    };
  }

  /** Every version of one questionnaire of an operation, oldest first (the built-in first when none is stored). */
  async function versionsOf(operationID: string, key: QuestionnaireKey): Promise<Info[]> {
    const res = await QuestionnaireEntity.query
      .primary({ operationID, questionnaireKey: key })
      .go({ pages: "all" });
    const stored = (res.data as Info[])
      .filter((q) => q.questionnaireKey === key)
      .sort((a, b) => a.questionnaireVersion - b.questionnaireVersion);
    return stored.some((q) => q.questionnaireVersion === 1) ? stored : [builtIn(operationID, key), ...stored];
  }

  const currentOf = (versions: Info[]) =>
    versions.filter((v) => v.status === "published").at(-1) ?? versions[0]!;

  function parseKey(key: string): QuestionnaireKey {
    const k = QuestionnaireKey.safeParse(key);
    if (!k.success) throw new NotFoundError("questionnaire", key);
    return k.data;
  }

  /** Staff of the operation read its questionnaires (the forms are drawn from them); nothing personal is in them. */
  function reader(): string {
    const actor = Actor.use();
    if (actor.type !== "system") Actor.user();
    return Actor.operationID();
  }

  export async function list(): Promise<QuestionnaireSummary[]> {
    const operationID = reader();
    return Promise.all(
      QuestionnaireKeys.map(async (key) => {
        const versions = await versionsOf(operationID, key);
        const current = currentOf(versions);
        const draft = versions.filter((v) => v.status === "draft").at(-1);
        return {
          questionnaireKey: key,
          labels: current.labels,
          currentVersion: current.questionnaireVersion,
          ...(draft ? { draftVersion: draft.questionnaireVersion } : {}),
          versions: versions.map((v) => ({
            questionnaireVersion: v.questionnaireVersion,
            status: v.status,
            ...(v.publishedAt ? { publishedAt: v.publishedAt } : {}),
            ...(v.builtIn ? { builtIn: true } : {}),
          })),
        };
      }),
    );
  }

  /** One version (`current` for the newest published one). */
  export async function get(key: string, n: number | "current"): Promise<Info> {
    const operationID = reader();
    const k = parseKey(key);
    const versions = await versionsOf(operationID, k);
    const found = n === "current" ? currentOf(versions) : versions.find((v) => v.questionnaireVersion === n);
    if (!found) throw new NotFoundError("questionnaire", `${key}/${n}`);
    return found;
  }

  function checkDefinition(d: QuestionnaireDefinition, prefix = "") {
    const issues = definitionIssues(d);
    if (issues.length) throw new InvalidError(issues.map((i) => ({ ...i, path: `${prefix}${i.path}` })));
  }

  export const CreateInput = QuestionnaireDefinition.extend({ questionnaireKey: QuestionnaireKey });
  /**
   * A new draft version, after the newest one (version 2 the first time, when the built-in version 1 is stored
   * beside it). Two admins saving at once both get a number: the second write of the same number fails (409).
   */
  export const createVersion = fn(CreateInput, async ({ questionnaireKey, ...definition }): Promise<Info> => {
    Actor.assert("questionnaire.manage");
    const operationID = Actor.operationID();
    checkDefinition(definition);
    const versions = await versionsOf(operationID, questionnaireKey);
    const now = nowIso();
    const n = versions.at(-1)!.questionnaireVersion + 1;
    const item: Info = {
      ...definition,
      operationID,
      questionnaireKey,
      questionnaireVersion: n,
      status: "draft",
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const first = versions[0]!;
    await transactWriteOrConflict([
      // the built-in version 1 is kept as it is today, so the assessments it scored keep their score
      ...(first.builtIn ? [{ put: QuestionnaireEntity.create({ ...first, timeCreated: now, timeUpdated: now } as never).params() }] : []),
      { put: QuestionnaireEntity.create(item as never).params() },
      Audit.txItem({
        recordID: recordID(questionnaireKey, n),
        recordType: "questionnaire",
        action: "create",
        operationID,
      }),
    ]);
    return item;
  });

  export const EditInput = z.object({
    questionnaireKey: QuestionnaireKey,
    questionnaireVersion: z.number().int().min(1),
    version: z.number().int().min(1),
    definition: QuestionnaireDefinition,
  });
  /** Rewrites a draft. A published version is refused: make a new version instead. */
  export const editDraft = fn(EditInput, async ({ questionnaireKey, questionnaireVersion, version, definition }) => {
    Actor.assert("questionnaire.manage");
    checkDefinition(definition, "definition.");
    const cur = await get(questionnaireKey, questionnaireVersion);
    assertDraft(cur);
    const res = await write(cur, version, { ...definition }, "update");
    return { ...cur, ...definition, ...res } as Info;
  });

  function assertDraft(cur: Info) {
    if (cur.status !== "draft")
      throw new RuleError(
        "questionnaire.published",
        "A published questionnaire version never changes: make a new version",
      );
  }

  function write(cur: Info, version: number, set: Record<string, unknown>, action: string) {
    return writeVersioned(
      {
        entity: QuestionnaireEntity,
        key: {
          operationID: cur.operationID,
          questionnaireKey: cur.questionnaireKey,
          questionnaireVersion: cur.questionnaireVersion as never,
        },
        expectedVersion: version,
        set,
        audit: {
          recordID: recordID(cur.questionnaireKey, cur.questionnaireVersion),
          recordType: "questionnaire",
          action,
          operationID: cur.operationID,
          ...(set.status ? { changes: { status: { before: cur.status, after: set.status } } } : {}),
        },
        // the stored draft must still be a draft: a publish racing an edit leaves the published text as it was
        guard: {
          where: (attr: { status: unknown }, op: { eq: (a: unknown, v: unknown) => string }) =>
            op.eq(attr.status, "draft"),
          refused: () =>
            new RuleError("questionnaire.published", "A published questionnaire version never changes: make a new version"),
        },
        view: async (stored: Info) => stored,
      },
      async () =>
        (
          await QuestionnaireEntity.get({
            operationID: cur.operationID,
            questionnaireKey: cur.questionnaireKey,
            questionnaireVersion: cur.questionnaireVersion as never,
          }).go({ consistent: true })
        ).data ?? undefined,
    );
  }

  export const PublishInput = z.object({
    questionnaireKey: QuestionnaireKey,
    questionnaireVersion: z.number().int().min(1),
    version: z.number().int().min(1),
  });
  /** Publishes a draft: from now on new records are answered with it. */
  export const publish = fn(PublishInput, async ({ questionnaireKey, questionnaireVersion, version }) => {
    Actor.assert("questionnaire.manage");
    const versions = await versionsOf(Actor.operationID(), questionnaireKey);
    const cur = versions.find((v) => v.questionnaireVersion === questionnaireVersion);
    if (!cur) throw new NotFoundError("questionnaire", `${questionnaireKey}/${questionnaireVersion}`);
    assertDraft(cur);
    if (currentOf(versions).questionnaireVersion > questionnaireVersion)
      throw new RuleError("questionnaire.superseded", "A newer version is already published");
    const set = { status: "published", publishedAt: nowIso(), publishedBy: Actor.id() };
    const res = await write(cur, version, set, "publish");
    return { ...cur, ...set, ...res } as Info;
  });

  /**
   * The version records of `key` are answered with: `n` when given (a published version: a form opened before a
   * newer one was published still scores by what it showed), the current one otherwise. Internal: no permission
   * beyond working in the operation.
   */
  export async function forAnswering(key: QuestionnaireKey, n?: number, path = "questionnaireVersion"): Promise<Info> {
    const versions = await versionsOf(Actor.operationID(), key);
    if (n === undefined) return currentOf(versions);
    const v = versions.find((x) => x.questionnaireVersion === n && x.status === "published");
    if (!v) throw InvalidError.field(path, "invalid.questionnaireVersion", "No published version with this number");
    return v;
  }

  /** The version a record was answered with (drafts included: it is what the record says). */
  export async function version(key: QuestionnaireKey, n: number): Promise<Info> {
    const v = (await versionsOf(Actor.operationID(), key)).find((x) => x.questionnaireVersion === n);
    if (!v) throw new NotFoundError("questionnaire", `${key}/${n}`);
    return v;
  }

  /** Checks and scores answers by a version; bad answers are a 422 with `answers.<questionID>` paths. */
  export function score(q: Info, answers: readonly GivenAnswer[], prefix = ""): QuestionnaireScore {
    const { issues, result } = checkAndScore(q, answers, prefix);
    if (issues.length) throw new InvalidError(issues);
    return result;
  }

  export function explain(q: Info, answers: readonly GivenAnswer[]): ScoreExplanation {
    return {
      questionnaireKey: q.questionnaireKey,
      questionnaireVersion: q.questionnaireVersion,
      ...explainScore(q, answers),
    };
  }
}
