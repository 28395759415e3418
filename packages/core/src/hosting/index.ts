import {
  HostAvailableQuery,
  HostChanges,
  HostCreate,
  HostListQuery,
  type HostAvailable,
  PlacementCreate,
  PlacementEnd,
  type HostInfo,
  type PlacementInfo,
} from "@waypoint/schema/hosting";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWrite, transactWriteOrConflict } from "../common/db.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { fn } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { asRead, bulk, writeVersioned } from "../common/record.ts";
import { Refs } from "../common/refs.ts";
import { authorisedRead, listPartition, splitChanges, visible } from "../common/scope.ts";
import { Unique } from "../common/unique.ts";
import { Payee } from "../payee/index.ts";
import { HostEntity } from "./host.entity.ts";
import { Areas } from "../operation/areas.ts";
import { PlacementEntity } from "./placement.entity.ts";
import { generateAllowances } from "./allowance.ts";
import { HostVisits } from "./visits.ts";
import { ProgrammeFiles } from "./files.ts";
import { ConfiguredOn } from "../fields/apply.ts";

type Host = HostInfo & { deleted?: boolean };
type Placement = PlacementInfo & { deleted?: boolean };
/** Where a victim of trafficking or an SGBV survivor stays is itself sensitive. */
const RESTRICTED_REASONS = ["vot", "sgbv_survivor"];

export namespace Hosting {
  export const visits = HostVisits;
  export const allowances = generateAllowances;
  export const files = ProgrammeFiles;

  export const hostTarget = (h: Host): Actor.Target => ({
    operationID: h.operationID,
    officeID: h.officeID,
    createdBy: h.createdBy,
  });
  export const placementTarget = (p: Placement): Actor.Target => ({
    operationID: p.operationID,
    officeID: p.officeID,
    createdBy: p.createdBy,
    restricted: p.restricted,
  });

  export async function loadHost(hostID: string) {
    return ((await HostEntity.get({ hostID }).go({ consistent: true })).data ?? undefined) as
      Host | undefined;
  }
  /** The host as stored (every configured value), after the read check. */
  async function readHost(hostID: string): Promise<Host> {
    return authorisedRead("host", hostID, "programme.read", await loadHost(hostID), hostTarget);
  }
  export async function getHost(hostID: string): Promise<Host> {
    return ConfiguredOn.view("host", await readHost(hostID));
  }

  /** A host is paid through an active host payee of this operation that pays no other host. */
  async function checkPayee(payeeID: string, path: string, hostID?: string) {
    const p = await Payee.load(payeeID).catch(() => undefined);
    if (!p || p.kind !== "host" || !p.active)
      throw InvalidError.field(path, "invalid.payee", "Not an active host payee of this operation");
    if (p.hostID && p.hostID !== hostID)
      throw InvalidError.field(path, "invalid.payeeOfAnotherHost", "This payee receives another host's allowances");
  }

