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
  // 4: event ids leave the events table's B-tree path on the append. `event_id` holds a
  // canonical UUID as its 16 bytes (other ids as text; a BLOB never equals a TEXT, and the
  // CHECK keeps a canonical UUID from being stored as text, where the store would miss it).
  // It has no index of its own any more: the idempotency index `event_ids` covers the events
  // up to `store_state.event_ids_through`, and is extended in sorted runs of thousands of ids
  // (see store.ts); the newer ids are looked up in the events table's tail, which the store
  // keeps in memory. SQLite cannot retype or un-index a column in place: the table is rebuilt.
  `CREATE TABLE events_v4 (
     position     INTEGER PRIMARY KEY,
     stream_id    TEXT    NOT NULL,
     revision     INTEGER NOT NULL,
     event_id     ANY     NOT NULL
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
   ALTER TABLE events_v4 RENAME TO events;
   CREATE TABLE event_ids (
     event_id ANY     PRIMARY KEY,
     position INTEGER NOT NULL
   ) STRICT, WITHOUT ROWID;
   INSERT INTO event_ids (event_id, position) SELECT event_id, position FROM events ORDER BY event_id;
   CREATE TABLE store_state (
     name  TEXT    PRIMARY KEY,
     value INTEGER NOT NULL
   ) STRICT, WITHOUT ROWID;
   INSERT INTO store_state (name, value) SELECT 'event_ids_through', coalesce(max(position), 0) FROM events;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
