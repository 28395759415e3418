import { SLOT_MINUTES } from "@waypoint/schema/appointments";
import type { TxItem } from "../common/db.ts";
import { Unique } from "../common/unique.ts";

export interface Booking {
  appointmentID: string;
  officeID: string;
  room: string;
  start: string;
  end: string;
  interpreterID?: string;
  status: string;
}

/**
 * The slot-claim constraint items a booking holds: one per 15-minute slot for its room and one for its interpreter.
 * Claiming them in the booking's transaction is what makes double-booking impossible, even when two bookings
 * race: DynamoDB lets only one transaction create each claim.
 */
export function slotKeys(b: Booking): { namespace: string; value: string }[] {
  if (b.status !== "booked") return [];
  const keys: { namespace: string; value: string }[] = [];
  const room = b.room.trim().toLowerCase();
  for (let t = Date.parse(b.start); t < Date.parse(b.end); t += SLOT_MINUTES * 60_000) {
    const slot = new Date(t).toISOString();
    keys.push({ namespace: "slot.room", value: `${b.officeID}#${room}#${slot}` });
    if (b.interpreterID) keys.push({ namespace: "slot.interpreter", value: `${b.interpreterID}#${slot}` });
  }
  return keys;
}

/** Claims for slots the new booking holds and the old did not; releases for the reverse. */
export function slotChanges(
  before: Booking | undefined,
  after: Booking,
): { items: TxItem[]; claimed: string[] } {
  const id = (k: { namespace: string; value: string }) => `${k.namespace}|${k.value}`;
  const old = new Map((before ? slotKeys(before) : []).map((k) => [id(k), k]));
  const now = new Map(slotKeys(after).map((k) => [id(k), k]));
  const claims = [...now.entries()].filter(([k]) => !old.has(k)).map(([, k]) => k);
  const releases = [...old.entries()].filter(([k]) => !now.has(k)).map(([, k]) => k);
  return {
    items: [
      ...claims.map((k) => Unique.claim(k.namespace, k.value, after.appointmentID)),
      ...releases.map((k) => Unique.release(k.namespace, k.value)),
    ],
    claimed: claims.map((k) => k.namespace),
  };
}
