import { pino } from "pino";

/**
 * JSON logs. Log IDs, actor IDs, outcomes and durations, never names, phone numbers, documents or request
 * bodies. The redaction list is a safety net for mistakes, not a licence to log records.
 */
export const log = pino({
  level: process.env.WAYPOINT_LOG_LEVEL ?? (process.env.VITEST ? "silent" : "info"),
  base: { service: "waypoint" },
  redact: {
    paths: [
      "*.givenName",
      "*.familyName",
      "*.name",
      "*.phone",
      "*.email",
      "*.dateOfBirth",
      "*.documents",
      "*.password",
      "*.authorization",
      "*.body",
      "req.headers.authorization",
      "req.headers.cookie",
    ],
    censor: "[redacted]",
  },
  timestamp: pino.stdTimeFunctions.isoTime,
});
