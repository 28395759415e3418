import type { Plugin } from "esbuild";

export declare const zodEnglishOnly: Plugin;
export declare const electrodbModelsCheckedAtTest: Plugin;
export declare const awsSdkViaRequire: Plugin;
declare const plugins: Plugin[];
export default plugins;
