import { InvalidError } from "../common/errors.ts";
import { loadSaxes } from "../common/lazy.ts";

/** Bank status codes → what happened to the money. ACCP and the settlement codes count as paid; ACTC, RCVD and
 * PDNG only say the file was read, so they change nothing. */
export function outcomeOf(
  code: string | undefined,
): "paid" | "failed" | "acknowledged" | "partial" | undefined {
  switch ((code ?? "").trim().toUpperCase()) {
    case "RJCT":
    case "CANC":
      return "failed";
    case "ACCP":
    case "ACSP":
    case "ACSC":
    case "ACWC":
    case "ACCC":
      return "paid";
    case "ACTC":
    case "RCVD":
    case "PDNG":
    case "ACWP":
      return "acknowledged";
    case "PART":
      return "partial";
    default:
      return undefined;
  }
}

export interface TxStatus {
  endToEndId?: string;
  instrId?: string;
  status?: string;
  reason?: string;
}
export interface BlockStatus {
  pmtInfId?: string;
  status?: string;
  reason?: string;
  nbOfTxs?: string;
  ctrlSum?: string;
  perStatus: { status: string; count: number }[];
  txs: TxStatus[];
}
export interface Pain002 {
  messageId?: string;
  groupStatus?: string;
  groupReason?: string;
  nbOfTxs?: string;
  ctrlSum?: string;
  groupPerStatus: { status: string; count: number }[];
  blocks: BlockStatus[];
}

/** A payment-information block without its transactions (they stream past); `txStatuses` counts their TxSts. */
export type BlockHeader = Omit<BlockStatus, "txs"> & { txStatuses: Map<string, number> };
export type Pain002Header = Omit<Pain002, "blocks"> & { blocks: BlockHeader[] };

/** What the scanner meets, in document order: a transaction of block `block` (its index), the end of a block. */
export type Pain002Event =
  { type: "tx"; block: number; tx: TxStatus } | { type: "blockEnd"; block: number; header: BlockHeader };

interface Reason {
  cd?: string;
  prtry?: string;
  info: string[];
}
const reasonText = (r: Reason): string | undefined =>
  [r.cd ?? r.prtry, r.info.join("")].filter(Boolean).join(": ") || undefined;
const joinReasons = (parts: string[]): string | undefined => (parts.length ? parts.join("; ") : undefined);

/** Characters handed to the XML parser at a time: the events of one chunk are all that is held. */
const CHUNK = 1 << 18;

/**
 * Reads a pain.002 status report of any version as a stream of events (one chunk of the text at a time, never a
 * tree of the whole file), tolerating what real banks send: namespace prefixes or none, the misspelt
 * `OrgnlInstrdId`, empty `StsRsnInf`, reason text split over several `AddtlInf`, statuses only at group or
 * payment-information level. Yields the events of each chunk; returns the group and blocks' headers at the end.
 */
