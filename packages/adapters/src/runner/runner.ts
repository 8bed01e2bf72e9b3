import {
  type EventStore,
  ProjectionError,
  type RecordedEvent,
  type Subscription,
} from '@referral-ledger/core';
import { LedgerModel, type ReplayOptions } from '@referral-ledger/projections';
import type { Projection, ProjectionStateStore, StoredProjection } from './types.ts';

export interface RunOptions {
  /** Save a durable projection's state after at least this many new events (default 1000) and when caught up. */
  readonly saveEvery?: number;
  /** Events per batch read from the store (default 500). */
  readonly batchSize?: number;
  /** Called once when the projection stops on an event it cannot apply. */
  readonly onError?: (error: ProjectionError | Error) => void;
}

/** One running projection version: catching up, then following the store live. */
export interface RunningProjection<S> {
  readonly name: string;
  readonly version: string;
  /** The current state (the events up to `position()`). */
  state(): S;
  /** The last position folded into the state. */
  position(): number;
  /** Resolves when every event up to the store's head has been applied; rejects with the `ProjectionError` if it stopped. */
  caughtUp(): Promise<void>;
  /** The error that stopped it, if any. */
  failure(): ProjectionError | Error | null;
  /** Save (when durable) and stop following. */
  stop(): Promise<void>;
}

/**
 * Run one projection version: load its snapshot (state and position saved together),
 * catch up from there, then follow new events through the store's subscription. An event
 * the reducer cannot apply stops it there with a `ProjectionError` naming the event's id
 * and position (SPEC §8 Failures); it never skips one, and the saved snapshot stays at the
 * last event applied, so the next start resumes from the checkpoint.
 *
 * @example
 * const run = await runProjection(store, store, counter);
 * await run.caughtUp(); console.log(run.state());
 */
export async function runProjection<S>(
  store: EventStore,
  states: ProjectionStateStore,
  projection: Projection<S>,
  options: RunOptions = {},
): Promise<RunningProjection<S>> {
  const durable = projection.serialize !== undefined && projection.deserialize !== undefined;
  const saveEvery = options.saveEvery ?? 1000;
  let snapshot: StoredProjection | null = null;
  if (durable) snapshot = await states.loadProjection(projection.name, projection.version);
  let state = snapshot ? projection.deserialize!(snapshot.state) : projection.initialState();
  let position = snapshot?.position ?? 0;
  let savedAt = position;
  let failure: ProjectionError | Error | null = null;
  let saving: Promise<void> = Promise.resolve();

  const save = async (): Promise<void> => {
    // `state` is what the last successful `apply` returned: after a failure it still
    // matches `position` exactly (reducers return new state rather than half-mutating).
    if (!durable || position === savedAt) return;
    const at = position;
    await states.saveProjection(projection.name, projection.version, at, projection.serialize!(state));
    savedAt = at;
  };

  const onEvents = async (events: readonly RecordedEvent[]): Promise<void> => {
    for (const e of events) {
      try {
        state = projection.apply(state, e);
      } catch (cause) {
        failure = new ProjectionError(
          e.metadata.eventId,
          e.position,
          `projection ${projection.name}@${projection.version} cannot apply ${e.type}: ${(cause as Error).message ?? cause}`,
          { cause },
        );
        throw failure;
      }
      position = e.position;
    }
    if (position - savedAt >= saveEvery) {
      saving = save();
      await saving;
    }
  };

  const sub: Subscription = store.subscribe({
    after: position,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    onEvents,
    onError: (error) => {
      failure ??= error as Error;
      options.onError?.(failure);
    },
  });

  return {
    name: projection.name,
    version: projection.version,
    state: () => state,
    position: () => position,
    failure: () => failure,
    async caughtUp() {
      await sub.caughtUp();
      if (failure) throw failure;
      await saving;
      await save();
    },
    async stop() {
      await sub.close();
      await saving;
      await save();
    },
  };
}