  export const createHost = fn(HostCreate, async (input): Promise<Host> => {
    const operationID = Actor.operationID();
    await Refs.office(input.officeID);
    await Areas.check(operationID, input);
    if (input.payeeID) {
      // naming who receives the allowances directs money like an account number: payee rights, as for re-pointing
      Actor.assert("payee.update", { operationID, officeID: input.officeID });
      await checkPayee(input.payeeID, "payeeID");
    }
    const now = nowIso();
    const base: Host = {
      ...input,
      hostID: Identifier.create("host"),
      operationID,
      status: "active",
      occupied: 0,
      complianceStatus: "not_assessed",
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    Actor.assert("programme.update", hostTarget(base));
    const configured = await ConfiguredOn.create("host", operationID, input.fields);
    const item = ConfiguredOn.put(base, configured.fields);
    await transactWriteOrConflict([
      { put: HostEntity.create(item as never).params() },
      Audit.txItem({
        recordID: item.hostID,
        recordType: "host",
        action: "create",
        operationID,
        officeID: item.officeID,
        ...(Object.keys(configured.changes).length ? { changes: configured.changes } : {}),
      }),
    ]);
    return ConfiguredOn.view("host", item);
  });

  export const listHosts = fn(HostListQuery, async (q) => {
    const part = listPartition("programme.read", q.officeID);
    const scope = `host:${part.kind}:${"officeID" in part ? part.officeID : Actor.operationID()}`;
    const cursor = Cursor.verify(q.cursor, scope);
    const query =
      part.kind === "office"
        ? HostEntity.query.byOffice({ officeID: part.officeID })
        : HostEntity.query.byOperation({ operationID: Actor.operationID() });
    const res = await query
      .where((a, { eq }) =>
        [q.status && eq(a.status, q.status), q.kind && eq(a.kind, q.kind)].filter(Boolean).join(" AND "),
      )
      .go({ limit: q.limit, cursor });
    const items = await visible("host", "programme.read", res.data as Host[], (h) => h.hostID, hostTarget);
    return { items: await ConfiguredOn.viewAll("host", items), nextCursor: Cursor.sign(res.cursor, scope) };
  });

  /**
   * Active hosts with at least `places` free places, nearest first: the same district (adm2), then the same region
   * (adm1), then the rest of the office(s) the actor covers; most room first within each. Only hosts whose
   * contract is still running are offered.
   */
  export const available = fn(HostAvailableQuery, async (q): Promise<HostAvailable[]> => {
    const ls = Actor.listScope("programme.read");
    const offices =
      !q.officeID && ls?.scope === "office" && (ls.user?.officeIDs.length ?? 0) > 1 ? ls.user!.officeIDs : [q.officeID];
    const today = new Date().toISOString().slice(0, 10);
    const found: Host[] = [];
    for (const officeID of offices) {
      const part = listPartition("programme.read", officeID);
      const query =
        part.kind === "office"
          ? HostEntity.query.byOffice({ officeID: part.officeID })
          : HostEntity.query.byOperation({ operationID: Actor.operationID() });
      const res = await query
        .where((a, { eq, gte }) =>
          [eq(a.status, "active"), gte(a.contractEnd, today), q.kind && eq(a.kind, q.kind)]
            .filter(Boolean)
            .join(" AND "),
        )
        .go({ pages: "all" });
      found.push(...(res.data as Host[]));
    }
    const shown = await visible("host", "programme.read", found, (h) => h.hostID, hostTarget);
    return shown
      .filter((h) => h.operationID === Actor.operationID() && h.capacity - h.occupied >= q.places)
      .map((h) => ({
        hostID: h.hostID,
        name: h.name,
        kind: h.kind,
        officeID: h.officeID,
        adm1: h.adm1,
        adm2: h.adm2,
        capacity: h.capacity,
        occupied: h.occupied,
        free: h.capacity - h.occupied,
        complianceStatus: h.complianceStatus,
        contractEnd: h.contractEnd,
        nearness: q.adm2 && h.adm2 === q.adm2 ? 2 : q.adm1 && h.adm1 === q.adm1 ? 1 : 0,
      }))
      .filter((h) => !(q.adm1 || q.adm2) || h.nearness > 0)
      .sort((a, b) => b.nearness - a.nearness || b.free - a.free || a.name.localeCompare(b.name));
  });

  /**
   * Active placements of the actor's office(s) (or one office), the ones planned to end soonest first: the
   * desk's list of placements ending.
   */
  export async function activePlacements(officeID?: string): Promise<(Placement & { hostName: string })[]> {
    const ls = Actor.listScope("programme.read");
    const offices =
      !officeID && ls?.scope === "office" && (ls.user?.officeIDs.length ?? 0) > 1 ? ls.user!.officeIDs : [officeID];
    const hosts: Host[] = [];
    for (const o of offices) {
      const part = listPartition("programme.read", o);
      const res = await (part.kind === "office"
        ? HostEntity.query.byOffice({ officeID: part.officeID })
        : HostEntity.query.byOperation({ operationID: Actor.operationID() })
      ).go({ pages: "all" });
      hosts.push(...(res.data as Host[]).filter((h) => h.operationID === Actor.operationID() && h.occupied > 0));
    }
    const out: (Placement & { hostName: string })[] = [];
    for (const h of hosts) {
      const res = await PlacementEntity.query
        .byHost({ hostID: h.hostID })
        .where((a, { eq }) => eq(a.status, "active"))
        .go({ pages: "all" });
      const shown = await visible(
        "placement",
        "programme.read",
        res.data as Placement[],
        (p) => p.placementID,
        placementTarget,
      );
      out.push(...shown.map((p) => ({ ...p, hostName: h.name })));
    }
    return out.sort((a, b) => (a.plannedEnd ?? "9999").localeCompare(b.plannedEnd ?? "9999"));
  }

  export const PatchInput = z.object({
    hostID: z.string(),
    version: z.number().int().min(1),
    changes: HostChanges,
  });
  export const patchHost = fn(PatchInput, async ({ hostID, version, changes: input }): Promise<Host> => {
    const { fields: configuredInput, ...changes } = input;
    // Which payee a host's allowances go to directs money like an account number does: re-pointing it needs
    // payee rights (finance), not only the right to edit the host; a change of the payee alone needs only those.
    const repoint = "payeeID" in changes;
    const payeeOnly = repoint && Object.keys(input).every((k) => k === "payeeID");
    const cur = payeeOnly ? await loadHost(hostID) : await readHost(hostID);
    if (!cur || cur.operationID !== Actor.operationID() || cur.deleted) throw new NotFoundError("host", hostID);
    if (!payeeOnly) Actor.assert("programme.update", hostTarget(cur));
    if (repoint && (changes.payeeID ?? undefined) !== cur.payeeID)
      Actor.assert("payee.update", hostTarget(cur));
    if (changes.capacity !== undefined && changes.capacity < cur.occupied)
      throw InvalidError.field(
        "changes.capacity",
        "invalid.belowOccupancy",
        `${cur.occupied} people are placed here now`,
      );
    if ((changes.contractEnd ?? cur.contractEnd) < (changes.contractStart ?? cur.contractStart))
      throw InvalidError.field(
        "changes.contractEnd",
        "invalid.dates",
        "The contract cannot end before it starts",
      );
    if (changes.payeeID) await checkPayee(changes.payeeID, "changes.payeeID", hostID);
    if ("adm1" in changes || "adm2" in changes)
      await Areas.check(
        cur.operationID,
        { adm1: "adm1" in changes ? changes.adm1 : cur.adm1, adm2: "adm2" in changes ? changes.adm2 : cur.adm2 },
        "changes",
        (["adm1", "adm2"] as const).filter((k) => k in changes),
      );
    if (changes.officeID) await Refs.office(changes.officeID, "changes.officeID");
    const configured = await ConfiguredOn.patch("host", cur, configuredInput);
    const { set, remove } = splitChanges(changes);
    const next = ConfiguredOn.put({ ...cur, ...set } as Host, configured.fields);
    for (const k of remove) delete (next as Record<string, unknown>)[k];
    const res = await writeVersioned(
      {
        entity: HostEntity,
        key: { hostID },
        expectedVersion: version,
        set: { operationID: cur.operationID, officeID: next.officeID, name: next.name, ...set, ...configured.set },
        remove: [...remove, ...configured.remove],
        audit: {
          recordID: hostID,
          recordType: "host",
          action: "update",
          operationID: cur.operationID,
          officeID: next.officeID,
          changes: { ...Audit.diff(cur, next, Object.keys(changes)), ...configured.changes },
        },
        view: asRead(() => getHost(hostID)),
      },
      () => loadHost(hostID),
    );
    return ConfiguredOn.view("host", { ...next, ...res });
  });

  export async function bulkPatchHosts(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row): Promise<BulkRowResult> => {
      const h = await patchHost({ hostID: row.id, version: row.version, changes: row.changes as never });
      return { id: row.id, status: "saved", version: h.version, record: h };
    });
  }

  /**
   * Places a person with a host. Capacity is enforced by DynamoDB, not by a read: the host's occupancy counter
   * moves only if it stays below capacity, in the same transaction as the placement and the person's
   * one-active-placement claim, so concurrent placements can never overfill a host or place someone twice.
   */
  export const place = fn(PlacementCreate, async (input): Promise<Placement> => {
    const host = await getHost(input.hostID).catch(() => {
      throw InvalidError.field("hostID", "invalid.host", "No such host");
    });
    const person = await Refs.individual(input.individualID);
    Actor.assert("programme.update", hostTarget(host));
    if (host.status !== "active") throw new RuleError("host.inactive", `The host is ${host.status}`);
    if (input.start < host.contractStart || input.start > host.contractEnd)
      throw InvalidError.field(
        "start",
        "invalid.outsideContract",
        "The placement starts outside the host's contract",
      );
    const now = nowIso();
    const item: Placement = {
      ...input,
      placementID: Identifier.create("placement"),
      operationID: host.operationID,
      officeID: host.officeID,
      status: "active",
      restricted: RESTRICTED_REASONS.includes(input.reason),
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    const tx = await transactWrite([
      {
        update: HostEntity.update({ hostID: host.hostID })
          .add({ occupied: 1 })
          .where(
            (a, { name, eq }) => `${name(a.occupied)} < ${name(a.capacity)} AND ${eq(a.status, "active")}`,
          )
          .params(),
      },
      Unique.claim("placement.active", `${host.operationID}#${person.individualID}`, item.placementID),
      { put: PlacementEntity.create(item as never).params() },
      Audit.txItem({
        recordID: item.placementID,
        recordType: "placement",
        action: "create",
        operationID: item.operationID,
        officeID: item.officeID,
        restricted: item.restricted,
      }),
    ]);
    if (!tx.ok) {
      if (tx.failed.includes(0))
        throw new RuleError("host.full", `The host is full (capacity ${host.capacity})`);
      throw new RuleError("placement.alreadyPlaced", "The person already has an active placement");
    }
    return item;
  });

  export async function loadPlacement(placementID: string) {
    return ((await PlacementEntity.get({ placementID }).go({ consistent: true })).data ?? undefined) as
      Placement | undefined;
  }

  export const EndInput = PlacementEnd.extend({ placementID: z.string() });
  /** Ends a placement: frees the place and the person's claim in the same transaction. */
  export const endPlacement = fn(EndInput, async ({ placementID, end, endReason, note, version }) => {
    const cur = await authorisedRead(
      "placement",
      placementID,
      "programme.update",
      await loadPlacement(placementID),
      placementTarget,
    );
    if (cur.status !== "active") throw new RuleError("placement.ended", "The placement has already ended");
    if (end < cur.start)
      throw InvalidError.field("end", "invalid.dates", "A placement cannot end before it starts");
    const set = {
      status: "ended",
      end,
      endReason,
      hostID: cur.hostID,
      start: cur.start,
      individualID: cur.individualID,
    };
    const res = await writeVersioned(
      {
        entity: PlacementEntity,
        key: { placementID },
        expectedVersion: version,
        set,
        audit: {
          recordID: placementID,
          recordType: "placement",
          action: "end",
          reason: note ?? endReason,
          operationID: cur.operationID,
          officeID: cur.officeID,
          restricted: cur.restricted,
        },
        with: [
          { update: HostEntity.update({ hostID: cur.hostID }).add({ occupied: -1 }).params() },
          Unique.release("placement.active", `${cur.operationID}#${cur.individualID}`),
        ],
      },
      () => loadPlacement(placementID),
    );
    return { ...cur, ...set, ...res } as Placement;
  });

  export async function placements(hostID: string): Promise<Placement[]> {
    const host = await getHost(hostID);
    const res = await PlacementEntity.query.byHost({ hostID: host.hostID }).go({ pages: "all" });
    return visible(
      "placement",
      "programme.read",
      res.data as Placement[],
      (p) => p.placementID,
      placementTarget,
    );
  }
}
