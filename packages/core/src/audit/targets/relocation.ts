import { Prefixes } from "../../common/id.ts";
import { Relocation } from "../../relocation/index.ts";
import { RelocationTrip } from "../../relocation/trip.ts";
import { type Loaders, viaGet } from "./types.ts";

export const loaders: Loaders = {
  [Prefixes.relocation]: viaGet((id) => Relocation.get(id)),
  [Prefixes.trip]: viaGet((id) => RelocationTrip.get(id)),
};
