import { PayeeChanges, PayeeCreate, type PaymentChannel } from "@waypoint/schema/payments";
import { type BulkRowResult } from "@waypoint/schema/bulk";
import { z } from "zod";
import { Actor } from "../actor.ts";
import { Audit } from "../audit/index.ts";
import { batchGet } from "../common/batch-get.ts";
import { Cursor } from "../common/cursor.ts";
import { nowIso, transactWriteOrConflict } from "../common/db.ts";
import { ConflictError, InvalidError, NotFoundError } from "../common/errors.ts";
import { FspProfileEntity } from "../fsp/fsp.entity.ts";
import { OperationEntity } from "../operation/operation.entity.ts";
import { log } from "../common/log.ts";
import { toFieldIssues } from "../common/fn.ts";
import { Identifier } from "../common/id.ts";
import { bulk, writeVersioned } from "../common/record.ts";
import { reopenForAccountChange } from "../batch/flags.ts";
import { HostEntity } from "../hosting/host.entity.ts";
import { IndividualEntity } from "../individual/individual.entity.ts";
import { bankNameOf } from "../export/text.ts";
import { putAll } from "../payment/write.ts";
import { SupplierEntity } from "../reintegration/reintegration.entity.ts";
import { PayeeEntity } from "./payee.entity.ts";
import { ConfiguredOn } from "../fields/apply.ts";
import { FieldValues } from "../fields/values.ts";

type Stored = NonNullable<Awaited<ReturnType<ReturnType<typeof PayeeEntity.get>["go"]>>["data"]>;

const keep = (s: string | undefined, n: number) =>
  s ? `${"*".repeat(Math.max(4, s.length - n))}${s.slice(-n)}` : s;

/** libphonenumber-js with its mobile-only metadata (a number is valid only as a mobile number), loaded when needed. */
let mobilePhone: Promise<typeof import("libphonenumber-js/mobile")> | undefined;
const loadMobilePhone = () => (mobilePhone ??= import("libphonenumber-js/mobile"));

export namespace Payee {
  export type Info = Omit<Stored, "channel" | "deleted"> & {
    channel: PaymentChannel;
    accountVisible: boolean;
  };

  /** Account details are for finance roles only: others see the last four characters. */
  export function mask(channel: PaymentChannel): PaymentChannel {
    return {
      ...channel,
      iban: channel.iban ? `${channel.iban.slice(0, 2)}${keep(channel.iban.slice(2), 4)}` : undefined,
      accountNumber: keep(channel.accountNumber, 4),
      msisdn: keep(channel.msisdn, 4),
    };
  }

  /**
   * A payee as the actor may see it: account details masked for non-finance roles, configured values the role may
   * not see withheld (call `FieldValues.ready` of the operation first, as every read here does).
   */
  export function present(p: Stored): Info {
    const visible = Actor.can("account.viewFull", { operationID: p.operationID });
    const { deleted: _d, ...rest } = p;
    const channel = p.channel as PaymentChannel;
    return FieldValues.view("payee", {
      ...rest,
      channel: visible ? channel : mask(channel),
      accountVisible: visible,
    });
  }

  export async function load(payeeID: string): Promise<Stored> {
    const p = (await PayeeEntity.get({ payeeID }).go()).data;
    if (!p || p.deleted || p.operationID !== Actor.operationID()) throw new NotFoundError("payee", payeeID);
    return p;
  }

  export async function get(payeeID: string): Promise<Info> {
    const p = await load(payeeID);
    Actor.assert("payee.read", p);
    await FieldValues.ready(p.operationID);
    return present(p);
  }

  /**
   * The record a payee pays must exist in this operation: money is directed by the link as much as by the account,
   * so an unknown or foreign individual, host or supplier is refused on create and on every change of the link.
   */
  async function checkLinks(input: {
    individualID?: string;
    hostID?: string;
    supplierID?: string;
  }): Promise<void> {
    const operationID = Actor.operationID();
    const links = [
      ["individualID", input.individualID, (id: string) => IndividualEntity.get({ individualID: id }).go()],
      ["hostID", input.hostID, (id: string) => HostEntity.get({ hostID: id }).go()],
      ["supplierID", input.supplierID, (id: string) => SupplierEntity.get({ supplierID: id }).go()],
    ] as const;
    for (const [field, id, read] of links) {
      if (!id) continue;
      const found = (await read(id)).data as { operationID: string; deleted?: boolean } | null;
      if (!found || found.deleted || found.operationID !== operationID)
        throw InvalidError.field(field, `invalid.${field}`, "No such record in this operation");
    }
  }

  type Links = { individualID?: string; hostID?: string; supplierID?: string };
  const LINKS = [
    ["individualID", IndividualEntity, "individualID"],
    ["hostID", HostEntity, "hostID"],
    ["supplierID", SupplierEntity, "supplierID"],
  ] as const;

