import { Prefixes } from "../../common/id.ts";
import { Household } from "../../household/index.ts";
import { Individual } from "../../individual/index.ts";
import type { Loaders } from "./types.ts";

export const loaders: Loaders = {
  [Prefixes.individual]: async (id) => {
    const r = await Individual.load(id);
    return r && { ...Individual.target(r), deleted: r.deleted };
  },
  [Prefixes.household]: async (id) => {
    const r = await Household.load(id);
    return r && { ...Household.target(r), deleted: r.deleted };
  },
};
