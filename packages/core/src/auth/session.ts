import { UnauthorizedError } from "../common/errors.ts";
import { UserEntity } from "../user/user.entity.ts";

/** A signed token that no longer opens a session; `code` lets the app say why in the user's language. */
export class SessionEndedError extends UnauthorizedError {
  constructor(
    readonly code: "session.disabled" | "session.revoked" | "session.expired" | "session.invalid",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether a signed token's session is still open: the token carries the user's session revision (`sv`) at issue;
 * deactivation, a role or office change, a new password and "sign out everywhere" raise the stored revision in the
 * same write that makes the change, so every older token is refused.
 *
 * Cost: the stored revision (and `disabled`) of a user is cached in this process for `TTL_MS`; a request pays a
 * Map lookup (well under a millisecond, tests/bench/session.bench.ts) and one small GetItem per user per `TTL_MS`.
 * The process that makes a change forgets its cached entry at once, so locally (one process) the very next
 * request is refused. On AWS another Lambda instance that cached the user shortly before may accept that user's
 * requests for up to `TTL_MS` more: that is the cross-instance window.
 */
export namespace Session {
  export const TTL_MS = 5_000;
  interface Entry {
    epoch: number;
    disabled: boolean;
    missing: boolean;
    at: number;
  }
  const cache = new Map<string, Entry>();

  async function load(userID: string): Promise<Entry> {
    const res = await UserEntity.get({ userID }).go({ attributes: ["sessionEpoch", "disabled"] });
    const d = res.data as { sessionEpoch?: number; disabled?: boolean } | null;
    const e = { epoch: d?.sessionEpoch ?? 0, disabled: !!d?.disabled, missing: !d, at: Date.now() };
    if (cache.size > 50_000) cache.clear();
    cache.set(userID, e);
    return e;
  }

  /** Throws SessionEndedError when the user's sessions at revision `sv` have been ended. */
  export async function check(userID: string, sv: number, now = Date.now()): Promise<void> {
    let e = cache.get(userID);
    // a token newer than the cached revision: the cache is behind, read again
    if (!e || now - e.at >= TTL_MS || sv > e.epoch) e = await load(userID);
    if (e.missing) throw new SessionEndedError("session.invalid", "This account no longer exists");
    if (e.disabled)
      throw new SessionEndedError(
        "session.disabled",
        "Your account has been deactivated, so you were signed out. Ask an administrator if this is a mistake.",
      );
    if (sv < e.epoch)
      throw new SessionEndedError(
        "session.revoked",
        "Your session was ended (your access changed or you signed out everywhere). Please sign in again.",
      );
  }

  /** Called by the process that ended a user's sessions: its next request reads the stored revision again. */
  export function forget(userID: string): void {
    cache.delete(userID);
  }

  /** Tests and benchmarks: start cold. */
  export function clear(): void {
    cache.clear();
  }
}
