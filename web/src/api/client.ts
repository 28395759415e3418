import type { Me, Problem, SecondFactorChallenge } from "@waypoint/schema";
import { refusalSentence } from "./refusal.ts";

const TOKEN = "waypoint.session";

export interface Session {
  token: string;
  expiresAt: string;
  me: Me;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    // A refusal is a sentence in the user's language (per permission area), never a permission code.
    super(status === 403 ? refusalSentence(problem) : (problem.detail ?? problem.title));
  }
}

/**
 * What the browser keeps for the signed-in user (grid datasets with their staged edits, looked-up records, lists)
 * registers a forget function here. It runs whenever the session ends (sign out, a 401, an expired session) or
 * another user or operation signs in, so the next person in the same tab never sees the previous one's data.
 */
const forgetters = new Set<() => void>();
export const onUserChange = (forget: () => void) => void forgetters.add(forget);
/** The user (and operation) the caches were filled for. */
let owner: string | null = null;
const ownerOf = (s: Session | null) => (s ? `${s.me.userID}@${s.me.operationID}` : null);
function forgetUser() {
  for (const forget of forgetters) forget();
}

function readSession(): Session | null {
  const raw = sessionStorage.getItem(TOKEN);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return null;
  }
}

export function loadSession(): Session | null {
  const s = readSession();
  if (s && new Date(s.expiresAt).getTime() > Date.now()) {
    if (owner !== ownerOf(s)) {
      if (owner) forgetUser();
      owner = ownerOf(s);
    }
    return s;
  }
  if (sessionStorage.getItem(TOKEN) === null) return null;
  // Expired (or unreadable): removed, its caches forgotten, and the app told, as after a 401.
  sessionStorage.removeItem(TOKEN);
  endedBecause = "session.expired";
  owner = null;
  forgetUser();
  queueMicrotask(() => onUnauthorized());
  return null;
}

export function storeSession(s: Session | null) {
  // A session that ends, or another user or operation: nothing kept for the previous one survives.
  if (s === null || owner !== ownerOf(s)) forgetUser();
  owner = ownerOf(s);
  if (s) sessionStorage.setItem(TOKEN, JSON.stringify(s));
  else sessionStorage.removeItem(TOKEN);
}

/**
 * Why the last session ended on the server (a 401's problem `code`: `session.disabled`, `session.revoked`,
 * `session.expired`), for the sign-in page to say in the user's language; read once.
 */
let endedBecause: string | null = null;
export function takeSessionEndReason(): string | null {
  const r = endedBecause;
  endedBecause = null;
  return r;
}

/**
 * Access tokens are short-lived (30 minutes): a request made when less than half of that is left first gets a
 * fresh token (POST /auth/refresh, one at a time). A session the server ended is not refreshed: its 401 ends it.
 */
const REFRESH_BEFORE_MS = 15 * 60_000;
let refreshing: Promise<void> | null = null;
async function freshSession(s: Session): Promise<Session> {
  if (new Date(s.expiresAt).getTime() - Date.now() > REFRESH_BEFORE_MS) return s;
  refreshing ??= fetch("/auth/refresh", { method: "POST", headers: { authorization: `Bearer ${s.token}` } })
    .then(async (res) => {
      if (res.ok && readSession()?.token === s.token) storeSession((await res.json()) as Session);
    })
    .catch(() => undefined)
    .finally(() => (refreshing = null));
  await refreshing;
  return loadSession() ?? s;
}

let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (fn: () => void) => (onUnauthorized = fn);

/** Calls the staff API with the session's bearer token; problem+json answers become ApiError. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const loaded = loadSession();
  const session = loaded && !path.startsWith("/auth/") ? await freshSession(loaded) : loaded;
  const res = await fetch(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(session ? { authorization: `Bearer ${session.token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    if (res.status === 401 && session && readSession()?.token === session.token) {
      // The session ended on the server: forget it and everything kept for it before anyone signs in again.
      endedBecause = (json as Problem | undefined)?.code ?? "session.expired";
      storeSession(null);
      onUnauthorized();
    }
    const problem = (json as Problem | undefined) ?? {
      type: "about:blank",
      title: res.statusText,
      status: res.status,
    };
    // how long a refusal lasts (a locked sign-in), for the message
    const retry = Number(res.headers.get("retry-after"));
    if (retry > 0) (problem as Problem & { retryAfter?: number }).retryAfter = retry;
    throw new ApiError(res.status, problem);
  }
  return json as T;
}

/** Password step: a session, or the second-factor challenge (pages/SecondFactor.tsx), which is not stored. */
export async function signInStep(
  email: string,
  password: string,
  operationID?: string,
): Promise<Session | SecondFactorChallenge> {
  const s = await api<Session | SecondFactorChallenge>("POST", "/auth/login", { email, password, operationID });
  if ("token" in s) storeSession(s);
  return s;
}

/** A password sign-in that must end in a session (switching operation); one that needs a code is refused. */
export async function signIn(email: string, password: string, operationID?: string): Promise<Session> {
  const s = await signInStep(email, password, operationID);
  if (!("token" in s))
    throw new ApiError(401, {
      type: "about:blank",
      title: "This account signs in with a second factor: sign out and sign in again",
      status: 401,
    });
  return s;
}
