import { handle } from "hono/aws-lambda";
import { app } from "./app.ts";

/** API Lambda entry (Function URL or API Gateway HTTP API v2). */
export const handler = handle(app);
