import { Batch } from "../../batch/index.ts";
import { Prefixes } from "../../common/id.ts";
import { FspProfile } from "../../fsp/index.ts";
import { Payee } from "../../payee/index.ts";
import { Payment } from "../../payment/index.ts";
import { type Loaders, viaGet } from "./types.ts";

export const loaders: Loaders = {
  [Prefixes.payment]: viaGet((id) => Payment.get(id)),
  [Prefixes.batch]: viaGet((id) => Batch.get(id)),
  [Prefixes.payee]: viaGet(async (id) => (await Payee.get(id)) as Payee.Info & { operationID: string }),
  [Prefixes.fsp]: viaGet((id) => FspProfile.get(id)),
};
