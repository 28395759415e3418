import { Assessment } from "../../assessment/index.ts";
import { caseTarget, loadCase } from "../../case/store.ts";
import { Prefixes } from "../../common/id.ts";
import { CaseDocument } from "../../document/index.ts";
import { Incident } from "../../incident/index.ts";
import { Note } from "../../note/index.ts";
import type { Loaders } from "./types.ts";

export const loaders: Loaders = {
  [Prefixes.case]: async (id) => {
    const c = await loadCase(id);
    return c && { ...caseTarget(c), deleted: (c as { deleted?: boolean }).deleted };
  },
  [Prefixes.assessment]: async (id) => {
    const a = await Assessment.load(id);
    return a && { ...(await Assessment.targetOf(a)), deleted: a.deleted };
  },
  [Prefixes.note]: async (id) => {
    const n = await Note.load(id);
    return n && { ...(await Note.targetOf(n)), deleted: n.deleted };
  },
  [Prefixes.document]: async (id) => {
    const d = await CaseDocument.load(id);
    return d && { ...(await CaseDocument.targetOf(d)), deleted: d.deleted };
  },
  [Prefixes.incident]: async (id) => {
    const i = await Incident.load(id);
    return i && { ...Incident.target(i), deleted: i.deleted };
  },
};
