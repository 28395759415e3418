import { Assessment } from "../../assessment/index.ts";
import { Case } from "../../case/index.ts";
import { Prefixes } from "../../common/id.ts";
import { CaseDocument } from "../../document/index.ts";
import { Incident } from "../../incident/index.ts";
import { Note } from "../../note/index.ts";
import { type Loaders, viaGet } from "./types.ts";

/** Each through its module's own read: access follows the case as it is now; restricted reads are audited. */
export const loaders: Loaders = {
  [Prefixes.case]: viaGet((id) => Case.get(id)),
  [Prefixes.assessment]: viaGet((id) => Assessment.get(id)),
  [Prefixes.note]: viaGet((id) => Note.get(id)),
  [Prefixes.document]: viaGet((id) => CaseDocument.get(id)),
  [Prefixes.incident]: viaGet((id) => Incident.get(id)),
};
