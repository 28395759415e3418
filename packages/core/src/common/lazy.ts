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

let presigner: Promise<typeof import("@aws-sdk/s3-request-presigner")> | undefined;
/** The S3 URL presigner, for downloads of export files on AWS. */
export function loadPresigner(): Promise<typeof import("@aws-sdk/s3-request-presigner")> {
  presigner ??= import("@aws-sdk/s3-request-presigner");
  return presigner;
}

let xml: Promise<typeof import("saxes")> | undefined;
/** saxes, a streaming XML parser, for pain.002 status reports (reconciliation only). */
export function loadSaxes(): Promise<typeof import("saxes")> {
  xml ??= import("saxes");
  return xml;
}

let csvStream: Promise<typeof import("csv-parse")> | undefined;
/** csv-parse's streaming parser, for FSP reconciliation files read as they are parsed. */
export function loadCsvParseStream(): Promise<typeof import("csv-parse")> {
  csvStream ??= import("csv-parse");
  return csvStream;
}

let csv: Promise<typeof import("csv-parse/sync")> | undefined;
/** csv-parse, for FSP reconciliation files. */
export function loadCsvParse(): Promise<typeof import("csv-parse/sync")> {
  csv ??= import("csv-parse/sync");
  return csv;
}

let phone: Promise<typeof import("libphonenumber-js")> | undefined;
/** libphonenumber-js (its metadata is ~120 KB), for Kobo intake phone answers. */
export function loadPhone(): Promise<typeof import("libphonenumber-js")> {
  phone ??= import("libphonenumber-js");
  return phone;
}
