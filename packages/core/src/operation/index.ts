import { Actor } from "../actor.ts";
import { nowIso } from "../common/db.ts";
import { NotFoundError } from "../common/errors.ts";
import { Identifier } from "../common/id.ts";
import { OfficeEntity, OperationEntity } from "./operation.entity.ts";

export namespace Operation {
  export type Info = typeof OperationEntity.schema extends never ? never : Awaited<ReturnType<typeof get>>;

  export async function create(input: {
    code: string;
    name: string;
    country: string;
    currency: string;
    operationID?: string;
    settings?: unknown;
  }) {
    Actor.assert("office.manage");
    const now = nowIso();
    const item = {
      ...input,
      operationID: input.operationID ?? Identifier.create("operation"),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await OperationEntity.create(item).go();
    return item;
  }

  export async function get(operationID: string) {
    const res = await OperationEntity.get({ operationID }).go();
    if (!res.data) throw new NotFoundError("operation", operationID);
    return res.data;
  }

  export async function list() {
    return (await OperationEntity.query.all({}).go({ pages: "all" })).data;
  }

  export async function createOffice(input: {
    operationID: string;
    code: string;
    name: string;
    adm1?: string;
    adm2?: string;
    kind?: "office" | "field_office" | "terminal" | "shelter";
    officeID?: string;
  }) {
    Actor.assert("office.manage");
    const now = nowIso();
    const item = {
      ...input,
      officeID: input.officeID ?? Identifier.create("office"),
      version: 1,
      timeCreated: now,
      timeUpdated: now,
    };
    await OfficeEntity.create(item).go();
    return item;
  }

  export async function offices(operationID: string = Actor.operationID()) {
    return (await OfficeEntity.query.byOperation({ operationID }).go({ pages: "all" })).data;
  }

  export async function office(officeID: string) {
    const res = await OfficeEntity.get({ officeID }).go();
    if (!res.data) throw new NotFoundError("office", officeID);
    return res.data;
  }
}
