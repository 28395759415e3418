import { Dedupe } from "../dedupe/index.ts";
import { loadReferral, saveReferral } from "./store.ts";

type Person = {
  givenName?: string;
  familyName?: string;
  sex?: string;
  dateOfBirth?: string;
  estimatedAge?: number;
  nationality?: string;
  phone?: string;
};

/**
 * The registered individual a referred person is, when duplicate detection is confident: exactly one strong
 * candidate. The link is for staff; partners never learn whether or whom it matched. Errors propagate (the
 * job that calls it is retried).
 */
export async function confidentMatch(
  operationID: string,
  p: Person | undefined,
): Promise<string | undefined> {
  if (!p?.givenName || !p.familyName) return undefined;
  const found = await Dedupe.find({ operationID, ...p, givenName: p.givenName, familyName: p.familyName }, 3);
  const strong = found.filter((c) => c.strength === "strong");
  return strong.length === 1 ? strong[0]!.record.individualID : undefined;
}

/** The job a partner's referral is created with: link it to the individual it is about, if that is certain. */
export const MATCH_JOB = "referral.match";

/**
 * Idempotent: a referral already linked (by this job or by staff in the meantime), deleted, or without a person
 * is left alone; the link is a versioned change with its own audit event ("match"), so a concurrent edit makes
 * this attempt fail and the job retries on the fresh record.
 */
export async function matchReferral(referralID: string): Promise<void> {
  const r = await loadReferral(referralID);
  if (!r || r.deleted || r.individualID) return;
  const individualID = await confidentMatch(r.operationID, r.person as Person | undefined);
  if (!individualID) return;
  await saveReferral(r, r.version, "match", { individualID });
}