  /** The linked records of many rows, read in batches: `<field>:<id>` of those that exist in this operation. */
  async function linkedRecords(rows: unknown[]): Promise<Set<string>> {
    const operationID = Actor.operationID();
    const found = new Set<string>();
    for (const [field, entity, key] of LINKS) {
      const ids = [
        ...new Set(
          rows
            .map((r) => (r && typeof r === "object" ? (r as Links)[field] : undefined))
            .filter((v): v is string => typeof v === "string" && v.length > 0),
        ),
      ];
      const records = await batchGet<Record<string, unknown>>(
        entity as never,
        ids.map((id) => ({ [key]: id })),
        { attributes: [key, "operationID", "deleted"] },
      );
      for (const r of records)
        if (!r.deleted && r.operationID === operationID) found.add(`${field}:${String(r[key])}`);
    }
    return found;
  }

  /** Field issues for links of a row that `linkedRecords` did not find (same rule as `checkLinks`). */
  function unknownLinks(row: Links, known: Set<string>, prefix: string) {
    return LINKS.flatMap(([field]) => {
      const id = row[field];
      return id && !known.has(`${field}:${id}`)
        ? [
            {
              path: `${prefix}${field}`,
              code: `invalid.${field}`,
              message: "No such record in this operation",
            },
          ]
        : [];
    });
  }

  /**
   * The country whose mobile numbers each provider pays: the operation's mobile-money FSP profile of that provider
   * (`mobileMoney.country`), else the operation's own country. Read once per create or import, not per row.
   */
  async function mobileCountries(): Promise<(provider: string | undefined) => string | undefined> {
    const operationID = Actor.operationID();
    const [fsps, op] = await Promise.all([
      FspProfileEntity.query.byOperation({ operationID }).go({ pages: "all" }),
      OperationEntity.get({ operationID }).go(),
    ]);
    const byProvider = new Map<string, string>();
    for (const f of fsps.data) {
      const mm = f.mobileMoney as { provider?: string; country?: string } | undefined;
      if (f.kind === "mobile_money" && mm?.provider && mm.country)
        byProvider.set(mm.provider.toLowerCase(), mm.country);
    }
    const home = op.data?.country as string | undefined;
    return (provider) => (provider && byProvider.get(provider.toLowerCase())) || home;
  }

  /**
   * A mobile-money number must be a mobile number of the country the provider pays in (libphonenumber's mobile
   * metadata: a landline or a number of another country is refused), stored in E.164 with its `+`: a provider
   * pays whoever holds the number, so a digit too few pays nobody or a stranger. Given without `+`, it is read as
   * international first, then as a national number of that country.
   */
  async function checkedChannel(
    channel: PaymentChannel,
    path: string,
    countryOf: (provider: string | undefined) => string | undefined,
  ): Promise<PaymentChannel | InvalidError> {
    if (!channel.msisdn) return channel;
    const { parsePhoneNumberFromString } = await loadMobilePhone();
    const country = countryOf(channel.provider);
    const raw = channel.msisdn.trim();
    const fits = (n: ReturnType<typeof parsePhoneNumberFromString>) =>
      n?.isValid() && (!country || n.country === country) ? n : undefined;
    const n =
      fits(parsePhoneNumberFromString(`+${raw.replace(/\D/g, "")}`)) ??
      (!raw.startsWith("+") && country
        ? fits(parsePhoneNumberFromString(raw, country as Parameters<typeof parsePhoneNumberFromString>[1]))
        : undefined);
    if (!n)
      return InvalidError.field(
        `${path}.msisdn`,
        "invalid.msisdn",
        country
          ? `is not a mobile number of ${country}, the country this provider pays in: give it with its country code`
          : "is not a valid mobile number: give it with its country code, like +221771234567",
      );
    return { ...channel, msisdn: n.number };
  }
  async function channelOrThrow(channel: PaymentChannel, path: string): Promise<PaymentChannel> {
    const c = await checkedChannel(channel, path, await mobileCountries());
    if (c instanceof InvalidError) throw c;
    return c;
  }

  function build(input: z.output<typeof PayeeCreate>, operationID: string, now: string) {
    const nameLatin = input.nameLatin ?? (bankNameOf(input.name) || undefined);
    return {
      ...input,
      nameLatin,
      payeeID: Identifier.create("payee"),
      operationID,
      active: true,
      timeAccountChanged: now,
      createdBy: Actor.id(),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
      deleted: false,
    };
  }

