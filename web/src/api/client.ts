import type { Me, Problem } from "@waypoint/schema";
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

let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (fn: () => void) => (onUnauthorized = fn);

/** Calls the staff API with the session's bearer token; problem+json answers become ApiError. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const session = loadSession();
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
      storeSession(null);
      onUnauthorized();
    }
    const problem = (json as Problem | undefined) ?? {
      type: "about:blank",
      title: res.statusText,
      status: res.status,
    };
    throw new ApiError(res.status, problem);
  }
  return json as T;
}

export async function signIn(email: string, password: string, operationID?: string): Promise<Session> {
  const s = await api<Session>("POST", "/auth/login", { email, password, operationID });
  storeSession(s);
  return s;
}
