/**
 * ElectroDB entities built on first use.
 *
 * Building an ElectroDB `Entity` parses and checks its model (attributes, indexes, key templates): about 0.5 ms
 * each, ~25 ms for the 48 entities of core. A Lambda cold start used to pay all of it at import, although a request
 * touches a handful of them. `lazyEntity(() => new Entity(…))` returns a stand-in with the entity's own type that
 * builds the entity the first time any property is read, and then forwards everything to it: methods run with
 * the real entity as `this`, so ElectroDB's internals never see the stand-in.
 *
 * `buildAllEntities()` builds every entity at once: `npm start` and the tests call it, so a model ElectroDB
 * rejects fails there (ElectroDB checks models in its constructor) and not on a first request in production.
 */
const builders: { real: () => object; reset: () => void }[] = [];

export function lazyEntity<T extends object>(build: () => T): T {
  let entity: T | undefined;
  const real = (): T => (entity ??= build());
  const bound = new Map<PropertyKey, unknown>();
  builders.push({
    real,
    reset: () => {
      entity = undefined;
      bound.clear();
    },
  });
  return new Proxy({} as T, {
    get(_, key) {
      const target = real();
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      // Bind once per method so `entity.get === entity.get` holds and `this` is the real entity.
      let fn = bound.get(key) as { raw: unknown; fn: unknown } | undefined;
      if (!fn || fn.raw !== value) {
        fn = { raw: value, fn: (value as (...a: unknown[]) => unknown).bind(target) };
        bound.set(key, fn);
      }
      return fn.fn;
    },
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor(_, key) {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      // The stand-in's target is an empty extensible object: report properties as configurable (proxy invariant).
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

/** Builds every entity declared so far (and so checks its model). Returns how many there are. */
export function buildAllEntities(): number {
  for (const b of builders) b.real();
  return builders.length;
}

/**
 * Forgets the built entities, so that the next use builds them again from the configuration of the moment (an
 * entity keeps the table name it was built with). For code that points core at another table after first use:
 * the CLI test that plays an operator's shell on a stage's table, beside the test run's own table.
 */
export function resetEntities(): void {
  for (const b of builders) b.reset();
}
