import { Prefixes } from "../../common/id.ts";
import { Household } from "../../household/index.ts";
import { Individual } from "../../individual/index.ts";
import { type Loaders, viaGet } from "./types.ts";

export const loaders: Loaders = {
  [Prefixes.individual]: viaGet((id) => Individual.get(id)),
  [Prefixes.household]: viaGet((id) => Household.get(id)),
};
