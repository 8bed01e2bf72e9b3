import type { RecordedEvent } from '@referral-ledger/core';

/**
 * A projection the runner can keep up to date: a pure reducer over stored events.
 * `version` names the code and rule version it computes with; a new version is rebuilt
 * beside the old one (blue/green), each with its own checkpoint.
 *
 * @example
 * const counter: Projection<number> = {
 *   name: 'event-count', version: 'v1', initialState: () => 0, apply: (n) => n + 1,
 *   serialize: String, deserialize: Number,
 * };
 */
export interface Projection<S> {
  readonly name: string;
  readonly version: string;
  initialState(): S;
  /** Fold one event in. Throwing stops the projection at that event (`ProjectionError`). */
  apply(state: S, event: RecordedEvent): S;
  /**
   * Make the state durable: the runner saves it together with its position, so a restart
   * resumes there without applying any event twice. Without these, every start replays
   * from the beginning (still exact, just slower).
   */
  serialize?(state: S): string;
  deserialize?(text: string): S;
}

/** A projection's saved state and the last position folded into it. */
export interface StoredProjection {
  readonly position: number;
  readonly state: string;
}

/**
 * Where projection snapshots live (SQLite and PostgreSQL stores implement it in their own
 * database): state and position are one row, written in one statement, so a crash keeps
 * both or neither. `activeVersion` is the version readers should use (blue/green switch).
 */
export interface ProjectionStateStore {
  loadProjection(name: string, version: string): Promise<StoredProjection | null>;
  /**
   * Several rows of one version in one query (optional): by name, absent names left out.
   * The privacy layer loads the keys of a page of events with it.
   */
  loadProjections?(names: readonly string[], version: string): Promise<Map<string, StoredProjection>>;
  /**
   * Every row of one version whose name starts with `prefix`, in one query (optional): the
   * privacy layer reads all keys with it before replaying a whole log (`SubjectKeyStore.warm`).
   */
  loadProjectionsByPrefix?(prefix: string, version: string): Promise<Map<string, StoredProjection>>;
  saveProjection(name: string, version: string, position: number, state: string): Promise<void>;
  activeVersion(name: string): Promise<string | null>;
  activateVersion(name: string, version: string): Promise<void>;
  dropProjectionVersion(name: string, version: string): Promise<void>;
}
