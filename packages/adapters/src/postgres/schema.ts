/**
 * PostgreSQL schema for one ledger, versioned in `<schema>.schema_migrations`. Each
 * migration runs once, in order, in its own transaction, while a transaction-scoped advisory
 * lock keeps two processes from migrating the same schema at once.
 *
 * `log_head` is a single row holding the last global position. Every append locks it (the
 * `UPDATE` that opens `append_events`, or `SELECT ... FOR UPDATE` on the client's exact path)
 * before it assigns positions and keeps the lock until it commits, so transactions commit
 * in position order and a reader's snapshot always holds a gap-free prefix of the log (no
 * late-commit gap; see docs/stores/postgres.md).
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
    // 3: append_events, cheaper per call (see docs/stores/postgres.md, "Append cost"). Same
    // arguments and result, and the same rules; what changed is how much the server plans
    // and touches per call:
    // - no SET clauses (tables are schema-qualified instead), so no GUC save/restore per call
    //   and PostgreSQL's plan cache may keep generic plans: every statement below is a
    //   primary-key access or an insert, whose plan does not depend on the values;
    // - the head row is locked and moved by one UPDATE (was SELECT FOR UPDATE, then UPDATE);
    // - each write reads and moves its stream's revision with one upsert (was one jsonb
    //   aggregate over all streams, then an upsert from jsonb); a failed expected revision
    //   raises SQLSTATE RL409, which rolls the statement back (was: return NULL before
    //   writing).
    `DROP FUNCTION ${s}.append_events(text[], bigint[], int[], int[], int[], text[], text[], json[], json[], text);
     CREATE FUNCTION ${s}.append_events(
       p_streams text[], p_expected bigint[], p_counts int[],
       p_ev_write int[], p_ev_offset int[], p_ids text[], p_types text[], p_data json[], p_metadata json[],
       p_channel text
     ) RETURNS bigint[] LANGUAGE plpgsql AS $fn$
     DECLARE
       n int := coalesce(cardinality(p_ids), 0);
       head bigint;
       cur bigint;
       exp bigint;
       starts bigint[] := '{}';
     BEGIN
       -- The writers' lock, held until commit; later statements take fresh snapshots, so
       -- they see every append committed before the lock was granted.
       UPDATE ${s}.log_head SET position = position + n RETURNING position - n INTO head;
       FOR i IN 1 .. coalesce(cardinality(p_streams), 0) LOOP
         IF p_counts[i] > 0 THEN
           INSERT INTO ${s}.streams AS st (stream_id, revision) VALUES (p_streams[i], p_counts[i] - 1)
             ON CONFLICT (stream_id) DO UPDATE SET revision = st.revision + excluded.revision + 1
             RETURNING st.revision - p_counts[i] INTO cur;
         ELSE
           cur := coalesce((SELECT st.revision FROM ${s}.streams AS st WHERE st.stream_id = p_streams[i]), -1);
         END IF;
         exp := p_expected[i];
         IF (exp >= 0 AND cur <> exp) OR (exp = -1 AND cur <> -1) OR (exp = -3 AND cur = -1) THEN
           RAISE EXCEPTION 'expected revision of % failed', p_streams[i] USING ERRCODE = 'RL409';
         END IF;
         starts := starts || (cur + 1);
       END LOOP;
       INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, data, metadata)
         SELECT head + t.ord, p_streams[t.w], starts[t.w] + t.off, t.id, t.type, t.data, t.meta
           FROM unnest(p_ev_write, p_ev_offset, p_ids, p_types, p_data, p_metadata)
                WITH ORDINALITY AS t (w, off, id, type, data, meta, ord);
       PERFORM pg_notify(p_channel, (head + n)::text);
       RETURN head || starts;
     END
     $fn$;`,
  ];
}

/** Quote an SQL identifier (schema names come from options, so never splice them raw). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
