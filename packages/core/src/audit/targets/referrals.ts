import { Appointment } from "../../appointment/index.ts";
import { Prefixes } from "../../common/id.ts";
import { Referral } from "../../referral/index.ts";
import { type Loaders, viaGet } from "./types.ts";

export const loaders: Loaders = {
  [Prefixes.referral]: viaGet((id) => Referral.get(id)),
  [Prefixes.appointment]: viaGet((id) => Appointment.get(id)),
};
