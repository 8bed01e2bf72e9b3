/** GLOB pattern of a canonical (lowercase, hyphenated) UUID, 36 characters. */
const UUID_GLOB = [8, 4, 4, 4, 12].map((n) => '[0-9a-f]'.repeat(n)).join('-');

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
  // 4: the idempotency key of a canonical UUID event id is its 16 bytes as a BLOB instead of
  // its 36-character text: the UNIQUE index on random ids is half the size, so a batch's
  // inserts into it cost less CPU and fewer page reads. Other ids stay TEXT (a BLOB never
  // equals a TEXT); the CHECK keeps a canonical UUID from being stored as TEXT, where the
  // store would not find it. SQLite cannot retype a column in place: the table is rebuilt.
  `CREATE TABLE events_v4 (
     position     INTEGER PRIMARY KEY,
     stream_id    TEXT    NOT NULL,
     revision     INTEGER NOT NULL,
     event_id     ANY     NOT NULL UNIQUE
       CHECK ((typeof(event_id) = 'blob' AND length(event_id) = 16)
           OR (typeof(event_id) = 'text' AND event_id NOT GLOB '${UUID_GLOB}')),
     type         TEXT    NOT NULL,
     data         TEXT    NOT NULL,
     metadata     TEXT    NOT NULL,
     UNIQUE (stream_id, revision)
   ) STRICT;
   INSERT INTO events_v4 (position, stream_id, revision, event_id, type, data, metadata)
     SELECT position, stream_id, revision,
            CASE WHEN event_id GLOB '${UUID_GLOB}' THEN unhex(replace(event_id, '-', '')) ELSE event_id END,
            type, data, metadata
       FROM events ORDER BY position;
   DROP TABLE events;
   ALTER TABLE events_v4 RENAME TO events;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
