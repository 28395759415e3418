import { Actor, Auth, Identifier, Operation, Organisation, User } from "@waypoint/core";
import type { PartnerScope, Role } from "@waypoint/schema";
import { app } from "@waypoint/functions";
import { UniqueEntity } from "@waypoint/core/common/unique";

export const system: Actor.System = { type: "system", reason: "test" };

/** Runs `fn` as the system actor (fixtures), or as `actor`. */
export const as = <R>(actor: Actor.Any, fn: () => R): R => Actor.provide(actor, fn);

export interface TestOperation {
  operationID: string;
  officeA: string;
  officeB: string;
  /** A signed-in actor and bearer token per role, scoped to office A (admin and finance roles: all offices). */
  users: Record<Role, { actor: Actor.User; token: string; userID: string; email: string }>;
  /** Extra caseworker of office B, for scope tests. */
  caseworkerB: { actor: Actor.User; token: string; userID: string };
}

const ALL_OFFICE_ROLES: Role[] = ["admin", "finance", "finance_approver"];

/**
 * An operation code no other test operation of the run has, reserved like any unique value. Operation codes are
 * unique (core refuses a taken one with a 409); with three random characters and about 320 test operations a run,
 * two tests would pick one code about once in a hundred runs and the second one's operation would be refused.
 */
export async function testOperationCode(): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const code = `T${Identifier.create("operation").slice(-3)}`;
    try {
      await UniqueEntity.create({ namespace: "test-operation-code", value: code, ownerID: "fixtures" }).go();
      return code;
    } catch (err) {
      const taken = (err as { cause?: { name?: string } }).cause?.name === "ConditionalCheckFailedException";
      if (!taken || attempt === 20) throw err;
    }
  }
}

/** A fresh operation with two offices and one user per role: tests never share records. */
export async function createTestOperation(): Promise<TestOperation> {
  return as(system, async () => {
    const tag = Identifier.create("operation").slice(-8);
    const op = await Operation.create({
      code: await testOperationCode(),
      name: `Test ${tag}`,
      country: "MX",
      currency: "MXN",
    });
    const a = await Operation.createOffice({ operationID: op.operationID, code: "TAP", name: "Tapachula" });
    const b = await Operation.createOffice({ operationID: op.operationID, code: "MTY", name: "Monterrey" });
    const roles: Role[] = [
      "admin",
      "supervisor",
      "caseworker",
      "finance",
      "finance_approver",
      "viewer",
      "interpreter",
    ];
    const users = {} as TestOperation["users"];
    const mk = async (role: Role, officeIDs: string[], suffix = "") => {
      const email = `${role}${suffix}.${tag}@test.example.org`.toLowerCase();
      const u = await User.create({
        email,
        name: `${role} ${tag}`,
        password: "pw-test",
        grants: [{ operationID: op.operationID, role, officeIDs }],
      });
      const { token } = await Auth.issue(u);
      const actor: Actor.User = {
        type: "user",
        userID: u.userID,
        email,
        operationID: op.operationID,
        role,
        officeIDs,
      };
      return { actor, token, userID: u.userID, email };
    };
    for (const role of roles)
      users[role] = await mk(role, ALL_OFFICE_ROLES.includes(role) ? [] : [a.officeID]);
    const caseworkerB = await mk("caseworker", [b.officeID], "b");
    return { operationID: op.operationID, officeA: a.officeID, officeB: b.officeID, users, caseworkerB };
  });
}

export async function createPartnerKey(operationID: string, scopes: PartnerScope[], name = "Test partner") {
  return as(system, async () => {
    const org = await Organisation.create({ operationID, name });
    const key = await Organisation.createKey({ organisationID: org.organisationID, name: "test", scopes });
    return { ...key, organisation: org };
  });
}

/** Calls the real Hono app in-process. */
export async function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] ??= "application/json";
  const res = await app.request(path, {
    method,
    headers,
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === "string"
          ? opts.body
          : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test helper: callers assert on shape
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
