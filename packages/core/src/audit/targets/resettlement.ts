import { Prefixes } from "../../common/id.ts";
import { Resettlement } from "../../resettlement/index.ts";
import { Missions } from "../../resettlement/missions.ts";
import { type Loaders, viaGet } from "./types.ts";

export const loaders: Loaders = {
  [Prefixes.submission]: viaGet((id) => Resettlement.get(id)),
  [Prefixes.mission]: viaGet((id) => Missions.get(id)),
};
