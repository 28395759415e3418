import { describe, expect, it } from "vitest";
import { Entity } from "electrodb";
import { randomUUID } from "node:crypto";
import { buildAllEntities, config } from "@waypoint/core";
import { lazyEntity } from "../../packages/core/src/common/entity.ts";
import { entityOptions } from "../../packages/core/src/common/db.ts";
import "@waypoint/functions";

describe("ElectroDB entities built on first use", () => {
  it("every model of core passes ElectroDB's own check (what npm start runs before serving)", () => {
    // The app import above loads every module of core; each declares its entities lazily.
    expect(buildAllEntities()).toBeGreaterThanOrEqual(48);
  });

  it("builds the entity on first use only, then behaves as the entity itself against the table", async () => {
    let built = 0;
    const Probe = lazyEntity(() => {
      built++;
      return new Entity(
        {
          model: { entity: "lazyProbe", version: "1", service: "waypoint" },
          attributes: {
            probeID: { type: "string", required: true },
            label: { type: "string", required: true },
          },
          indexes: {
            primary: {
              pk: { field: "pk", composite: ["probeID"], casing: "none" },
              sk: { field: "sk", composite: [], casing: "none" },
            },
          },
        },
        entityOptions(),
      );
    });
    expect(built).toBe(0);
    const probeID = `probe_${randomUUID()}`;
    await Probe.create({ probeID, label: "first" }).go();
    expect(built).toBe(1);
    expect(Probe).toBeInstanceOf(Entity);
    expect(Probe.get).toBe(Probe.get); // a method is bound once, to the real entity
    const { data } = await Probe.get({ probeID }).go();
    expect(data).toEqual({ probeID, label: "first" });
    const params = Probe.update({ probeID }).set({ label: "second" }).params<{ TableName: string }>();
    expect(params.TableName).toBe(config().tableName);
    await Probe.update({ probeID }).set({ label: "second" }).go();
    expect((await Probe.get({ probeID }).go()).data?.label).toBe("second");
    expect(built).toBe(1);
  });
});
