import { DrillFilter, ReportFilter, type DrillResult } from "@waypoint/schema/reports";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { fn } from "../common/fn.ts";
import { ForbiddenError } from "../common/errors.ts";
import { dashboard, registerResettlement } from "./dashboard.ts";
import { assertOffice, context, inBucket, mayRead, visible, zoned } from "./dims.ts";
import { exportReport } from "./export.ts";
import { projection, resetProjections } from "./projection.ts";
import { dataQuality } from "./quality.ts";
import { tuneRangeReads } from "./ranges.ts";

const MAX_DRILL_IDS = 20_000;

export namespace Report {
  /** Every dashboard figure the viewer may see, for an office and a period (docs/reports.md). */
  export const getDashboard = fn(ReportFilter, dashboard);

  /**
   * The records behind a figure: the same visibility rule and dimension values that computed it, so the count
   * here always equals the figure.
   */
  export const drill = fn(DrillFilter, async (d): Promise<DrillResult> => {
    assertOffice(d.officeID);
    if (!mayRead(d.resource)) throw new ForbiddenError("report.read", `Your role may not read ${d.resource}`);
    const p = await projection(Actor.operationID(), d.resource);
    const z = await zoned(d);
    const keep = visible(d.resource, z);
    const match = inBucket(d.resource, d, context(d.to, z.zone));
    const ids: string[] = [];
    let count = 0;
    for (const r of p.rows.values())
      if (keep(r) && match(r)) {
        count++;
        if (ids.length < MAX_DRILL_IDS) ids.push(r.id);
      }
    const { resource, ...rest } = d;
    const q = new URLSearchParams(
      Object.entries(rest).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])),
    );
    return { resource, count, ids, link: `/${resource}?drill=${encodeURIComponent(q.toString())}` };
  });

  export const getDataQuality = fn(z.object({ officeID: z.string().min(1).optional() }), dataQuality);
  export const exportTable = exportReport;
  export const resettlementSource = registerResettlement;
  /** Drops the in-memory projections (benchmarks measuring a first load). */
  export const reset = resetProjections;
  /** Page size and parallelism of exports streamed from the store (tests cross many page and range edges). */
  export const tuneStreaming = tuneRangeReads;
}
