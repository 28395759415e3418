#!/usr/bin/env node
// `npm start`: runs the TypeScript runtime through tsx (no build step for the server side).
// Node 20 is supported here on purpose (see README); the AWS SDK's notice about Node 22 is noise on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
import { register } from "tsx/esm/api";
register();
await import("../src/start.ts");
