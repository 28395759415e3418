export * from "./common.ts";
export * from "./problem.ts";
export * from "./bulk.ts";
export * from "./auth.ts";
export * from "./codes.ts";
export * from "./registry.ts";
export * from "./registry.grid.ts";
