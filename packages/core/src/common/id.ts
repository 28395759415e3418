import { monotonicFactory } from "ulid";
import { z } from "zod";

const ulid = monotonicFactory();

/** Prefixed, sortable identifiers: `ind_01J…`. The prefix tells a reader (and a validator) what the ID is. */
export const Prefixes = {
  operation: "op",
  office: "off",
  user: "usr",
  organisation: "org",
  apiKey: "key",
  household: "hh",
  individual: "ind",
  case: "cas",
  assessment: "asm",
  referral: "ref",
  appointment: "apt",
  note: "not",
  document: "doc",
  incident: "inc",
  audit: "aud",
  payee: "pye",
  payment: "pay",
  batch: "bat",
  fsp: "fsp",
  trip: "trp",
  relocation: "rlc",
  execution: "exe",
  submission: "rst",
  host: "hst",
  placement: "plc",
  plan: "rip",
  supplier: "sup",
  invoice: "inv",
  quota: "quo",
  mission: "msn",
  visit: "vis",
  returnCase: "rtn",
  flag: "flg",
  planItem: "itm",
  webhook: "whk",
  outbox: "obx",
  lead: "led",
  intakeReview: "irv",
  view: "vw",
  import: "imp",
  export: "exp",
  job: "job",
  mail: "mal",
  message: "msg",
  activity: "act",
  enquiry: "enq",
  service: "svc",
  feedback: "fbk",
  dataChange: "dcr",
} as const;

export type IdKind = keyof typeof Prefixes;

export namespace Identifier {
  export function create(kind: IdKind): string {
    return `${Prefixes[kind]}_${ulid()}`;
  }
  export function schema(kind: IdKind) {
    const prefix = Prefixes[kind];
    return z
      .string()
      .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${kind} id (${prefix}_…)`);
  }
}
