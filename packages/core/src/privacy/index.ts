import { erase as eraseOne, type ErasureReport } from "./erase.ts";

/** Data protection: erasure on request (more in docs/data-protection.md). */
export namespace Privacy {
  export type Erasure = ErasureReport;
  export const erase = eraseOne;
}
