/**
 * The staff web app (React + Vite) as a static site on S3 + CloudFront. `npm run build` runs in web/ at deploy
 * time with VITE_API_URL pointing at the API's Function URL.
 */
import { api } from "./api";

export const web = new sst.aws.StaticSite("Web", {
  path: "web",
  build: { command: "npm run build", output: "dist" },
  environment: { VITE_API_URL: api.url },
});
