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
    // 2: the one-round-trip append (see docs/stores/postgres.md). It takes the log_head lock
    // like the client path, then writes only when every expected revision holds (else it
    // writes nothing and returns NULL); an id already stored fails the insert on the unique
    // event_id (the whole statement rolls back). Either way the caller then takes the exact
    // path, which answers retries and reports conflicts. Expected revisions are
    // coded: n >= 0 exact, -1 no stream, -2 any, -3 stream exists. Events are given per
    // write (p_ev_write, 1-based) with their offset in the write. Returns
    // [head before the append, then each write's first revision].
    `CREATE FUNCTION ${s}.append_events(
       p_streams text[], p_expected bigint[], p_counts int[],
       p_ev_write int[], p_ev_offset int[], p_ids text[], p_types text[], p_data json[], p_metadata json[],
       p_channel text
     ) RETURNS bigint[] LANGUAGE plpgsql
     -- Custom plans: generic plans of the array lookups may scan whole tables.
     SET search_path = ${s}, pg_catalog
     SET plan_cache_mode = force_custom_plan AS $fn$
     DECLARE
       head bigint;
       revs jsonb;
       cur bigint;
       exp bigint;
       starts bigint[] := '{}';
       n int := coalesce(array_length(p_ids, 1), 0);
     BEGIN
       SELECT position INTO head FROM log_head FOR UPDATE;
       SELECT coalesce(jsonb_object_agg(stream_id, revision), '{}'::jsonb) INTO revs
         FROM streams WHERE stream_id = ANY (p_streams);
       FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
         cur := coalesce((revs ->> p_streams[i])::bigint, -1);
         exp := p_expected[i];
         IF (exp >= 0 AND cur <> exp) OR (exp = -1 AND cur <> -1) OR (exp = -3 AND cur = -1) THEN
           RETURN NULL;
         END IF;
         starts := starts || (cur + 1);
         IF p_counts[i] > 0 THEN
           revs := jsonb_set(revs, ARRAY[p_streams[i]], to_jsonb(cur + p_counts[i]));
         END IF;
       END LOOP;
       IF n = 0 THEN
         RETURN ARRAY[head] || starts;
       END IF;
       INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata)
         SELECT head + t.ord, p_streams[t.w], starts[t.w] + t.off, t.id, t.type, t.data, t.meta
           FROM unnest(p_ev_write, p_ev_offset, p_ids, p_types, p_data, p_metadata)
                WITH ORDINALITY AS t (w, off, id, type, data, meta, ord);
       INSERT INTO streams (stream_id, revision)
         SELECT r.key, r.value::bigint FROM jsonb_each_text(revs) AS r
          WHERE r.key IN (SELECT p_streams[i] FROM generate_subscripts(p_streams, 1) AS i WHERE p_counts[i] > 0)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision;
       UPDATE log_head SET position = head + n;
       PERFORM pg_notify(p_channel, (head + n)::text);
       RETURN ARRAY[head] || starts;
     END
     $fn$;`,
  ];
}

/** Quote an SQL identifier (schema names come from options, so never splice them raw). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
