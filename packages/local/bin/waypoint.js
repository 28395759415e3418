#!/usr/bin/env node
// `npx waypoint …`: the local CLI.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