  export async function create(raw: z.input<typeof PayeeCreate>): Promise<Info> {
    const parsed = PayeeCreate.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const operationID = Actor.operationID();
    Actor.assert("payee.update", { operationID, officeID: parsed.data.officeID });
    await checkLinks(parsed.data);
    parsed.data.channel = await channelOrThrow(parsed.data.channel, "channel");
    const configured = await ConfiguredOn.create("payee", operationID, parsed.data.fields);
    const item = ConfiguredOn.put(build(parsed.data, operationID, nowIso()), configured.fields);
    await transactWriteOrConflict([
      { put: PayeeEntity.create(item).params() },
      Audit.txItem({
        recordID: item.payeeID,
        recordType: "payee",
        action: "create",
        operationID,
        officeID: item.officeID,
        ...(Object.keys(configured.changes).length ? { changes: configured.changes } : {}),
      }),
    ]);
    return present(item as Stored);
  }

  /**
   * Many payees at once (imports, benchmarks): validated row by row, written with batch writes, one audit event
   * per chunk listing the IDs it created (written before the records, so nothing exists unaudited).
   */
  export async function createMany(rows: z.input<typeof PayeeCreate>[]): Promise<{
    payeeIDs: (string | undefined)[];
    issues: { index: number; issues: InvalidError["issues"] }[];
  }> {
    const operationID = Actor.operationID();
    Actor.assert("payee.update", { operationID });
    const now = nowIso();
    const items: ReturnType<typeof build>[] = [];
    const payeeIDs: (string | undefined)[] = [];
    const issues: { index: number; issues: InvalidError["issues"] }[] = [];
    const known = await linkedRecords(rows);
    const countryOf = await mobileCountries();
    for (const [index, r] of rows.entries()) {
      const p = PayeeCreate.safeParse(r);
      const channel = p.success
        ? await checkedChannel(p.data.channel, `rows.${index}.channel`, countryOf)
        : undefined;
      const badLinks = p.success ? unknownLinks(p.data, known, `rows.${index}.`) : [];
      if (!p.success || channel instanceof InvalidError || badLinks.length) {
        issues.push({
          index,
          issues: !p.success
            ? toFieldIssues(p.error!, `rows.${index}`)
            : [...(channel instanceof InvalidError ? channel.issues : []), ...badLinks],
        });
        payeeIDs.push(undefined);
        continue;
      }
      // configured values are checked as a single create checks them
      let configured: Awaited<ReturnType<typeof ConfiguredOn.create>>;
      try {
        configured = await ConfiguredOn.create("payee", operationID, p.data.fields, `rows.${index}`);
      } catch (err) {
        if (!(err instanceof InvalidError)) throw err;
        issues.push({ index, issues: err.issues });
        payeeIDs.push(undefined);
        continue;
      }
      const item = ConfiguredOn.put(
        build({ ...p.data, channel: channel! }, operationID, now),
        configured.fields,
      );
      items.push(item);
      payeeIDs.push(item.payeeID);
    }
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000);
      await Audit.record({
        recordID: operationID,
        recordType: "payee",
        action: "create.bulk",
        operationID,
        changes: { payeeIDs: { after: chunk.map((c) => c.payeeID) } },
      });
      await putAll(PayeeEntity, chunk);
    }
    return { payeeIDs, issues };
  }

  export async function bulkCreate(rows: { ref?: string; values: unknown }[]) {
    return bulk(rows, async (row): Promise<BulkRowResult> => {
      const p = await create(row.values as z.input<typeof PayeeCreate>);
      return { ref: row.ref, id: p.payeeID, status: "created", version: p.version, record: p };
    });
  }

  /**
   * Changes a payee. A new name or channel stamps `timeAccountChanged`: payments of this payee in batches
   * submitted earlier are flagged, because an account swapped after the approvers looked is the classic fraud.
   */
  export async function update(
    payeeID: string,
    version: number,
    raw: z.input<typeof PayeeChanges>,
  ): Promise<Info> {
    const parsed = PayeeChanges.safeParse(raw);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error, "changes"));
    const cur = await load(payeeID);
    Actor.assert("payee.update", cur);
    const { fields: configuredInput, ...changes } = parsed.data;
    const configured = await ConfiguredOn.patch("payee", cur, configuredInput);
    if (changes.individualID !== undefined && changes.individualID !== cur.individualID)
      await checkLinks({ individualID: changes.individualID });
    if (changes.channel && !("type" in changes.channel)) {
      // a new number alone (the payees grid): only a mobile-money payee has one; the rest of its account is kept
      const own = cur.channel as PaymentChannel;
      if (own.type !== "mobile_money")
        throw InvalidError.field(
          "changes.channel.msisdn",
          "invalid.channelType",
          "only a mobile-money payee has a number to change: change this payee's account on its page",
        );
      changes.channel = { ...own, msisdn: changes.channel.msisdn };
    }
    if (changes.channel)
      changes.channel = await channelOrThrow(changes.channel as PaymentChannel, "changes.channel");
    const now = nowIso();
    // A new name brings a new suggestion for the bank unless the person gives one (or set one before).
    if (changes.name !== undefined && changes.nameLatin === undefined && changes.name !== cur.name) {
      const suggested = bankNameOf(changes.name);
      if (suggested && (!cur.nameLatin || cur.nameLatin === bankNameOf(cur.name)))
        changes.nameLatin = suggested;
    }
    const accountChanged =
      (changes.name !== undefined && changes.name !== cur.name) ||
      (changes.nameLatin !== undefined && changes.nameLatin !== cur.nameLatin) ||
      (changes.channel !== undefined && JSON.stringify(changes.channel) !== JSON.stringify(cur.channel));
    const set: Record<string, unknown> = { ...changes, ...configured.set };
    if (accountChanged) set.timeAccountChanged = now;
    const fields = Object.keys(changes);
    const diff = Audit.diff(cur as Record<string, unknown>, { ...cur, ...changes }, fields);
    // Account values reach the audit trail masked, as a non-finance reader sees them.
    if (diff.channel)
      diff.channel = {
        before: mask(cur.channel as PaymentChannel),
        after: mask(changes.channel as PaymentChannel),
      };
    const audit = {
      recordID: payeeID,
      recordType: "payee",
      action: "update",
      operationID: cur.operationID,
      officeID: cur.officeID,
      changes: { ...diff, ...configured.changes },
    };
    // A reopened batch is written with the change; a batch that moved meanwhile (an approval landing) is read
    // again and the whole change retried, so it can never end approved on the old account.
    for (let attempt = 1; ; attempt++) {
      const reopen = accountChanged ? await reopenForAccountChange(payeeID) : { items: [], batchIDs: [] };
      try {
        const res = await writeVersioned(
          {
            entity: PayeeEntity,
            key: { payeeID },
            expectedVersion: version,
            set,
            remove: configured.remove,
            audit,
            with: reopen.items,
          },
          () =>
            PayeeEntity.get({ payeeID })
              .go()
              .then((r) => r.data),
        );
        if (reopen.batchIDs.length) log.info({ payeeID, batchIDs: reopen.batchIDs }, "batches reopened");
        return present(ConfiguredOn.put({ ...cur, ...set, ...res }, configured.fields) as Stored);
      } catch (err) {
        if (!(err instanceof ConflictError && err.code === "conflict.constraint" && attempt < 5)) throw err;
      }
    }
  }
  /**
   * Changes many payees at their versions (the payees grid), each row answering on its own; every row goes
   * through `update`, so a changed account reopens its batches exactly as a single change does.
   */
  export async function bulkPatch(rows: { id: string; version: number; changes: unknown }[]) {
    return bulk(rows, async (row): Promise<BulkRowResult> => {
      const p = await update(row.id, row.version, row.changes as z.input<typeof PayeeChanges>);
      return { id: row.id, status: "saved", version: p.version, record: p };
    });
  }

  export const ListQuery = z.object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().optional(),
    kind: z.enum(["individual", "host", "supplier"]).optional(),
    /** Part of the name or of the name as the bank knows it, in any case and with or without accents. */
    q: z.string().trim().min(1).max(140).optional(),
  });

  const fold = (s: string) =>
    s.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("en").replace(/\s+/g, " ");

  export async function list(input: z.input<typeof ListQuery>) {
    const q = ListQuery.parse(input);
    // Office-scoped roles (a supervisor) see the payees of their offices; finance roles see the operation's.
    Actor.assert("payee.read");
    const operationID = Actor.operationID();
    const needle = q.q ? fold(q.q) : undefined;
    const scope = `payees:${operationID}:${q.kind ?? ""}:${needle ?? ""}`;
    const matches = (p: Stored) =>
      !needle || fold(p.name).includes(needle) || fold(p.nameLatin ?? "").includes(needle);
    const items: Info[] = [];
    await FieldValues.ready(operationID);
    let cursor = Cursor.verify(q.cursor, scope);
    // A search reads on until the page is full (or the payees end): a page of the operation may hold no match.
    do {
      const res = await PayeeEntity.query
        .byOperation({ operationID })
        .where((a, { eq }) => (q.kind ? eq(a.kind, q.kind) : eq(a.deleted, false)))
        .go({ limit: q.limit - items.length, cursor });
      for (const p of res.data)
        if (!p.deleted && Actor.can("payee.read", p) && matches(p)) items.push(present(p));
      cursor = res.cursor;
    } while (needle && cursor && items.length < q.limit);
    return { items, nextCursor: Cursor.sign(cursor, scope) };
  }
}
