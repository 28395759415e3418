#!/usr/bin/env node
// `npx waypoint …`: the local CLI.
// Node 20 is supported here on purpose (see README); the AWS SDK's notice about Node 22 is noise on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
import { register } from "tsx/esm/api";
register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
