/**
 * The staff web app (React + Vite) as a static site on S3 + CloudFront. `npm run build` runs in web/ at deploy
 * time with VITE_API_URL pointing at the API's Function URL.
 *
 * Every response carries the app's security headers (Content-Security-Policy with the API's origin as the only
 * other place it may call, frame-ancestors 'none', nosniff, no referrer, HSTS) through a CloudFront response
 * headers policy built from the same definition the local runtime and the API use
 * (functions/src/middleware/security-headers.ts).
 */
import { cloudFrontHeadersPolicy } from "../functions/src/middleware/security-headers";
import { api } from "./api";

const headers = new aws.cloudfront.ResponseHeadersPolicy(
  "WebSecurityHeaders",
  api.url.apply((url) => cloudFrontHeadersPolicy(new URL(url).origin)),
);

export const web = new sst.aws.StaticSite("Web", {
  path: "web",
  build: { command: "npm run build", output: "dist" },
  environment: { VITE_API_URL: api.url },
  transform: {
    cdn: (args) => {
      args.defaultCacheBehavior = $util
        .all([$output(args.defaultCacheBehavior), headers.id])
        .apply(([behavior, id]) => ({ ...behavior, responseHeadersPolicyId: id }));
    },
  },
});
