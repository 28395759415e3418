import { log } from "../common/log.ts";
import { Dedupe } from "../dedupe/index.ts";

/**
 * The registered individual a referred person is, when duplicate detection is confident: exactly one strong
 * candidate. The link is for staff; partners never learn whether or whom it matched.
 */
export async function confidentMatch(
  operationID: string,
  p:
    | {
        givenName?: string;
        familyName?: string;
        sex?: string;
        dateOfBirth?: string;
        estimatedAge?: number;
        nationality?: string;
        phone?: string;
      }
    | undefined,
): Promise<string | undefined> {
  if (!p?.givenName || !p.familyName) return undefined;
  try {
    const found = await Dedupe.find(
      { operationID, ...p, givenName: p.givenName, familyName: p.familyName },
      3,
    );
    const strong = found.filter((c) => c.strength === "strong");
    return strong.length === 1 ? strong[0]!.record.individualID : undefined;
  } catch (err) {
    log.warn({ err: (err as Error).name }, "referral duplicate check failed");
    return undefined;
  }
}
