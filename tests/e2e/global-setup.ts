import { buildWeb } from "./build-web.ts";

/**
 * Builds web/dist once for the whole browser run (files run two at a time: two builds writing the same directory
 * at once would race), and tells the files it is done.
 */
export default function setup() {
  buildWeb();
  process.env.WAYPOINT_WEB_BUILT = "1";
}
