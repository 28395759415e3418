import { z } from "zod";

/** The record types whose names a screen may ask for many at once (what a reference column points to). */
export const NamedRecordTypes = ["individual", "household", "case", "payee"] as const;
export const NamedRecordType = z.enum(NamedRecordTypes);
export type NamedRecordType = z.infer<typeof NamedRecordType>;

/** At most this many IDs per request: a grid of 100,000 rows asks in chunks of this size. */
export const RECORD_NAMES_MAX = 1000;

/** `POST /api/record-names`: the records of one type a screen shows by name instead of their IDs. */
export const RecordNamesRequest = z.object({
  type: NamedRecordType,
  // not checked one by one: a stored value that is no ID of this type simply gets no name
  ids: z.array(z.string().max(64)).min(1).max(RECORD_NAMES_MAX),
});
export type RecordNamesRequest = z.infer<typeof RecordNamesRequest>;

/**
 * What names a record on screen, and nothing more: a person's given and family names (or their registration
 * number), a household's registration number, a case's number, a payee's name. The screen words the name.
 */
export const RecordName = z.object({
  id: z.string(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  registrationNumber: z.string().optional(),
  caseNumber: z.string().optional(),
  name: z.string().optional(),
});
export type RecordName = z.infer<typeof RecordName>;

/** Only the records the reader may read are in `items`; any other ID asked for is absent. */
export const RecordNamesResponse = z.object({ items: z.array(RecordName) });
export type RecordNamesResponse = z.infer<typeof RecordNamesResponse>;
