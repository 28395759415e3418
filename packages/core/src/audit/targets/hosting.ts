import { Prefixes } from "../../common/id.ts";
import { Hosting } from "../../hosting/index.ts";
import { type Loaders, viaGet } from "./types.ts";

export const loaders: Loaders = { [Prefixes.host]: viaGet((id) => Hosting.getHost(id)) };
