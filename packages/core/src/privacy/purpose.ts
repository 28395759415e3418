import { InvalidError } from "../common/errors.ts";

/**
 * The purpose of an export that names people (purpose limitation; @waypoint/schema/privacy `ExportPurposes`),
 * checked before anything is made: `other` needs the purpose in words. The codes themselves are checked by the
 * request's schema. Call it first in every such export, so a refused request leaves nothing behind.
 */
export function assertPurpose(meta: { purpose?: string; purposeOther?: string }): void {
  if (meta.purpose === "other" && !meta.purposeOther?.trim())
    throw InvalidError.field(
      "purposeOther",
      "export.purpose_other_required",
      "Say what the file is for when the purpose is other",
    );
}
