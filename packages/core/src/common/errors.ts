import { refusalSentence } from "./refusal.ts";

/**
 * Typed failures raised by core. Exactly one place (functions/src/problem.ts) maps them to RFC 9457
 * problem+json. Messages never contain personal data: they name fields and record IDs only.
 */
export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `rows.3.changes.dateOfBirth`. */
  path: string;
  code: string;
  message: string;
}

export abstract class WaypointError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  override readonly name: string = this.constructor.name;
}

/** The record does not exist, or the actor may not know that it exists. */
export class NotFoundError extends WaypointError {
  readonly status = 404;
  readonly type = "not-found";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} was not found`);
  }
}

/**
 * The write was based on a stale version, or a value it claims is held by another record; `current` is what is
 * stored now, `issues` the fields whose values are taken (e.g. `code` of an operation).
 */
export class ConflictError extends WaypointError {
  readonly status = 409;
  readonly type = "conflict";
  constructor(
    message: string,
    readonly current?: unknown,
    readonly code = "conflict.version",
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }
  /** A unique value is taken: the conflict names its field, as an invalid field would be named. */
  static field(path: string, code: string, message: string): ConflictError {
    return new ConflictError(message, undefined, code, [{ path, code, message }]);
  }
}

/**
 * The actor is known but not allowed to do this. `action` is the refused permission (for clients to explain in
 * their own words); the message is a plain sentence without it.
 */
export class ForbiddenError extends WaypointError {
  readonly status = 403;
  readonly type = "forbidden";
  constructor(
    readonly action: string,
    message = refusalSentence(action),
  ) {
    super(message);
  }
}

/** No valid credentials. */
export class UnauthorizedError extends WaypointError {
  readonly status = 401;
  readonly type = "unauthorized";
  constructor(message = "Sign-in required") {
    super(message);
  }
}

/** Input failed validation; nothing was stored. */
export class InvalidError extends WaypointError {
  readonly status = 422;
  readonly type = "invalid";
  constructor(
    readonly issues: FieldIssue[],
    message = "The request has invalid fields",
  ) {
    super(message);
  }
  static field(path: string, code: string, message: string): InvalidError {
    return new InvalidError([{ path, code, message }], message);
  }
}

/** A business rule refuses the transition in the record's current state. */
export class RuleError extends WaypointError {
  readonly status = 422;
  readonly type = "rule";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Too many requests for this key or address. */
export class RateLimitedError extends WaypointError {
  readonly status = 429;
  readonly type = "rate-limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`Rate limit exceeded; retry after ${retryAfterSeconds} s`);
  }
}

/** A dependency (the table, object storage) cannot be reached. */
export class UnavailableError extends WaypointError {
  readonly status = 503;
  readonly type = "unavailable";
  constructor(message = "A dependency is unavailable") {
    super(message);
  }
}
