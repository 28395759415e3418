/** Days and months in an operation's time zone: shared with the web app (packages/schema/src/zone.ts). */
export * from "@waypoint/schema/zone";
