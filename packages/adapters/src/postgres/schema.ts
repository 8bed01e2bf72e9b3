/**
 * PostgreSQL schema for one ledger, versioned in `<schema>.schema_migrations`. Each
 * migration runs once, in order, in its own transaction, while a transaction-scoped advisory
 * lock keeps two processes from migrating the same schema at once.
 *
 * `log_head` is a single row holding the last global position. Every append locks it
 * (`SELECT ... FOR UPDATE`) before it assigns positions and keeps the lock until it commits,
 * so transactions commit in position order and a reader's snapshot always holds a gap-free
 * prefix of the log (no late-commit gap; see docs/stores/postgres.md).
 */
export function migrations(schema: string): readonly string[] {
  const s = quoteIdent(schema);
  return [
    // 1: the log, stream heads, the position counter, checkpoints, projection snapshots.
    `CREATE TABLE ${s}.events (
       position     bigint      PRIMARY KEY,
       stream_id    text        NOT NULL,
       revision     bigint      NOT NULL,
       event_id     text        NOT NULL UNIQUE,
       type         text        NOT NULL,
       data         json        NOT NULL,
       metadata     json        NOT NULL,
       UNIQUE (stream_id, revision)
     );
     CREATE TABLE ${s}.streams (
       stream_id text   PRIMARY KEY,
       revision  bigint NOT NULL
     );
     CREATE TABLE ${s}.log_head (
       id       boolean PRIMARY KEY DEFAULT true CHECK (id),
       position bigint  NOT NULL
     );
     INSERT INTO ${s}.log_head (id, position) VALUES (true, 0);
     CREATE TABLE ${s}.checkpoints (
       name       text        PRIMARY KEY,
       position   bigint      NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     );
     CREATE TABLE ${s}.projections (
       name       text        NOT NULL,
       version    text        NOT NULL,
       position   bigint      NOT NULL,
       state      text        NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (name, version)
     );
     CREATE TABLE ${s}.projection_active (
       name    text PRIMARY KEY,
       version text NOT NULL
     );`,
  ];
}

/** Quote an SQL identifier (schema names come from options, so never splice them raw). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