export async function* scanPain002(xmlText: string): AsyncGenerator<Pain002Event[], Pain002Header> {
  const { SaxesParser } = await loadSaxes();
  const parser = new SaxesParser();
  const local = (name: string) => name.slice(name.indexOf(":") + 1);
  const stack: string[] = [];
  let text = "";
  let sawReport = false;
  const group: Pain002Header = { groupPerStatus: [], blocks: [] };
  const groupReasons: string[] = [];
  let block: (BlockHeader & { reasons: string[] }) | undefined;
  let tx: (TxStatus & { reasons: string[] }) | undefined;
  let reason: Reason | undefined;
  let perStatus: { status: string; count: number } | undefined;
  let events: Pain002Event[] = [];
  parser.on("opentag", (tag) => {
    const name = local(tag.name);
    const parent = stack[stack.length - 1];
    stack.push(name);
    text = "";
    if (name === "CstmrPmtStsRpt" && parent === "Document" && stack.length === 2) sawReport = true;
    else if (name === "OrgnlPmtInfAndSts" && parent === "CstmrPmtStsRpt")
      block = { perStatus: [], txStatuses: new Map(), reasons: [] };
    else if (name === "TxInfAndSts" && parent === "OrgnlPmtInfAndSts" && block) tx = { reasons: [] };
    else if (name === "StsRsnInf") reason = { info: [] };
    else if (name === "NbOfTxsPerSts") perStatus = { status: "", count: 0 };
  });
  const onText = (t: string) => void (text += t);
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    const name = stack.pop()!;
    const parent = stack[stack.length - 1];
    const value = text.trim() || undefined;
    text = "";
    // the element that owns the reason / per-status counts being closed
    const owner = parent === "TxInfAndSts" ? tx : parent === "OrgnlPmtInfAndSts" ? block : undefined;
    if (name === "StsRsnInf" && reason) {
      const r = reasonText(reason);
      if (r) (parent === "OrgnlGrpInfAndSts" ? groupReasons : (owner?.reasons ?? [])).push(r);
      reason = undefined;
    } else if (reason && parent === "Rsn" && (name === "Cd" || name === "Prtry")) {
      if (name === "Cd") reason.cd ??= value;
      else reason.prtry ??= value;
    } else if (reason && name === "AddtlInf" && parent === "StsRsnInf") {
      if (value) reason.info.push(value);
    } else if (name === "NbOfTxsPerSts" && perStatus) {
      if (parent === "OrgnlGrpInfAndSts") group.groupPerStatus.push(perStatus);
      else if (parent === "OrgnlPmtInfAndSts" && block) block.perStatus.push(perStatus);
      perStatus = undefined;
    } else if (perStatus && parent === "NbOfTxsPerSts") {
      if (name === "DtldSts") perStatus.status = value ?? "";
      else if (name === "DtldNbOfTxs") perStatus.count = Number(value ?? 0);
    } else if (parent === "OrgnlGrpInfAndSts") {
      if (name === "OrgnlMsgId") group.messageId ??= value;
      else if (name === "GrpSts") group.groupStatus ??= value;
      else if (name === "OrgnlNbOfTxs") group.nbOfTxs ??= value;
      else if (name === "OrgnlCtrlSum") group.ctrlSum ??= value;
    } else if (name === "OrgnlGrpInfAndSts") {
      group.groupReason = joinReasons(groupReasons);
    } else if (parent === "TxInfAndSts" && tx) {
      if (name === "OrgnlEndToEndId") tx.endToEndId ??= value;
      else if (name === "TxSts") tx.status ??= value;
      else if (/^OrgnlInstr\w*Id$/.test(name)) tx.instrId ??= value;
    } else if (name === "TxInfAndSts" && tx && block) {
      const { reasons, ...t } = tx;
      const done: TxStatus = { ...t, reason: joinReasons(reasons) };
      if (done.endToEndId ?? done.instrId)
        block.txStatuses.set(done.status ?? "", (block.txStatuses.get(done.status ?? "") ?? 0) + 1);
      events.push({ type: "tx", block: group.blocks.length, tx: done });
      tx = undefined;
    } else if (parent === "OrgnlPmtInfAndSts" && block) {
      if (name === "OrgnlPmtInfId") block.pmtInfId ??= value;
      else if (name === "PmtInfSts") block.status ??= value;
      else if (name === "OrgnlNbOfTxs") block.nbOfTxs ??= value;
      else if (name === "OrgnlCtrlSum") block.ctrlSum ??= value;
    } else if (name === "OrgnlPmtInfAndSts" && block) {
      const { reasons, ...b } = block;
      const header: BlockHeader = { ...b, reason: joinReasons(reasons) };
      events.push({ type: "blockEnd", block: group.blocks.length, header });
      group.blocks.push(header);
      block = undefined;
    }
  });
  const body = xmlText.charCodeAt(0) === 0xfeff ? xmlText.slice(1) : xmlText;
  try {
    for (let i = 0; i < body.length; i += CHUNK) {
      parser.write(body.slice(i, i + CHUNK));
      if (events.length) {
        const out = events;
        events = [];
        yield out;
      }
    }
    parser.close();
  } catch (e) {
    if (e instanceof InvalidError) throw e;
    throw InvalidError.field("content", "invalid.xml", "The file is not well-formed XML");
  }
  if (events.length) yield events;
  if (!sawReport)
    throw InvalidError.field(
      "content",
      "invalid.pain002",
      "Not a pain.002 status report (no CstmrPmtStsRpt)",
    );
  return group;
}

/** The whole report at once (small files, tests): the scanner's events gathered into blocks. */
export async function parsePain002(xmlText: string): Promise<Pain002> {
  const txs = new Map<number, TxStatus[]>();
  const it = scanPain002(xmlText);
  let r = await it.next();
  for (; !r.done; r = await it.next())
    for (const e of r.value) if (e.type === "tx") txs.set(e.block, [...(txs.get(e.block) ?? []), e.tx]);
  const { blocks, ...group } = r.value;
  return {
    ...group,
    blocks: blocks.map(({ txStatuses: _, ...b }, i) => ({ ...b, txs: txs.get(i) ?? [] })),
  };
}
