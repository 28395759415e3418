import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@waypoint/schema/users";
import { InvalidError } from "../common/errors.ts";

/**
 * Password rules after NIST SP 800-63B (rev. 4, §3.1.1.2): a minimum length (12 here, above the 8 it requires
 * for single-factor passwords), a generous maximum, any characters (Unicode normalised to NFKC), no composition
 * rules, no forced periodic change, and a check against a list of commonly used and breached passwords.
 *
 * The list is the `passwords-common` dictionary of `@zxcvbn-ts/language-common` (MIT; about 49,000 passwords
 * ranked by frequency in public breach corpora, maintained by the zxcvbn-ts project), shipped in the package, so
 * no password ever leaves the server. A password is refused when it is on the list, when it is a listed password
 * with digits or symbols added at either end ("password123456"), when it is one character repeated or a run of
 * very few distinct characters, or when it contains the account's e-mail name or the person's name (the
 * guidance's "context-specific words").
 */

let listed: Promise<Set<string>> | undefined;
/** Loaded on first use: the list is ~400 KB and only setting a password needs it. */
function list(): Promise<Set<string>> {
  listed ??= import("@zxcvbn-ts/language-common").then(
    (m) => new Set(m.dictionary["passwords-common"].map((p) => p.toLowerCase())),
  );
  return listed;
}

export namespace PasswordRules {
  /** Throws InvalidError on `path` when the password breaks a rule; returns the normalised password to hash. */
  export async function check(
    password: string,
    context: { email?: string; name?: string } = {},
    path = "password",
  ): Promise<string> {
    const p = password.normalize("NFKC");
    const refuse = (code: string, message: string) => InvalidError.field(path, code, message);
    const length = [...p].length;
    if (length < PASSWORD_MIN_LENGTH)
      throw refuse("password.too_short", `Use at least ${PASSWORD_MIN_LENGTH} characters`);
    if (length > PASSWORD_MAX_LENGTH)
      throw refuse("password.too_long", `Use at most ${PASSWORD_MAX_LENGTH} characters`);
    if (new Set(p.toLowerCase()).size < 4)
      throw refuse("password.repetitive", "This password repeats too few characters; choose another");
    const lower = p.toLowerCase();
    const known = await list();
    const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, "");
    if (known.has(lower) || (core.length >= 4 && known.has(core)))
      throw refuse(
        "password.breached",
        "This password is on a list of common or breached passwords; choose another",
      );
    const words = [context.email?.split("@")[0], ...(context.name ?? "").split(/\s+/)].filter(
      (w): w is string => !!w && w.length >= 4,
    );
    if (words.some((w) => lower.includes(w.toLowerCase())))
      throw refuse("password.personal", "A password must not contain your name or e-mail address");
    return p;
  }
}
