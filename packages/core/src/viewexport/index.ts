import { ViewExportRequest, type ExportableViews } from "@waypoint/schema/viewexport";
import type { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { InvalidError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import type { Action } from "../permissions.ts";

/** The export permission each grid collection needs: registry data vs finance and relocation reports. */
const ActionFor: Record<(typeof ExportableViews)[number], Action> = {
  individuals: "registry.export",
  households: "registry.export",
  cases: "registry.export",
  referrals: "registry.export",
  appointments: "registry.export",
  payees: "report.export",
  payments: "report.export",
  "payment-batches": "report.export",
  "relocation-trips": "report.export",
  relocations: "report.export",
};

/**
 * Exports the admin app builds in the browser (the current grid view as CSV or XLSX). The browser asks here
 * first: the export permission is checked and the export is audited (who, which collection, how many rows,
 * which fields) before any file exists. A refusal means no file.
 */
export namespace ViewExport {
  export async function record(input: z.input<typeof ViewExportRequest>): Promise<{ ok: true }> {
    const parsed = ViewExportRequest.safeParse(input);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const { resource, format, rowCount, fields } = parsed.data;
    Actor.assert(ActionFor[resource]);
    const operationID = Actor.operationID();
    await Audit.record({
      recordID: `${operationID}:${resource}`,
      recordType: "export",
      action: "export.view",
      operationID,
      changes: { format: { after: format }, rowCount: { after: rowCount }, fields: { after: fields } },
    });
    return { ok: true };
  }
}
