/**
 * esbuild plugins for the Lambda bundles (`nodejs.plugins` in infra/api.ts; tests/bench/bundle.bench.ts builds
 * with the same list, so the measured bundle is the deployed one).
 *
 * zodEnglishOnly: zod 4 exposes every translation of its error messages as `z.locales`. Anything that uses the
 * `z` namespace as a value (here `extendZodWithOpenApi(z)` inside @hono/zod-openapi) keeps the whole namespace,
 * so all 40+ locales (about 260 KB minified) were bundled although the API only ever speaks English to clients:
 * its problem+json messages are English and the web app translates by issue code. This plugin resolves zod's
 * own `locales/index.js` to a module that exports only `en`. `z.config(z.locales.fr())` would then fail at
 * runtime with "not a function", which is the honest outcome; nothing in Waypoint calls it.
 *
 * electrodbModelsCheckedAtTest: ElectroDB checks every entity model against a JSON schema (the `jsonschema`
 * package, twice per v1 model) inside `new Entity()`. Our models are constants in packages/core, so that check
 * gives the same answer on every cold start; profiling the Lambda import showed it was about 135 ms of it. In the
 * Lambda bundle `jsonschema` (imported only by ElectroDB's `validateModel`) resolves to a validator that reports
 * no errors. The check still runs, with the real library, wherever core is imported unbundled: every
 * `npm test` run and `npm start`, so a broken model cannot reach a deployment.
 *
 * awsSdkViaRequire: the AWS SDK stays outside the bundle (the Lambda runtime ships it) and is CommonJS. An ESM
 * `import { X } from "@aws-sdk/client-dynamodb"` makes Node run its CommonJS export scanner over the SDK's
 * bundled index files on every cold start; loading the same modules with `require` does not, and measured here
 * it halves the SDK's share of the cold import (tests/bench/bundle.bench.ts). In the bundle, each `@aws-sdk/*`
 * import becomes a small module that `require`s the package (createRequire) and re-exports its names, listed at
 * build time. The source keeps ordinary imports. `require` also honours NODE_PATH, which is how the Lambda
 * runtime exposes its copy of the SDK.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));

/** @type {import("esbuild").Plugin} */
export const zodEnglishOnly = {
  name: "waypoint-zod-english-only",
  setup(build) {
    build.onResolve({ filter: /(^|\/)locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: "zod-locales-en", namespace: "waypoint-zod-locales" };
    });
    build.onLoad({ filter: /.*/, namespace: "waypoint-zod-locales" }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: here,
      loader: "js",
    }));
  },
};

/** @type {import("esbuild").Plugin} */
export const electrodbModelsCheckedAtTest = {
  name: "waypoint-electrodb-models-checked-at-test",
  setup(build) {
    build.onResolve({ filter: /^jsonschema$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]electrodb[\\/]/.test(args.importer)) return undefined;
      return { path: "jsonschema-checked-at-test", namespace: "waypoint-jsonschema" };
    });
    build.onLoad({ filter: /.*/, namespace: "waypoint-jsonschema" }, () => ({
      contents:
        "class Validator { addSchema() {} validate() { return { errors: [] }; } }\n" +
        "Validator.prototype.customFormats = {};\n" +
        "module.exports = { Validator };\n",
      loader: "js",
    }));
  },
};

const buildRequire = createRequire(import.meta.url);

/** @type {import("esbuild").Plugin} */
export const awsSdkViaRequire = {
  name: "waypoint-aws-sdk-via-require",
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\// }, (args) => {
      if (args.namespace === "waypoint-aws-sdk") return { path: args.path, external: true };
      if (args.kind !== "import-statement" && args.kind !== "dynamic-import") return undefined;
      return { path: args.path, namespace: "waypoint-aws-sdk" };
    });
    build.onLoad({ filter: /.*/, namespace: "waypoint-aws-sdk" }, (args) => {
      const names = Object.keys(buildRequire(args.path)).filter(
        (n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default" && n !== "__esModule",
      );
      return {
        // One pure-annotated read per name, so esbuild drops the names nothing imports.
        contents:
          `import { createRequire } from "node:module";\n` +
          `const sdk = createRequire(import.meta.url)(${JSON.stringify(args.path)});\n` +
          `const get = (name) => sdk[name];\n` +
          names.map((n) => `export const ${n} = /* @__PURE__ */ get(${JSON.stringify(n)});\n`).join("") +
          `export default sdk;\n`,
        loader: "js",
        resolveDir: here,
      };
    });
  },
};

export default [zodEnglishOnly, electrodbModelsCheckedAtTest, awsSdkViaRequire];
