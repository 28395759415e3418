import { inject } from "vitest";

// Runs in every test worker before test files import core: point core at the run's DynamoDB Local.
process.env.WAYPOINT_DYNAMO_ENDPOINT = inject("dynamoEndpoint");
process.env.WAYPOINT_TABLE = "waypoint-test";
process.env.WAYPOINT_AUTH_SECRET = "test-secret-0123456789abcdef0123456789abcdef";
process.env.WAYPOINT_FILES ??= `${process.env.TMPDIR ?? "/tmp"}/waypoint-test-files`;
// Fixture accounts are hashed at a test cost (user/hash.ts; local mode only): tests create hundreds of accounts.
process.env.WAYPOINT_PASSWORD_COST ??= "test";
