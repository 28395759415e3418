import { z } from "zod";

/** A list (grid) name in `/api/views/{list}`, e.g. `individuals`. */
export const SavedViewList = z
  .string()
  .regex(/^[a-z][a-z-]{1,40}$/, "must be a list name such as individuals");
export const SavedViewName = z.string().trim().min(1).max(80);

/** What the grid saves under a name: AG Grid's column state and filter model, as the grid gives them, and the search. */
export const SavedViewInput = z.object({
  columns: z.array(z.looseObject({ colId: z.string().min(1).max(100) })).max(200),
  filters: z.record(z.string(), z.unknown()),
  search: z.string().max(200).optional(),
});
export type SavedViewInput = z.infer<typeof SavedViewInput>;

/** A saved view as `GET /api/views/{list}` lists it. */
export const SavedView = SavedViewInput.extend({
  name: z.string(),
  resource: z.string(),
  timeUpdated: z.string(),
});
export type SavedView = z.infer<typeof SavedView>;
