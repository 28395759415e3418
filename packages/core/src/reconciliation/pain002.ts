import { InvalidError } from "../common/errors.ts";
import { loadXmlParser } from "../common/lazy.ts";

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML of unknown, sloppy shape
type Node = any;

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

const arr = <T>(v: T | T[] | undefined): T[] =>
  v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v];
const text = (v: Node): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") return v["#text"] !== undefined ? String(v["#text"]) : undefined;
  return String(v).trim() || undefined;
};

/** Reason codes and free text of every StsRsnInf, empty ones (`<StsRsnInf/>`) ignored. */
function reasons(node: Node): string | undefined {
  const parts = arr<Node>(node?.StsRsnInf).flatMap((r) => {
    if (!r || typeof r !== "object") return [];
    const code = text(r.Rsn?.Cd) ?? text(r.Rsn?.Prtry);
    const info = arr<Node>(r.AddtlInf).map(text).filter(Boolean).join("");
    return [[code, info].filter(Boolean).join(": ")].filter(Boolean);
  });
  return parts.length ? parts.join("; ") : undefined;
}

const perStatus = (node: Node) =>
  arr<Node>(node?.NbOfTxsPerSts).map((n) => ({
    status: String(text(n.DtldSts) ?? ""),
    count: Number(text(n.DtldNbOfTxs) ?? 0),
  }));

/**
 * Reads a pain.002 status report of any version, tolerating what real banks send: namespace prefixes or none,
 * the misspelt `OrgnlInstrdId`, empty `StsRsnInf`, reason text split over several `AddtlInf`, statuses only at
 * group or payment-information level.
 */
export async function parsePain002(xmlText: string): Promise<Pain002> {
  const { XMLParser } = await loadXmlParser();
  const parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
  });
  let doc: Node;
  try {
    doc = parser.parse(xmlText);
  } catch {
    throw InvalidError.field("content", "invalid.xml", "The file is not well-formed XML");
  }
  const rpt = doc?.Document?.CstmrPmtStsRpt;
  if (!rpt)
    throw InvalidError.field(
      "content",
      "invalid.pain002",
      "Not a pain.002 status report (no CstmrPmtStsRpt)",
    );
  const grp = rpt.OrgnlGrpInfAndSts ?? {};
  return {
    messageId: text(grp.OrgnlMsgId),
    groupStatus: text(grp.GrpSts),
    groupReason: reasons(grp),
    nbOfTxs: text(grp.OrgnlNbOfTxs),
    ctrlSum: text(grp.OrgnlCtrlSum),
    groupPerStatus: perStatus(grp),
    blocks: arr<Node>(rpt.OrgnlPmtInfAndSts).map((b) => ({
      pmtInfId: text(b.OrgnlPmtInfId),
      status: text(b.PmtInfSts),
      reason: reasons(b),
      nbOfTxs: text(b.OrgnlNbOfTxs),
      ctrlSum: text(b.OrgnlCtrlSum),
      perStatus: perStatus(b),
      txs: arr<Node>(b.TxInfAndSts).map((t) => {
        const instrKey = Object.keys(t ?? {}).find((k) => /^OrgnlInstr\w*Id$/.test(k));
        return {
          endToEndId: text(t?.OrgnlEndToEndId),
          instrId: instrKey ? text(t[instrKey]) : undefined,
          status: text(t?.TxSts),
          reason: reasons(t),
        };
      }),
    })),
  };
}
