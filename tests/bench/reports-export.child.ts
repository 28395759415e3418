/**
 * One register export (or its raw baseline read) in a fresh process, as one Lambda invocation would run it, for
 * reports.bench.ts. Prints JSON. Environment: WAYPOINT_* as set by the parent, BENCH_TOKEN, BENCH_FORMAT, and
 * BENCH_MODE:
 * - `cold`: `GET /api/reports/register` straight away (no projection in this process: the rows stream from the
 *   store); time from the request to the last byte, and RSS at start, at each quarter of the rows and at its peak;
 * - `warm`: first loads the report projection (through another report), then exports: the two times apart;
 * - `raw`: the baseline, a plain paged Query of the same index with the same ProjectionExpression through the
 *   low-level DynamoDB client (one page after another, 1,000 items a page), counting items.
 */
const MODE = process.env.BENCH_MODE ?? "cold";
const N = Number(process.env.BENCH_EXPECT ?? 0);
// RSS is sampled from when the code is imported: the start figure is an idle process ready to serve
let peakRss = 0;
let timer: NodeJS.Timeout | undefined;
const out: Record<string, unknown> = { mode: MODE };
const started = () => {
  out.baseRss = peakRss = process.memoryUsage().rss;
  timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
};

if (MODE === "raw") {
  const { dynamoClient } = await import("@waypoint/core");
  const { IndividualEntity } = await import("../../packages/core/src/individual/individual.entity.ts");
  const { QueryCommand } = await import("@aws-sdk/client-dynamodb");
  type QueryCommandInput = import("@aws-sdk/client-dynamodb").QueryCommandInput;
  const { marshall } = await import("@aws-sdk/util-dynamodb");
  const attributes = ["operationID", "officeID", "createdBy", "deleted", "timeCreated", "timeUpdated"];
  attributes.push("individualID", "registrationNumber", "sex", "dateOfBirth", "estimatedAge", "nationality");
  attributes.push("householdID", "relationshipToHead", "legalStatus", "adm1", "status");
  const p = IndividualEntity.query
    .byOperation({ operationID: process.env.BENCH_OPERATION! })
    .params({ attributes: attributes as never }) as Record<string, unknown>;
  started();
  const input = {
    ...p,
    ExpressionAttributeValues: marshall(p.ExpressionAttributeValues as object),
  } as unknown as QueryCommandInput;
  const t0 = performance.now();
  let items = 0;
  let pages = 0;
  let key: Record<string, never> | undefined;
  do {
    const res = await dynamoClient().send(
      new QueryCommand({ ...input, Limit: 1000, ExclusiveStartKey: key }),
    );
    items += res.Items?.length ?? 0;
    pages++;
    key = res.LastEvaluatedKey as never;
  } while (key);
  Object.assign(out, { ms: performance.now() - t0, items, pages });
} else {
  const { app } = await import("@waypoint/functions");
  const headers = { authorization: `Bearer ${process.env.BENCH_TOKEN}` };
  started();
  const start = performance.now();
  if (MODE === "warm") {
    const warm = await app.request("/api/reports/individuals-nationality?format=json", { headers });
    if (warm.status !== 200) throw new Error(`load: ${warm.status} ${await warm.text()}`);
    await warm.text();
    out.loadMs = performance.now() - start;
    out.loadedRss = peakRss = process.memoryUsage().rss;
  }
  const t1 = performance.now();
  const res = await app.request(`/api/reports/register?format=${process.env.BENCH_FORMAT}&hxl=true`, {
    headers,
  });
  if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status} ${await res.text()}`);
  out.source = res.headers.get("x-report-source");
  out.firstByteMs = performance.now() - t1;
  let bytes = 0;
  let lines = 0;
  const quarters: number[] = [];
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    // CSV has a line per row; XLSX is zipped, so its quarters are by bytes of the expected size instead
    if (
      N > 0 &&
      process.env.BENCH_FORMAT === "csv" &&
      lines >= ((quarters.length + 1) * N) / 4 &&
      quarters.length < 3
    )
      quarters.push(rss);
  }
  Object.assign(out, {
    exportMs: performance.now() - t1,
    totalMs: performance.now() - start,
    bytes,
    lines,
    quarters,
  });
}
clearInterval(timer);
out.peakRss = Math.max(peakRss, process.memoryUsage().rss);
process.stdout.write(JSON.stringify(out));
process.exit(0);
export {};
