/**
 * Schema evolution (SPEC §3.1): when an event type's shape changes, register an upcaster
 * from the old version to the next. Stored events are never rewritten; they are upcast on
 * read, step by step, to the current version.
 */
export type Upcaster = (data: unknown) => unknown;

const registry = new Map<string, Map<number, Upcaster>>();
/** Fast path: reads skip all work while no upcaster is registered at all. */
let registered = 0;

/** Register `fn` to turn `type` data of `fromVersion` into `fromVersion + 1`. */
export function registerUpcaster(type: string, fromVersion: number, fn: Upcaster): void {
  let byVersion = registry.get(type);
  if (!byVersion) {
    byVersion = new Map();
    registry.set(type, byVersion);
  }
  if (!byVersion.has(fromVersion)) registered += 1;
  byVersion.set(fromVersion, fn);
}

/** The current schema version of an event type (1 plus the upcasters registered for it). */
export function currentSchemaVersion(type: string): number {
  const byVersion = registry.get(type);
  if (!byVersion) return 1;
  let v = 1;
  while (byVersion.has(v)) v += 1;
  return v;
}

/** Upcast `data` of `type` from `version` to the current version. */
export function upcast(type: string, version: number, data: unknown): unknown {
  const byVersion = registry.get(type);
  if (!byVersion) return data;
  let v = version;
  let d = data;
  for (let fn = byVersion.get(v); fn; fn = byVersion.get(v)) {
    d = fn(d);
    v += 1;
  }
  return d;
}

/** Remove an upcaster (tests). */
export function unregisterUpcaster(type: string, fromVersion: number): void {
  if (registry.get(type)?.delete(fromVersion)) registered -= 1;
}

/**
 * A stored event as the current catalogue expects it: `data` upcast from the event's
 * `metadata.schemaVersion` (absent = 1) to the type's current version, which the returned
 * metadata then names. Stores call this on every read; the stored row is never rewritten.
 */
export function upcastStored<E extends { type: string; data: unknown; metadata: { schemaVersion?: number } }>(
  event: E,
): E {
  if (registered === 0) return event;
  const current = currentSchemaVersion(event.type);
  const version = event.metadata.schemaVersion ?? 1;
  if (version >= current) return event;
  return {
    ...event,
    data: upcast(event.type, version, event.data),
    metadata: { ...event.metadata, schemaVersion: current },
  };
}
