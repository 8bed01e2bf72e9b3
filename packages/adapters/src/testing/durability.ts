/**
 * Multi-process concurrency and crash checks shared by the durable stores' tests.
 * Children run `child.ts` from source with the workspace's source condition.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type EventStore, type RecordedEvent, readAllEvents } from '@referral-ledger/core';
import { sampleEvent } from '@referral-ledger/core/testing';
import { expect } from 'vitest';
import { projectionAnchorStore, withIntegrity } from '../integrity/store.ts';
import { verifyLog } from '../integrity/verify.ts';
import { runProjection } from '../runner/runner.ts';
import type { ProjectionStateStore } from '../runner/types.ts';
import { foldStreamCounts, streamCounts } from './stream-counts.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

function spawnChild(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--conditions=@referral-ledger/source', '--no-warnings', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(
  child: ChildProcess,
  onLine: (line: string) => void,
): Promise<{ code: number | null; stderr: string }> {
  let buf = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i = buf.indexOf('\n');
    while (i >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: out.at(-1)?.position ?? 0, limit: 2000 });
    if (page.length === 0) return out;
    out.push(...page);
  }
}

/**
 * Several writer processes append to shared and separate streams while this process follows
 * `readAll`: every acknowledged event is seen exactly once, in position order, and no stream
 * revision is duplicated or skipped.
 */
export async function checkConcurrentWriters(
  store: EventStore,
  target: string,
  writers = 4,
  rounds = 25,
): Promise<void> {
  const acked = new Set<string>();
  const seen: RecordedEvent[] = [];
  let done = false;
  const follow = (async () => {
    let cursor = 0;
    for (;;) {
      const finished = done;
      const page = await store.readAll({ after: cursor, limit: 200 });
      seen.push(...page);
      if (page.length > 0) cursor = page[page.length - 1]!.position;
      else if (finished) return;
      else await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const results = await Promise.all(
    Array.from({ length: writers }, (_, i) =>
      collect(spawnChild(['writer', target, String(i), String(rounds)]), (line) => {
        for (const id of JSON.parse(line) as string[]) acked.add(id);
      }),
    ),
  );
  done = true;
  await follow;
  for (const r of results) expect(r.stderr).toBe('');
  for (const r of results) expect(r.code).toBe(0);
  // 2 events per round per writer, plus 3 per batch every 4th round.
  expect(acked.size).toBe(writers * (rounds * 2 + Math.ceil(rounds / 4) * 3));
  const ids = seen.map((e) => e.metadata.eventId);
  expect(new Set(ids).size).toBe(ids.length); // nothing seen twice
  for (const id of acked) expect(ids).toContain(id); // nothing acknowledged is missing
  expect(seen.length).toBe(acked.size);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.position).toBeGreaterThan(seen[i - 1]!.position);
  expect(seen).toEqual(await readEverything(store)); // the live reader saw exactly the final log
  const revisions = new Map<string, number[]>();
  for (const e of seen) revisions.set(e.streamId, [...(revisions.get(e.streamId) ?? []), e.revision]);
  for (const [, revs] of revisions) expect(revs).toEqual(revs.map((_, i) => i));
}

/**
 * A child appends 6-event batches across three streams while running a durable projection,
 * and is SIGKILLed mid-way: every batch is then fully there or fully absent, every
 * acknowledged batch is there, and a restarted runner reaches the clean replay's view.
 */
export async function checkCrashMidBatch(
  reopen: () => Promise<EventStore & ProjectionStateStore>,
  target: string,
): Promise<void> {
  let acks = 0;
  let lastAck = -1;
  const child = spawnChild(['crash', target]);
  const exited = collect(child, (line) => {
    lastAck = Number(line);
    acks += 1;
    if (acks === 60) child.kill('SIGKILL');
  });
  const { stderr } = await exited;
  expect(stderr).toBe('');
  expect(child.signalCode).toBe('SIGKILL');

  const store = await reopen();
  try {
    const events = await readEverything(store);
    const perBatch = new Map<string, number>();
    for (const e of events) {
      const tag = (e.data as { reason: string }).reason;
      perBatch.set(tag, (perBatch.get(tag) ?? 0) + 1);
    }
    for (const [tag, count] of perBatch) expect([tag, count]).toEqual([tag, 6]);
    for (let k = 0; k <= lastAck; k++) expect(perBatch.has(`batch-${k}`)).toBe(true);
    expect(perBatch.size).toBeGreaterThanOrEqual(lastAck + 1);
    expect(perBatch.size).toBeLessThanOrEqual(lastAck + 2); // at most the one in flight

    const saved = await store.loadProjection('stream-counts', 'v1');
    expect(saved).not.toBeNull(); // the child checkpointed before it died
    const run = await runProjection(store, store, streamCounts());
    await run.caughtUp();
    expect(run.state()).toEqual(foldStreamCounts(events));
    expect(run.position()).toBe(events.at(-1)!.position);
    await run.stop();
  } finally {
    await store.close();
  }
}

/**
 * A child process SIGKILLed while an `appendChunks` (the CLI's stack: integrity and privacy
 * over the store) holds its transaction, 30 chunks in: none of the chunks is stored, the event
 * committed before them is, the chain verifies, and the store takes appends again.
 */
export async function checkCrashMidChunks(
  reopen: () => Promise<EventStore & ProjectionStateStore>,
  target: string,
): Promise<void> {
  let chunks = 0;
  let seeded = false;
  const child = spawnChild(['chunks', target]);
  const exited = collect(child, (line) => {
    if (line === 'seed') seeded = true;
    else if (++chunks === 30) child.kill('SIGKILL');
  });
  const { stderr } = await exited;
  expect(stderr).toBe('');
  expect(child.signalCode).toBe('SIGKILL');
  expect(seeded).toBe(true);
  expect(chunks).toBeGreaterThanOrEqual(30);

  const store = await reopen();
  try {
    const events = await readEverything(store);
    expect(events.map((e) => (e.data as { reason: string }).reason)).toEqual(['seed']);
    const verdict = await verifyLog(readAllEvents(store), {
      anchor: await projectionAnchorStore(store).load(),
      streamRevision: (id) => store.streamRevision(id),
    });
    expect(verdict.status).toBe('intact');
    const again = await withIntegrity(store).append('partner-K1', [sampleEvent('K1')], {
      expectedRevision: 'no-stream',
    });
    expect(again.positions).toEqual([events[0]!.position + 1]);
  } finally {
    await store.close();
  }
}
