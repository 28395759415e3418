import { z } from "zod";
import { ExportPurposeFields } from "./privacy.ts";

/** Grid collections the admin app can export, each checked against its export permission in core. */
export const ExportableViews = [
  "individuals",
  "households",
  "cases",
  "referrals",
  "appointments",
  "payees",
  "payments",
  "payment-batches",
  "relocation-trips",
  "relocations",
] as const;

/** What the browser declares before it writes a CSV/XLSX of the current grid view (audited, permission-checked). */
export const ViewExportRequest = z.object({
  resource: z.enum(ExportableViews),
  format: z.enum(["csv", "xlsx"]),
  rowCount: z.number().int().min(0),
  fields: z.array(z.string().max(100)).max(200),
  /**
   * The IDs of the exported rows (the collection's records, in file order): the people they hold get the export in
   * their sharing log. Rows of collections without people (trips, batches) need none.
   */
  ids: z.array(z.string().max(64)).max(200_000).optional(),
  /** Why the file is made and for whom (kept in each person's sharing log). */
  ...ExportPurposeFields,
});
export type ViewExportRequest = z.infer<typeof ViewExportRequest>;
