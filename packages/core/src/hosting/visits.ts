import { CodeOfConduct, VisitComplete, VisitSchedule, type VisitInfo } from "@waypoint/schema/hosting";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { writeVersioned } from "../common/record.ts";
import { HostEntity } from "./host.entity.ts";
import { VisitEntity } from "./visit.entity.ts";

type Host = NonNullable<Awaited<ReturnType<ReturnType<typeof HostEntity.get>["go"]>>["data"]>;
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 864e5).toISOString().slice(0, 10);

async function host(hostID: string, action: "programme.read" | "programme.update"): Promise<Host> {
  const h = (await HostEntity.get({ hostID }).go()).data;
  if (!h || h.deleted || h.operationID !== Actor.operationID()) throw new NotFoundError("host", hostID);
  Actor.assert(action, { operationID: h.operationID, officeID: h.officeID, createdBy: h.createdBy });
  return h;
}

/** Derived fields of the host, maintained by the system (no version bump: they are never edited by hand). */
async function refreshHost(hostID: string, result?: string) {
  const rows = (await VisitEntity.query.byHost({ hostID }).go({ pages: "all" })).data;
  const next = rows
    .filter((v) => v.status === "scheduled")
    .map((v) => v.scheduledFor)
    .sort()[0];
  const set: Record<string, string> = {};
  if (result) set.complianceStatus = result;
  let op = HostEntity.patch({ hostID }).set(set);
  if (next) op = op.set({ nextVisitDue: next });
  else op = op.remove(["nextVisitDue"]);
  await op.go();
}

/**
 * Monitoring visits on the host's schedule and compliance assessments against the signed code of conduct. A
 * compliance result follows from the checklist (every item met, most met, or not), never from a free choice.
 */
export namespace HostVisits {
  export const ScheduleInput = VisitSchedule.extend({ hostID: z.string() });
  export const schedule = fn(ScheduleInput, async ({ hostID, from, count, kind }): Promise<VisitInfo[]> => {
    const h = await host(hostID, "programme.update");
    const now = nowIso();
    const items = Array.from({ length: count }, (_, i) => ({
      visitID: Identifier.create("visit"),
      operationID: h.operationID,
      officeID: h.officeID,
      hostID,
      kind,
      scheduledFor: addDays(from, i * h.visitEveryDays),
      status: "scheduled" as const,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    }));
    for (let i = 0; i < items.length; i += 50)
      await transactWriteOrConflict([
        ...items.slice(i, i + 50).map((v) => ({ put: VisitEntity.create(v).params() })),
        Audit.txItem({
          recordID: hostID,
          recordType: "host",
          action: "visits.schedule",
          operationID: h.operationID,
          officeID: h.officeID,
        }),
      ]);
    await refreshHost(hostID);
    return items as VisitInfo[];
  });

  export async function list(hostID: string): Promise<VisitInfo[]> {
    await host(hostID, "programme.read");
    return (await VisitEntity.query.byHost({ hostID }).go({ pages: "all" })).data as VisitInfo[];
  }

  /** Scheduled visits of an office whose date has passed: the monitoring officer's to-do list. */
  export async function overdue(officeID: string, today = new Date().toISOString().slice(0, 10)) {
    Actor.assert("programme.read", { operationID: Actor.operationID(), officeID });
    const res = await VisitEntity.query
      .byOffice({ officeID })
      .lt({ scheduledFor: today })
      .go({ pages: "all" });
    return res.data.filter(
      (v) => v.status === "scheduled" && v.operationID === Actor.operationID(),
    ) as VisitInfo[];
  }

  export const CompleteInput = VisitComplete.extend({ visitID: z.string() });
  export const complete = fn(
    CompleteInput,
    async ({ visitID, date, findings, checklist, followUpNeeded, version }) => {
      const v = (await VisitEntity.get({ visitID }).go({ consistent: true })).data;
      if (!v || v.operationID !== Actor.operationID()) throw new NotFoundError("visit", visitID);
      await host(v.hostID, "programme.update");
      if (v.status !== "scheduled") throw new RuleError("visit.notScheduled", `The visit is ${v.status}`);
      let result: string | undefined;
      if (v.kind === "compliance") {
        const seen = new Set((checklist ?? []).map((c) => c.item));
        const missing = CodeOfConduct.filter((i) => !seen.has(i));
        if (missing.length)
          throw InvalidError.field(
            "checklist",
            "invalid.incomplete",
            `Assess every code-of-conduct item: ${missing.join(", ")}`,
          );
        const met = checklist!.filter((c) => c.met).length;
        result =
          met === CodeOfConduct.length
            ? "compliant"
            : met >= CodeOfConduct.length - 2
              ? "partially_compliant"
              : "non_compliant";
      }
      const set = {
        status: "completed",
        date,
        findings,
        checklist,
        followUpNeeded,
        result,
        visitedBy: Actor.id(),
        hostID: v.hostID,
        scheduledFor: v.scheduledFor,
        officeID: v.officeID,
      };
      const res = await writeVersioned(
        {
          entity: VisitEntity,
          key: { visitID },
          expectedVersion: version,
          set: Object.fromEntries(Object.entries(set).filter(([, x]) => x !== undefined)),
          audit: {
            recordID: visitID,
            recordType: "hostVisit",
            action: "complete",
            operationID: v.operationID,
            officeID: v.officeID,
          },
        },
        async () => (await VisitEntity.get({ visitID }).go()).data,
      );
      await refreshHost(v.hostID, result);
      return { ...v, ...set, ...res } as VisitInfo;
    },
  );
}
