import type { z } from "zod";
import { InvalidError } from "./errors.ts";

/** Converts zod issues to field issues with dotted paths, prefixed when the value sits inside a larger body. */
export function toFieldIssues(error: z.ZodError, prefix = "") {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join("."),
    code: `invalid.${i.code}`,
    message: i.message,
  }));
}

/** A core operation whose input is parsed at the boundary; bad input becomes an InvalidError, never a 500. */
export function fn<S extends z.ZodTypeAny, R>(schema: S, impl: (input: z.output<S>) => R) {
  const wrapped = (input: z.input<S>): R => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    return impl(parsed.data);
  };
  wrapped.schema = schema;
  wrapped.force = impl;
  return wrapped;
}
