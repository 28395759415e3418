import { CodeListCreate, CodeListUpdate, type Code, type CodeList } from "@waypoint/schema/fields";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWrite } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError, type FieldIssue } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { writeVersioned } from "../common/record.ts";
import { FieldCache } from "../fields/cache.ts";
import { Fields } from "../fields/index.ts";
import { builtInList } from "./builtin.ts";
import { CodeListEntity } from "./codelist.entity.ts";

/**
 * An operation's code lists: its own (embassies, SOP annexes…) and the built-in ones it extends (specific needs,
 * document types, service categories, incident kinds). Admins add, translate and retire codes; codes are never
 * removed, and the built-in codes reports depend on are never retired.
 */
export namespace CodeLists {
  const strip = (l: Record<string, unknown>): CodeList => {
    const { pk: _pk, sk: _sk, createdBy: _c, ...rest } = l;
    return rest as CodeList;
  };

  export async function list(): Promise<{ items: CodeList[] }> {
    Actor.assert("field.read");
    const entry = await FieldCache.load(Actor.operationID());
    return { items: [...entry.lists.values()].sort((a, b) => a.listKey.localeCompare(b.listKey)) };
  }

  async function load(operationID: string, listKey: string, consistent = false): Promise<CodeList | undefined> {
    const r = await CodeListEntity.get({ operationID, listKey }).go({ consistent });
    if (r.data) return strip(r.data as Record<string, unknown>);
    return builtInList(operationID, listKey);
  }

  export async function get(listKey: string): Promise<CodeList> {
    Actor.assert("field.read");
    const l = await load(Actor.operationID(), listKey);
    if (!l) throw new NotFoundError("code list", listKey);
    return l;
  }

  export async function create(input: CodeListCreate): Promise<CodeList> {
    Actor.assert("field.manage");
    const r = CodeListCreate.safeParse(input);
    if (!r.success) throw new InvalidError(toFieldIssues(r.error));
    const v = r.data;
    const operationID = Actor.operationID();
    if (builtInList(operationID, v.listKey))
      throw InvalidError.field("listKey", "invalid.taken", "is a built-in list: add codes to it instead");
    const now = nowIso();
    const list = {
      operationID,
      listKey: v.listKey,
      labels: v.labels,
      codes: v.codes.map((c) => ({ ...c, retired: false })),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
      createdBy: Actor.id(),
    };
    const tx = await transactWrite([
      { put: CodeListEntity.create(list).params() },
      Fields.bumpRevision(operationID),
      Audit.txItem({
        recordID: `codelist.${v.listKey}`,
        recordType: "codelist",
        action: "create",
        operationID,
        changes: { codes: { after: list.codes.map((c) => c.code) } },
      }),
    ]);
    FieldCache.forget(operationID);
    if (!tx.ok) throw InvalidError.field("listKey", "invalid.taken", "is already a code list of this operation");
    return strip(list);
  }

  /** Adds, re-labels, retires or restores codes (by code), or re-labels the list; a new version each time. */
  export async function update(listKey: string, input: CodeListUpdate): Promise<CodeList> {
    Actor.assert("field.manage");
    const r = CodeListUpdate.safeParse(input);
    if (!r.success) throw new InvalidError(toFieldIssues(r.error));
    const { version, changes } = r.data;
    const operationID = Actor.operationID();
    const current = await load(operationID, listKey, true);
    if (!current) throw new NotFoundError("code list", listKey);
    if (current.version !== version)
      throw new ConflictError(`code list ${listKey} was changed by someone else`, current);
    const codes: Code[] = current.codes.map((c) => ({ ...c }));
    const issues: FieldIssue[] = [];
    (changes.codes ?? []).forEach((c, i) => {
      const at = codes.find((x) => x.code.toLowerCase() === c.code.toLowerCase());
      if (!at) {
        if (!c.labels) {
          issues.push({ path: `changes.codes.${i}.labels`, code: "invalid.required", message: "a new code needs its labels" });
          return;
        }
        codes.push({ code: c.code, labels: c.labels, retired: c.retired ?? false });
        return;
      }
      if (c.labels) at.labels = c.labels;
      if (c.retired !== undefined) {
        if (at.builtIn && c.retired)
          issues.push({
            path: `changes.codes.${i}.retired`,
            code: "invalid.built_in",
            message: "is a built-in code reports depend on: it cannot be retired",
          });
        else at.retired = c.retired;
      }
    });
    if (issues.length) throw new InvalidError(issues);
    const labels = changes.labels ?? current.labels;
    const audit = {
      recordID: `codelist.${listKey}`,
      recordType: "codelist",
      action: "update",
      operationID,
      changes: Audit.diff({ codes: current.codes, labels: current.labels }, { codes, labels }, ["codes", "labels"]),
    };
    const now = nowIso();
    if (!(await CodeListEntity.get({ operationID, listKey }).go({ consistent: true })).data) {
      // the first change of a built-in list stores it whole (its built-in codes with it)
      const list = {
        operationID,
        listKey,
        labels,
        codes,
        builtIn: true,
        version: version + 1,
        timeCreated: now,
        timeUpdated: now,
        createdBy: Actor.id(),
      };
      const tx = await transactWrite([
        { put: CodeListEntity.create(list).params() },
        Fields.bumpRevision(operationID),
        Audit.txItem(audit),
      ]);
      FieldCache.forget(operationID);
      if (!tx.ok) throw new ConflictError(`code list ${listKey} was changed by someone else`, await load(operationID, listKey, true));
      return strip(list);
    }
    const res = await writeVersioned(
      {
        entity: CodeListEntity,
        key: { operationID, listKey },
        expectedVersion: version,
        set: { labels, codes },
        audit,
        with: [Fields.bumpRevision(operationID)],
      },
      () => load(operationID, listKey, true),
    );
    FieldCache.forget(operationID);
    return { ...current, labels, codes, ...res };
  }
}
