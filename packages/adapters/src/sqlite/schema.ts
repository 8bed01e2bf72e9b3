/**
 * SQLite schema, versioned by `PRAGMA user_version`. Each migration runs once, in order,
 * inside a transaction; a database from a newer library version is refused.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the log, stream heads for O(1) revision checks, projection checkpoints.
  `CREATE TABLE events (
     position     INTEGER PRIMARY KEY,
     stream_id    TEXT    NOT NULL,
     revision     INTEGER NOT NULL,
     event_id     TEXT    NOT NULL UNIQUE,
     type         TEXT    NOT NULL,
     data         TEXT    NOT NULL,
     metadata     TEXT    NOT NULL,
     content_key  TEXT    NOT NULL,
     UNIQUE (stream_id, revision)
   ) STRICT;
   CREATE TABLE streams (
     stream_id TEXT PRIMARY KEY,
     revision  INTEGER NOT NULL
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE checkpoints (
     name       TEXT PRIMARY KEY,
     position   INTEGER NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT, WITHOUT ROWID;`,
  // 2: projection snapshots (state and position in one row) and the active version per name.
  `CREATE TABLE projections (
     name       TEXT    NOT NULL,
     version    TEXT    NOT NULL,
     position   INTEGER NOT NULL,
     state      TEXT    NOT NULL,
     updated_at TEXT    NOT NULL,
     PRIMARY KEY (name, version)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE projection_active (
     name    TEXT PRIMARY KEY,
     version TEXT NOT NULL
   ) STRICT, WITHOUT ROWID;`,
  // 3: the idempotency check recomputes a stored event's content key when its id comes
  // again (rare), instead of storing canonical JSON beside every event (half the bytes).
  'ALTER TABLE events DROP COLUMN content_key;',
];

export const SCHEMA_VERSION = MIGRATIONS.length;
