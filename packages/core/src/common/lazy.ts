/**
 * Heavy libraries that only some requests need (XLSX, S3, XML) are loaded on first use, so every other request
 * (and every Lambda cold start) does not pay for them. Bundled by esbuild as lazily-initialised modules.
 */
let excel: Promise<typeof import("exceljs")> | undefined;
export function loadExcel(): Promise<typeof import("exceljs")> {
  excel ??= import("exceljs").then(
    (m) => ((m as { default?: typeof import("exceljs") }).default ?? m) as typeof import("exceljs"),
  );
  return excel;
}

let s3: Promise<typeof import("@aws-sdk/client-s3")> | undefined;
export function loadS3(): Promise<typeof import("@aws-sdk/client-s3")> {
  s3 ??= import("@aws-sdk/client-s3");
  return s3;
}
