import { Prefixes } from "../../common/id.ts";
import { Reintegration } from "../../reintegration/index.ts";
import { type Loaders, viaGet } from "./types.ts";

export const loaders: Loaders = { [Prefixes.returnCase]: viaGet((id) => Reintegration.get(id)) };