/**
 * Keeps the active version of a projection and rebuilds new versions beside it (blue/green):
 * `rebuild(next)` catches `next` up from its own checkpoint while the current version keeps
 * serving, then switches `activeVersion` and stops the old one. Readers use `current()`.
 *
 * @example
 * const runner = await ProjectionRunner.start(store, store, commissionV1);
 * await runner.rebuild(commissionV2); // v1 serves until v2 has caught up
 */
export class ProjectionRunner<S> {
  #current: RunningProjection<S>;
  readonly #store: EventStore;
  readonly #states: ProjectionStateStore;
  readonly #options: RunOptions;

  private constructor(
    current: RunningProjection<S>,
    store: EventStore,
    states: ProjectionStateStore,
    options: RunOptions,
  ) {
    this.#current = current;
    this.#store = store;
    this.#states = states;
    this.#options = options;
  }

  /** Start (or resume) a projection and make it the active version once it has caught up. */
  static async start<S>(
    store: EventStore,
    states: ProjectionStateStore,
    projection: Projection<S>,
    options: RunOptions = {},
  ): Promise<ProjectionRunner<S>> {
    const run = await runProjection(store, states, projection, options);
    try {
      await run.caughtUp();
    } catch (e) {
      await run.stop();
      throw e;
    }
    if ((await states.activeVersion(projection.name)) !== projection.version) {
      await states.activateVersion(projection.name, projection.version);
    }
    return new ProjectionRunner(run, store, states, options);
  }

  /** The active version. */
  current(): RunningProjection<S> {
    return this.#current;
  }

  /**
   * Build `next` beside the active version and switch to it once it has caught up. If it
   * fails, the active version keeps serving and the error is thrown. The old version's
   * snapshot is dropped after the switch unless `keepOld` is set.
   */
  async rebuild(next: Projection<S>, opts: { keepOld?: boolean } = {}): Promise<void> {
    const green = await runProjection(this.#store, this.#states, next, this.#options);
    try {
      await green.caughtUp();
    } catch (e) {
      await green.stop();
      throw e;
    }
    await this.#states.activateVersion(next.name, next.version);
    const blue = this.#current;
    this.#current = green;
    await blue.stop();
    if (!opts.keepOld && blue.version !== green.version) {
      await this.#states.dropProjectionVersion(blue.name, blue.version);
    }
  }

  async stop(): Promise<void> {
    await this.#current.stop();
  }
}

/**
 * Projection snapshots in memory (tests, the in-memory store).
 *
 * @example const states = inMemoryProjectionStates();
 */
export function inMemoryProjectionStates(): ProjectionStateStore {
  const rows = new Map<string, StoredProjection>();
  const active = new Map<string, string>();
  const key = (n: string, v: string) => `${n}\u0000${v}`;
  return {
    async loadProjection(name, version) {
      return rows.get(key(name, version)) ?? null;
    },
    async saveProjection(name, version, position, state) {
      rows.set(key(name, version), { position, state });
    },
    async activeVersion(name) {
      return active.get(name) ?? null;
    },
    async activateVersion(name, version) {
      active.set(name, version);
    },
    async dropProjectionVersion(name, version) {
      rows.delete(key(name, version));
    },
  };
}

/**
 * The full replay model (`LedgerModel`, every view's input) as a runner projection. It is
 * not serialised: a restart rebuilds it from the log, which is exact and fast enough for
 * the CLI; pass the rule version in `version` so what-if rebuilds sit beside the live one.
 *
 * @example
 * const run = await runProjection(store, states, ledgerModelProjection('rules-2026-01', { rules }));
 * await run.caughtUp(); const model = run.state().finish();
 */
export function ledgerModelProjection(version: string, options: ReplayOptions = {}): Projection<LedgerModel> {
  return {
    name: 'ledger-model',
    version,
    initialState: () => new LedgerModel(options),
    apply(model, event) {
      model.apply(event);
      return model;
    },
  };
}
