export * from "./common.ts";
export * from "./problem.ts";
export * from "./bulk.ts";
export * from "./auth.ts";
