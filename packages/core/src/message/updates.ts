import { MessageEntity } from "./message.entity.ts";

/**
 * The conditional update of one message on the version it was read at, for a transaction: the sender takes and
 * records thousands of messages a run, and ElectroDB's update builder costs 0.3–0.4 ms of CPU per update on the
 * 2-core machine (7.7 of the sender's 46 CPU-seconds for a day of 10,000 reminders). So ElectroDB builds each shape
 * of update once (which attributes are set, to which state, what is removed), with placeholder values, and every
 * message's params are that template with its own values in the placeholders' places: the same keys, index keys
 * (the sparse `pending` index included), conditions and names as ElectroDB's, which updates.test.ts checks for every
 * update the sender makes.
 */
export interface MessageStep {
  m: { messageID: string; version: number };
  /** Attributes to set (`timeUpdated` included); `state` picks the template (the pending index depends on it). */
  set: Record<string, unknown>;
  remove?: string[];
}

/** The ElectroDB update itself (single writes go through it; the template is made from it). */
export function messageChange(step: MessageStep) {
  const { m, set, remove = [] } = step;
  let op = MessageEntity.patch({ messageID: m.messageID })
    .set(set as never)
    .add({ version: 1 });
  if (remove.length) op = op.remove(remove as never);
  return op.where((a, { eq }) => eq(a.version, m.version));
}

// Placeholders no real value contains: strings framed by U+2063 (invisible separator), numbers of 13 digits that
// start 7123456789 (no epoch-ms time for centuries, no version or attempt count).
const textMark = (i: number) => `\u2063${i}\u2063`;
const numberMark = (i: number) => 7_123_456_789_000 + i;

interface Template {
  json: string;
  /** Each placeholder as it appears in `json`, and how to write the message's value in its place. */
  marks: { text: string; value: (s: MessageStep) => string }[];
  /** All placeholders at once: each is replaced in one pass, so a value is never scanned for another. */
  find: RegExp;
  byText: Map<string, (s: MessageStep) => string>;
}

const templates = new Map<string, Template>();

function shapeOf(step: MessageStep): string {
  const keys = Object.keys(step.set).sort();
  const fixed = keys.map((k) => {
    const v = step.set[k];
    if (k === "state" || (typeof v !== "string" && typeof v !== "number")) return `${k}=${JSON.stringify(v)}`;
    return `${k}:${typeof v}`;
  });
  return `${fixed.join(",")}|${(step.remove ?? []).join(",")}`;
}

const escaped = (s: string) => JSON.stringify(s).slice(1, -1);

function templateOf(step: MessageStep): Template {
  const shape = shapeOf(step);
  const hit = templates.get(shape);
  if (hit) return hit;
  const marks: Template["marks"] = [];
  let n = 0;
  const mark = (v: unknown, get: (s: MessageStep) => unknown): unknown => {
    const i = ++n;
    if (typeof v === "number") {
      marks.push({ text: String(numberMark(i)), value: (s) => String(get(s)) });
      return numberMark(i);
    }
    marks.push({ text: escaped(textMark(i)), value: (s) => escaped(String(get(s))) });
    return textMark(i);
  };
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(step.set)) {
    const placeholder = k !== "state" && (typeof v === "string" || typeof v === "number");
    set[k] = placeholder ? mark(v, (s) => s.set[k]) : v;
  }
  const sample: MessageStep = {
    m: {
      messageID: mark("", (s) => s.m.messageID) as string,
      version: mark(0, (s) => s.m.version) as number,
    },
    set,
    ...(step.remove ? { remove: step.remove } : {}),
  };
  const json = JSON.stringify(messageChange(sample).params());
  // every placeholder must have landed somewhere, or the template would drop a message's value
  for (const x of marks)
    if (!json.includes(x.text)) throw new Error(`message update template lost a value (${shape})`);
  const t = {
    json,
    marks,
    find: new RegExp(marks.map((x) => x.text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")).join("|"), "g"),
    byText: new Map(marks.map((x) => [x.text, x.value])),
  };
  templates.set(shape, t);
  return t;
}

/** ElectroDB's params for this update (see above), built from the shape's template. */
export function messageUpdateParams(step: MessageStep): Record<string, unknown> {
  for (const [k, v] of Object.entries(step.set))
    if (typeof v === "number" && !Number.isFinite(v)) throw new RangeError(`message update: ${k} is ${v}`);
  const t = templateOf(step);
  const json = t.json.replace(t.find, (text) => t.byText.get(text)!(step));
  return JSON.parse(json) as Record<string, unknown>;
}
