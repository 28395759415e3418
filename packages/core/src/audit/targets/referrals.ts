import { Appointment } from "../../appointment/index.ts";
import { Prefixes } from "../../common/id.ts";
import { loadReferral, referralTarget } from "../../referral/store.ts";
import type { Loaders } from "./types.ts";

export const loaders: Loaders = {
  [Prefixes.referral]: async (id) => {
    const r = await loadReferral(id);
    return r && { ...referralTarget(r), deleted: r.deleted };
  },
  [Prefixes.appointment]: async (id) => {
    const a = await Appointment.load(id);
    return a && Appointment.target(a);
  },
};
