import { z } from "zod";
import { InvalidError } from "@waypoint/core/common/errors";
import { FieldIssue, Problem } from "@waypoint/schema/problem";
import { MAX_BULK_ROWS } from "@waypoint/schema/bulk";

/** Shared pieces of the registry routers: JSON bodies, problem responses, bulk envelopes, validation hooks. */
export const json = <S extends z.ZodTypeAny>(schema: S, description = "") => ({
  content: { "application/json": { schema } },
  description,
});

export const problems = {
  401: { content: { "application/problem+json": { schema: Problem } }, description: "Sign-in required" },
  403: { content: { "application/problem+json": { schema: Problem } }, description: "Not allowed" },
  404: {
    content: { "application/problem+json": { schema: Problem } },
    description: "Not found (or outside your scope)",
  },
  422: {
    content: { "application/problem+json": { schema: Problem } },
    description: "Invalid fields (`errors`)",
  },
};
export const conflict = {
  409: {
    content: { "application/problem+json": { schema: Problem } },
    description:
      "Stale version: `current` holds the stored record; or `code: duplicate` with `current.candidates`",
  },
};

/**
 * Bulk envelopes validate only the envelope: each row's `changes`/`values` is validated by core, row by row,
 * so one bad row becomes an `invalid` result instead of failing the whole request.
 */
export const BulkPatchEnvelope = (what: string) =>
  z.object({
    rows: z
      .array(
        z.object({
          id: z.string().min(1),
          version: z.number().int().min(1),
          changes: z
            .record(z.string(), z.unknown())
            .describe(`${what} changes: any subset of the fields; null clears`),
        }),
      )
      .min(1)
      .max(MAX_BULK_ROWS),
  });

export const BulkCreateEnvelope = (what: string) =>
  z.object({
    rows: z
      .array(
        z.object({
          ref: z.string().max(100).optional(),
          values: z.record(z.string(), z.unknown()).describe(`the new ${what}'s fields`),
          overrideDuplicates: z.object({ reason: z.string() }).optional(),
        }),
      )
      .min(1)
      .max(MAX_BULK_ROWS),
  });

export const IdParam = (name: string, prefix: string) =>
  z.object({
    id: z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `must be a ${name} id (${prefix}_…)`),
  });

export const DeleteQuery = z.object({
  version: z.coerce.number().int().min(1),
  reason: z.string().max(500).optional(),
});

type Issue = { code: string; path: PropertyKey[]; message: string; errors?: Issue[][] };

/**
 * Validation hook for bodies that accept one of several shapes (a record, or `{rows}`): a failed union reports
 * the issues of the closest shape with their real field paths instead of one "invalid input".
 */
export function unionHook(result: { success: boolean; data?: unknown; error?: { issues: Issue[] } }) {
  if (result.success) return;
  const bulk = typeof result.data === "object" && result.data !== null && "rows" in result.data;
  const pick = (options: Issue[][]) =>
    options.find((o) =>
      bulk ? o.some((i) => i.path[0] === "rows") : !o.some((i) => i.path[0] === "rows"),
    ) ?? [...options].sort((a, b) => a.length - b.length)[0]!;
  const flat = (issues: Issue[]): Issue[] =>
    issues.flatMap((i) => (i.code === "invalid_union" && i.errors?.length ? flat(pick(i.errors)) : [i]));
  const issues: FieldIssue[] = flat(result.error?.issues ?? []).map((i) => ({
    path: i.path.map(String).join("."),
    code: `invalid.${i.code}`,
    message: i.message,
  }));
  throw new InvalidError(issues);
}
