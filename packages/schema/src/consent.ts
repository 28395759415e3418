import { z } from "zod";
import { ServiceCategory } from "./referrals.ts";

export const ConsentPurposes = ["registration", "sharing", "messages", "resettlement"] as const;
export const ConsentPurpose = z.enum(ConsentPurposes);
export const ConsentHows = ["verbal", "written", "digital", "guardian"] as const;
export const ConsentGivers = ["person", "guardian", "representative"] as const;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)");

/** Which consent: a purpose, and for sharing the partner organisation or the service category it covers. */
export const ConsentTarget = z
  .object({
    purpose: ConsentPurpose,
    organisationID: z.string().min(1).optional(),
    serviceCategory: ServiceCategory.optional(),
  })
  .refine((c) => c.purpose !== "sharing" || Boolean(c.organisationID) !== Boolean(c.serviceCategory), {
    path: ["organisationID"],
    message: "consent to share names one partner organisation or one service category",
  })
  .refine((c) => c.purpose === "sharing" || (!c.organisationID && !c.serviceCategory), {
    path: ["purpose"],
    message: "only consent to share names a partner or a service category",
  });

export const ConsentGive = z.object({
  purpose: ConsentPurpose,
  organisationID: z.string().min(1).optional(),
  serviceCategory: ServiceCategory.optional(),
  date: Day,
  how: z.enum(ConsentHows),
  givenBy: z.enum(ConsentGivers).default("person"),
});
export const ConsentWithdraw = z.object({
  purpose: ConsentPurpose,
  organisationID: z.string().min(1).optional(),
  serviceCategory: ServiceCategory.optional(),
  date: Day,
  how: z.enum(ConsentHows),
});

export const ConsentInfo = z.object({
  individualID: z.string(),
  purpose: ConsentPurpose,
  organisationID: z.string().optional(),
  serviceCategory: z.string().optional(),
  status: z.enum(["given", "withdrawn"]),
  date: z.string(),
  how: z.string(),
  givenBy: z.string(),
  recordedBy: z.string(),
  withdrawnOn: z.string().optional(),
  withdrawnHow: z.string().optional(),
  withdrawnRecordedBy: z.string().optional(),
  version: z.number(),
  timeUpdated: z.string(),
});
export type ConsentInfo = z.infer<typeof ConsentInfo>;

export const ConsentWithdrawal = z.object({
  consent: ConsentInfo,
  referralsClosed: z.number().int().describe("partner referrals of the person no longer shared"),
  deliveriesDropped: z.number().int().describe("queued webhook deliveries about them dropped"),
});
