#!/usr/bin/env node
// `npm start`: runs the TypeScript runtime through tsx (no build step for the server side).
import { register } from "tsx/esm/api";
register();
await import("../src/start.ts");
