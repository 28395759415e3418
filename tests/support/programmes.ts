import { randomBytes } from "node:crypto";
import { Auth, Case, Individual, User, type Actor } from "@waypoint/core";
import type { Role } from "@waypoint/schema";
import { as, system, type TestOperation } from "./fixtures.ts";

let n = 0;
// random letters, not a clock: two names one counter step apart are near-identical to the fuzzy duplicate check
const unique = () => `${randomBytes(5).toString("hex").replace(/\d/g, (d) => "ghijklmnop"[Number(d)]!)}${(n++).toString(36)}`;
/** Distinct, non-colliding names so the duplicate check does not link test people to each other. */
const NAMES = ["Amara", "Yusuf", "Lucia", "Dawit", "Marisol", "Tesfaye", "Nadia", "Omar", "Rosa", "Kofi"];

export interface PersonSpec {
  age: number;
  sex?: "female" | "male";
  relationshipToHead?: "head" | "spouse" | "child" | "grandchild" | "sibling" | "unrelated";
  specificNeeds?: string[];
}

export async function people(op: TestOperation, specs: PersonSpec[], officeID = op.officeA) {
  return as(op.users.caseworker.actor, async () => {
    const out: Individual.Info[] = [];
    for (const [i, s] of specs.entries()) {
      const year = new Date().getUTCFullYear() - s.age;
      const p = (
        await Individual.create({
          officeID,
          givenName: `${NAMES[i % NAMES.length]}${unique()}`,
          familyName: `Family${unique()}`,
          sex: s.sex ?? (i % 2 ? "male" : "female"),
          dateOfBirth: `${year}-03-15`,
          nationality: "HND",
          relationshipToHead: s.relationshipToHead,
          specificNeeds: s.specificNeeds as never,
        })
      ).record;
      out.push(p);
    }
    return out;
  });
}

export async function caseWith(op: TestOperation, type: Case.Info["type"], individualIDs: string[]) {
  return as(op.users.caseworker.actor, () =>
    Case.create({ officeID: op.officeA, type, individualIDs, assignedTo: op.users.caseworker.userID }),
  );
}

/** Another signed-in user of the test operation (panels and four-eyes need more than one per role). */
export async function extraUser(op: TestOperation, role: Role, officeIDs: string[] = [op.officeA]) {
  return as(system, async () => {
    const email = `${role}.${unique()}@test.example.org`;
    const u = await User.create({
      email,
      name: `${role} extra`,
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
    return { actor, token, userID: u.userID };
  });
}
