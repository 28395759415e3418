import type { MiddlewareHandler } from "hono";

/**
 * Security headers, one definition for the API (every response of the Hono app), the web app served locally
 * (packages/local) and the web app on CloudFront (infra/web.ts builds its response headers policy from
 * `webHeaders`), so the three cannot drift apart.
 *
 * The web app's Content-Security-Policy: scripts only from the app's own origin (no inline script, no eval), so
 * an injected `<script>` or `onerror=` attribute does not run; requests only to the app and its API
 * (`connect-src`), so a script that did run could not send a session anywhere else with fetch; no framing
 * (`frame-ancestors 'none'`: clickjacking), no plugins, no `<base>` rewriting, forms post to the app only.
 * Styles allow 'unsafe-inline': AG Grid's theming API writes its styles into `<style>` elements at run time and
 * a static site cannot hand out per-response nonces; style injection cannot run script.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function webCsp(apiOrigin?: string): string {
  const connect = ["'self'", ...(apiOrigin ? [apiOrigin] : [])].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** HSTS for a deployed stage (HTTPS only): two years, subdomains. Never on http://127.0.0.1. */
export const HSTS = "max-age=63072000; includeSubDomains";

export interface HeaderSet {
  "content-security-policy": string;
  "x-content-type-options": "nosniff";
  "referrer-policy": string;
  "x-frame-options": "DENY";
  "permissions-policy": string;
  "cross-origin-opener-policy": "same-origin";
}

const common = {
  "x-content-type-options": "nosniff",
  // the app's URLs carry record IDs (and a one-time link's token): never send them to another site
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "cross-origin-opener-policy": "same-origin",
} as const;

export const apiHeaders = (): HeaderSet => ({ "content-security-policy": API_CSP, ...common });
export const webHeaders = (apiOrigin?: string): HeaderSet => ({
  "content-security-policy": webCsp(apiOrigin),
  ...common,
});

/** Sets `headers` on every response that does not set its own; HSTS too when `hsts` (deployed, HTTPS). */
export function securityHeaders(headers: HeaderSet, opts: { hsts?: () => boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(headers)) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
    if (opts.hsts?.()) c.res.headers.set("strict-transport-security", HSTS);
  };
}

/**
 * The CloudFront response headers policy of the web app (infra/web.ts), in the shape of the AWS provider's
 * `aws.cloudfront.ResponseHeadersPolicy` arguments: the same headers as `webHeaders`, HSTS included (CloudFront
 * serves HTTPS only), each overriding whatever the origin sends.
 */
export function cloudFrontHeadersPolicy(apiOrigin: string) {
  const h = webHeaders(apiOrigin);
  return {
    comment: "Waypoint web app: CSP, no framing, nosniff, no referrer, HSTS",
    securityHeadersConfig: {
      contentSecurityPolicy: { contentSecurityPolicy: h["content-security-policy"], override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: "DENY", override: true },
      referrerPolicy: { referrerPolicy: h["referrer-policy"], override: true },
      strictTransportSecurity: {
        accessControlMaxAgeSec: 63072000,
        includeSubdomains: true,
        preload: false,
        override: true,
      },
    },
    customHeadersConfig: {
      items: [
        { header: "Permissions-Policy", value: h["permissions-policy"], override: true },
        { header: "Cross-Origin-Opener-Policy", value: h["cross-origin-opener-policy"], override: true },
      ],
    },
  };
}
