import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionError, type RecordedEvent } from '@referral-ledger/core';
import { sampleEvent } from '@referral-ledger/core/testing';
import { buildModel } from '@referral-ledger/projections';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getSQLiteEventStore, type SQLiteEventStore } from '../sqlite/store.ts';
import { ledgerFixture } from '../testing/ledger-fixture.ts';
import { ledgerModelProjection, ProjectionRunner, runProjection } from './runner.ts';
import type { Projection } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'rl-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open: SQLiteEventStore[] = [];
function freshStore(path = join(dir, `r${n++}.db`)): SQLiteEventStore {
  const s = getSQLiteEventStore({ path, pollIntervalMs: 20 });
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

type Counts = Record<string, number>;
/** Counts events per stream, and how many times `apply` ran (to catch double counting). */
function counter(version = 'v1', calls = { n: 0 }, failOn?: string): Projection<Counts> {
  return {
    name: 'per-stream',
    version,
    initialState: () => ({}),
    apply(state, e: RecordedEvent) {
      calls.n += 1;
      if (failOn && e.metadata.eventId === failOn) throw new Error('cannot fold this one');
      return { ...state, [e.streamId]: (state[e.streamId] ?? 0) + 1 };
    },
    serialize: (s) => JSON.stringify(s),
    deserialize: (t) => JSON.parse(t) as Counts,
  };
}

describe('projection runner', () => {
  it('catches up from the start, then follows new appends live', async () => {
    const store = freshStore();
    await store.append('partner-A', [sampleEvent('A'), sampleEvent('A')]);
    await store.append('partner-B', [sampleEvent('B')]);
    const run = await runProjection(store, store, counter());
    await run.caughtUp();
    expect(run.state()).toEqual({ 'partner-A': 2, 'partner-B': 1 });
    await store.append('partner-B', [sampleEvent('B'), sampleEvent('B')]);
    await run.caughtUp();
    expect(run.state()).toEqual({ 'partner-A': 2, 'partner-B': 3 });
    expect(run.position()).toBe(5);
    await run.stop();
  });

  it('resumes from its saved state and position without applying any event twice', async () => {
    const path = join(dir, `resume${n++}.db`);
    const first = freshStore(path);
    await first.append('partner-A', [sampleEvent('A'), sampleEvent('A'), sampleEvent('A')]);
    const calls1 = { n: 0 };
    const run1 = await runProjection(first, first, counter('v1', calls1), { saveEvery: 1 });
    await run1.caughtUp();
    await run1.stop();
    expect(calls1.n).toBe(3);
    expect(await first.loadProjection('per-stream', 'v1')).toEqual({
      position: 3,
      state: JSON.stringify({ 'partner-A': 3 }),
    });
    await first.append('partner-B', [sampleEvent('B'), sampleEvent('B')]);
    await first.close();

    const again = freshStore(path);
    const calls2 = { n: 0 };
    const run2 = await runProjection(again, again, counter('v1', calls2));
    await run2.caughtUp();
    expect(calls2.n).toBe(2); // only the two new events
    expect(run2.state()).toEqual({ 'partner-A': 3, 'partner-B': 2 });
    await run2.stop();
  });

  it('keeps a checkpoint per (projection, version)', async () => {
    const store = freshStore();
    await store.append('partner-A', [sampleEvent('A')]);
    const a = await runProjection(store, store, counter('rules-1'));
    await a.caughtUp();
    await a.stop();
    await store.append('partner-A', [sampleEvent('A')]);
    const b = await runProjection(store, store, counter('rules-2'));
    await b.caughtUp();
    await b.stop();
    expect((await store.loadProjection('per-stream', 'rules-1'))?.position).toBe(1);
    expect((await store.loadProjection('per-stream', 'rules-2'))?.position).toBe(2);
  });

  it('stops at an event it cannot apply, naming its id and position, and resumes from the checkpoint', async () => {
    const store = freshStore();
    const bad = sampleEvent('A');
    await store.append('partner-A', [sampleEvent('A'), sampleEvent('A'), bad, sampleEvent('A')]);
    const errors: unknown[] = [];
    const run = await runProjection(store, store, counter('v1', { n: 0 }, bad.metadata.eventId as string), {
      onError: (e) => errors.push(e),
    });
    const err = await run.caughtUp().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProjectionError);
    expect(err).toMatchObject({ eventId: bad.metadata.eventId, position: 3, code: 'projection-failed' });
    expect(errors).toEqual([err]);
    expect(run.state()).toEqual({ 'partner-A': 2 }); // nothing skipped past the failure
    await run.stop();
    expect((await store.loadProjection('per-stream', 'v1'))?.position).toBe(2);
    // A fixed reducer resumes from the checkpoint and applies only what is left.
    const calls = { n: 0 };
    const fixed = await runProjection(store, store, counter('v1', calls));
    await fixed.caughtUp();
    expect(calls.n).toBe(2);
    expect(fixed.state()).toEqual({ 'partner-A': 4 });
    await fixed.stop();
  });

  it('rebuilds a new version beside the active one and switches when it has caught up', async () => {
    const store = freshStore();
    await store.append('partner-A', [sampleEvent('A'), sampleEvent('A')]);
    const runner = await ProjectionRunner.start(store, store, counter('v1'));
    expect(await store.activeVersion('per-stream')).toBe('v1');
    expect(runner.current().version).toBe('v1');
    const doubled: Projection<Counts> = {
      ...counter('v2'),
      apply: (s, e) => ({ ...s, [e.streamId]: (s[e.streamId] ?? 0) + 2 }),
    };
    await store.append('partner-A', [sampleEvent('A')]);
    await runner.rebuild(doubled);
    expect(await store.activeVersion('per-stream')).toBe('v2');
    expect(runner.current().version).toBe('v2');
    expect(runner.current().state()).toEqual({ 'partner-A': 6 });
    expect(await store.loadProjection('per-stream', 'v1')).toBeNull();
    // The new version follows live appends.
    await store.append('partner-A', [sampleEvent('A')]);
    await runner.current().caughtUp();
    expect(runner.current().state()).toEqual({ 'partner-A': 8 });
    await runner.stop();
  });

  it('keeps the active version when a rebuild fails', async () => {
    const store = freshStore();
    const bad = sampleEvent('A');
    await store.append('partner-A', [sampleEvent('A'), bad]);
    const runner = await ProjectionRunner.start(store, store, counter('v1'));
    await expect(
      runner.rebuild(counter('v2', { n: 0 }, bad.metadata.eventId as string)),
    ).rejects.toBeInstanceOf(ProjectionError);
    expect(await store.activeVersion('per-stream')).toBe('v1');
    expect(runner.current().state()).toEqual({ 'partner-A': 2 });
    await runner.stop();
  });

  it('runs the full replay model as a projection, equal to a replay of the log', async () => {
    const store = freshStore();
    await store.appendBatch(ledgerFixture(5, { tierChanges: 2 }));
    const asOf = '2030-01-01T00:00:00Z';
    const run = await runProjection(store, store, ledgerModelProjection('default-rules', { asOf }));
    await run.caughtUp();
    const live = run.state().finish();
    const all = await store.readAll({ limit: 100_000 });
    const replayed = buildModel(all, { asOf });
    expect(live.eventCount).toBe(all.length);
    expect(live.lastPosition).toBe(replayed.lastPosition);
    expect([...live.opportunities.keys()]).toEqual([...replayed.opportunities.keys()]);
    expect([...live.partners.keys()]).toEqual([...replayed.partners.keys()]);
    expect(live.partners.size).toBe(5);
    expect(live.opportunities.size).toBe(5);
    await run.stop();
  });
});
