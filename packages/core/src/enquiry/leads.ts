import { LeadRegistration } from "@waypoint/schema/community";
import { LeadTransitions } from "@waypoint/schema/partner";
import { Actor } from "../actor.ts";
import { InvalidError, NotFoundError, RuleError } from "../common/errors.ts";
import { toFieldIssues } from "../common/fn.ts";
import { writeVersioned } from "../common/record.ts";
import { Individual } from "../individual/index.ts";
import { LeadEntity } from "../intake/intake.entity.ts";
import { FieldValues } from "../fields/values.ts";

/**
 * The configured values a Kobo mapping put on the lead that the registering actor may give (active fields their
 * role may change); what the form sends for the person wins. Checked again by the registry's create.
 */
async function withLeadValues(operationID: string, lead: { fields?: unknown }, person: Record<string, unknown>) {
  const held = lead.fields as Record<string, unknown> | undefined;
  if (!held) return person;
  await FieldValues.ready(operationID);
  const defs = new Map(FieldValues.definitions("individual", operationID).map((d) => [d.key, d]));
  const given = Object.entries(held).filter(([k]) => {
    const d = defs.get(k);
    return d && d.status === "active" && FieldValues.editable(d);
  });
  if (given.length === 0) return person;
  return { ...person, fields: { ...Object.fromEntries(given), ...((person.fields as object | undefined) ?? {}) } };
}

/**
 * A lead of the interest form (or a partner's Kobo form) becomes a registered person from the enquiry queue:
 * registered through the registry's own create, so its duplicate check (and the override with a reason) applies,
 * or linked to the registered person that check found. The lead is then `registered` and names that person.
 */
export namespace Leads {
  async function lead(leadID: string) {
    const l = (await LeadEntity.get({ leadID }).go({ consistent: true })).data;
    if (!l || l.operationID !== Actor.operationID()) throw new NotFoundError("lead", leadID);
    return l;
  }

  export async function register(leadID: string, body: unknown) {
    Actor.assert("enquiry.record");
    Actor.assert("intake.read", { operationID: Actor.operationID() });
    const parsed = LeadRegistration.safeParse(body);
    if (!parsed.success) throw new InvalidError(toFieldIssues(parsed.error));
    const input = parsed.data;
    const cur = await lead(leadID);
    if (!LeadTransitions[cur.status].includes("registered"))
      throw new RuleError("lead.transition", `A lead cannot move from ${cur.status} to registered`);
    if (cur.version !== input.version)
      throw new RuleError("lead.changed", "The lead changed since it was opened; open it again");
    let individualID: string;
    let candidates: unknown[] = [];
    if ("individualID" in input) {
      individualID = input.individualID;
      await Individual.get(individualID);
    } else {
      const person = await withLeadValues(cur.operationID, cur, input.person);
      const made = await Individual.create(person as never, { overrideDuplicates: input.overrideDuplicates }, "person");
      individualID = made.record.individualID;
      candidates = made.candidates;
    }
    const res = await writeVersioned(
      {
        entity: LeadEntity,
        key: { leadID },
        expectedVersion: input.version,
        set: { status: "registered", individualID },
        audit: {
          recordID: leadID,
          recordType: "lead",
          action: "status.registered",
          operationID: cur.operationID,
          changes: { status: { before: cur.status, after: "registered" }, individualID: { after: individualID } },
        },
      },
      async () => (await LeadEntity.get({ leadID }).go({ consistent: true })).data,
    );
    return { leadID, status: "registered" as const, individualID, version: res.version, candidates };
  }
}
