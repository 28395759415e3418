/// <reference path="./.sst/platform/config.d.ts" />

/**
 * AWS deployment of Waypoint (SST v4, Pulumi underneath). `npx sst deploy --stage <name>`; see docs/deploy.md.
 * Nothing here runs locally: `npm start` never touches SST. No top-level imports (SST evaluates this file
 * before installing providers); each concern lives in its own `infra/*.ts`, imported inside `run()`.
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "waypoint",
      home: "aws",
      // Registries of people must survive `sst remove` in production; other stages clean up after themselves.
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    const storage = await import("./infra/storage");
    await import("./infra/secrets");
    await import("./infra/keys");
    const api = await import("./infra/api");
    const web = await import("./infra/web");
    await import("./infra/webhooks");
    await import("./infra/retention");

    return {
      api: api.api.url,
      web: web.web.url,
      table: storage.table.name,
      files: storage.files.name,
    };
  },
});
