import type { Hono } from "hono";

/**
 * The API's routes, grouped by domain (one module each in ./domains/), each loaded with `import()`.
 *
 * The full app (app.ts: `npm start`, tests, the OpenAPI documents) loads every domain. The Lambda entry
 * (lambda.ts) loads only the domain of the request's path, on its first request, so a cold start compiles and
 * builds the routes, schemas and entities of one domain instead of all of them (tests/bench/bundle.bench.ts
 * measures both). One table serves both, so they cannot disagree on what a domain contains;
 * tests/integration/domains.test.ts checks, for every route of the full app, that the domain its path maps to
 * serves it with the same handler, and that a path no domain claims falls back to the full app.
 *
 * Order matters where two routers serve overlapping paths: Hono matches in mount order, and the full app mounts
 * domains in this order (e.g. `/reports/relocations` of relocation before `/reports/{name}` of reports).
 */
// The sub-apps' own environment and schema types do not matter to the parent app that mounts them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Router = Hono<any, any, any>;
export interface Mounts {
  /** Mounted under /auth (sign-in). */
  auth?: Router;
  /** Mounted under /api, behind staff sign-in; [path under /api, router]. */
  staff?: [string, Router][];
  /** Mounted under /v1, behind the partner guards; [path under /v1, router]. */
  partner?: [string, Router][];
}

export interface Domain {
  name: string;
  /** Path prefixes (whole segments) this domain answers; the longest matching prefix wins. */
  prefixes: string[];
  load: () => Promise<Mounts>;
}

export const domains: Domain[] = [
  // /health alone: the shell (middleware, error handling) with no routes mounted.
  { name: "health", prefixes: ["/health"], load: async () => ({}) },
  {
    name: "session",
    prefixes: [
      "/auth",
      "/api/me",
      "/api/offices",
      "/api/views",
      "/api/operations",
      "/api/second-factors",
      "/api/sso-config",
    ],
    load: async () => (await import("./domains/session.ts")).mounts,
  },
  {
    name: "resettlement",
    prefixes: ["/api/resettlement", "/api/quotas", "/api/selection-missions"],
    load: async () => (await import("./domains/resettlement.ts")).mounts,
  },
  {
    name: "hosting",
    prefixes: ["/api/hosts", "/api/placements", "/api/host-visits", "/api/hosting"],
    load: async () => (await import("./domains/hosting.ts")).mounts,
  },
  {
    name: "reintegration",
    prefixes: ["/api/returns", "/api/suppliers", "/api/invoices", "/api/avrr"],
    load: async () => (await import("./domains/reintegration.ts")).mounts,
  },
  {
    name: "relocation",
    prefixes: [
      "/api/relocations",
      "/api/relocation-plans",
      "/api/relocation-trips",
      "/api/relocation-desk",
      "/api/reports/relocations",
    ],
    load: async () => (await import("./domains/relocation.ts")).mounts,
  },
  {
    name: "cases",
    prefixes: ["/api/assessments", "/api/bip", "/api/cases", "/api/incidents", "/api/files", "/api/questionnaires"],
    load: async () => (await import("./domains/cases.ts")).mounts,
  },
  {
    name: "community",
    prefixes: ["/api/activities", "/api/enquiries", "/api/services"],
    load: async () => (await import("./domains/community.ts")).mounts,
  },
  {
    name: "referrals",
    prefixes: ["/api/referrals", "/api/appointments"],
    load: async () => (await import("./domains/referrals.ts")).mounts,
  },
  {
    name: "intake",
    prefixes: ["/api/kobo-forms", "/api/intake", "/api/organisations"],
    load: async () => (await import("./domains/intake.ts")).mounts,
  },
  {
    name: "registry",
    prefixes: ["/api/individuals", "/api/households"],
    load: async () => (await import("./domains/registry.ts")).mounts,
  },
  {
    name: "names",
    prefixes: ["/api/record-names"],
    load: async () => (await import("./domains/names.ts")).mounts,
  },
  {
    name: "fields",
    prefixes: ["/api/fields", "/api/code-lists"],
    load: async () => (await import("./domains/fields.ts")).mounts,
  },
  {
    name: "work",
    prefixes: ["/api/work"],
    load: async () => (await import("./domains/work.ts")).mounts,
  },
  {
    name: "users",
    prefixes: ["/api/users", "/api/staff", "/api/sessions", "/api/outbox"],
    load: async () => (await import("./domains/users.ts")).mounts,
  },
  {
    name: "audit",
    prefixes: ["/api/audit"],
    load: async () => (await import("./domains/audit.ts")).mounts,
  },
  {
    name: "retention",
    prefixes: ["/api/retention-policies"],
    load: async () => (await import("./domains/retention.ts")).mounts,
  },
  {
    name: "reports",
    prefixes: ["/api/exports/audit", "/api/reports", "/api/dashboard", "/api/data-quality"],
    load: async () => (await import("./domains/reports.ts")).mounts,
  },
  {
    name: "payments",
    prefixes: ["/api/payees", "/api/fsp-profiles", "/api/payments", "/api/payment-batches", "/api/exports"],
    load: async () => (await import("./domains/payments.ts")).mounts,
  },
  {
    name: "partner",
    prefixes: ["/v1/referrals", "/v1/webhook", "/v1/docs"],
    load: async () => (await import("./domains/partner.ts")).mounts,
  },
  {
    name: "protection",
    prefixes: ["/api/feedback", "/api/feedback-settings", "/api/protection-monitoring", "/v1/public/feedback"],
    load: async () => (await import("./domains/protection.ts")).mounts,
  },
  {
    name: "messages",
    prefixes: ["/api/messages", "/v1/public/messages"],
    load: async () => (await import("./domains/messages.ts")).mounts,
  },
  {
    name: "partner-intake",
    prefixes: ["/v1/intake", "/v1/public"],
    load: async () => (await import("./domains/partner-intake.ts")).mounts,
  },
];

/**
 * The domain serving a path: the one with the longest prefix that matches whole segments. Undefined for paths
 * no domain claims (the OpenAPI documents, unknown paths): the full app answers those.
 */
export function domainFor(path: string): Domain | undefined {
  let best: Domain | undefined;
  let bestLength = -1;
  for (const d of domains)
    for (const p of d.prefixes)
      if (p.length > bestLength && (path === p || path.startsWith(`${p}/`))) {
        best = d;
        bestLength = p.length;
      }
  return best;
}

/** Every domain's mounts, in table order: what the full app serves. */
export async function allMounts(): Promise<Required<Mounts>> {
  const loaded = await Promise.all(domains.map((d) => d.load()));
  return {
    auth: loaded.find((m) => m.auth)!.auth!,
    staff: loaded.flatMap((m) => m.staff ?? []),
    partner: loaded.flatMap((m) => m.partner ?? []),
  };
}
