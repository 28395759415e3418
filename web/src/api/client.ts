import type { Me, Problem } from "@waypoint/schema";

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
    super(problem.detail ?? problem.title);
  }
}

export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(TOKEN);
  if (!raw) return null;
  const s = JSON.parse(raw) as Session;
  return new Date(s.expiresAt).getTime() > Date.now() ? s : null;
}

export function storeSession(s: Session | null) {
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
    if (res.status === 401 && session) onUnauthorized();
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
