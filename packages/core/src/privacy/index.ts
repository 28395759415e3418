import { erase as eraseOne, type ErasureReport } from "./erase.ts";
import { subjectAccess as produce } from "./subject-access.ts";

export { Consent } from "./consent.ts";
export { Sharing } from "./sharing.ts";
export { Narrative } from "./narrative.ts";

/** Data protection (docs/data-protection.md): erasure on request, subject access. */
export namespace Privacy {
  export type Erasure = ErasureReport;
  export const erase = eraseOne;
  export const subjectAccess = produce;
}
