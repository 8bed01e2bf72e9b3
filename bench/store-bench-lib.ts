/**
 * Shared pieces of the store benchmarks (`bench/append.ts`, `bench/store-replay.ts`): the
 * stores under test, the workload (N partner streams × M events), timing and reporting.
 * Each measurement runs in its own process so peak RSS belongs to it alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventStore, NewEvent } from '../packages/core/src/index.ts';
import { getPostgreSQLEventStore, getSQLiteEventStore } from '../packages/adapters/src/index.ts';
import { ledgerFixture } from '../packages/adapters/src/testing/ledger-fixture.ts';

export const PG_URL = process.env.REFERRAL_LEDGER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** Open a fresh store of a kind; `drop` removes what it created. */
export async function freshStore(
  kind: string,
  opts: { durability?: 'full' | 'normal'; name?: string } = {},
): Promise<{ store: EventStore; drop: () => Promise<void>; target: string }> {
  if (kind === 'sqlite') {
    const dir = opts.name ? undefined : mkdtempSync(join(tmpdir(), 'rl-bench-'));
    const path = opts.name ?? join(dir!, 'ledger.db');
    const store = getSQLiteEventStore({ path, durability: opts.durability ?? 'full' });
    const drop = async () => {
      await store.close();
      // A 100,000-event ledger is ~35 MB: remove what the run created.
      if (dir) rmSync(dir, { recursive: true, force: true });
    };
    return { store, target: path, drop };
  }
  if (kind === 'postgres') {
    const schema = opts.name ?? `rl_bench_${process.pid}_${Date.now()}`;
    const store = await getPostgreSQLEventStore({ connectionString: PG_URL, schema });
    return { store, target: schema, drop: () => store.dropSchema() };
  }
  throw new Error(`unknown store ${kind}: sqlite or postgres`);
}

/** The workload: `streams` partner streams of `perStream` events (an enrolment, then tier changes). */
export function workload(streams: number, perStream: number): { streamId: string; events: NewEvent[] }[] {
  return ledgerFixture(streams, { tierChanges: perStream - 1 }).filter((w) =>
    w.streamId.startsWith('partner-'),
  );
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Measurement {
  readonly store: string;
  readonly mode: string;
  readonly events: number;
  readonly seconds: number;
  readonly p50ms?: number;
  readonly p99ms?: number;
  /** CPU time of the measured section (`process.cpuUsage(start)`, µs), when taken. */
  readonly cpu?: NodeJS.CpuUsage;
}

/** Print one result line (and a JSON line for tooling) with the process's peak RSS. */
export function report(m: Measurement): void {
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const rate = Math.round(m.events / m.seconds);
  const lat = m.p50ms === undefined ? '' : `  p50 ${m.p50ms.toFixed(3)} ms  p99 ${m.p99ms!.toFixed(3)} ms`;
  const cpu = m.cpu
    ? `  CPU user ${(m.cpu.user / 1e6).toFixed(2)} s sys ${(m.cpu.system / 1e6).toFixed(2)} s (wall ${m.seconds.toFixed(2)} s)`
    : '';
  console.log(
    `${m.store.padEnd(8)} ${m.mode.padEnd(22)} ${String(m.events).padStart(7)} events  ${String(rate).padStart(8)} ev/s${lat}  peak RSS ${rssMb.toFixed(0)} MB${cpu}`,
  );
  const cpuSeconds = m.cpu ? { cpuUserS: m.cpu.user / 1e6, cpuSystemS: m.cpu.system / 1e6 } : {};
  const { cpu: _, ...rest } = m;
  console.log(
    `#json ${JSON.stringify({ ...rest, ...cpuSeconds, eventsPerSecond: rate, peakRssMb: Math.round(rssMb) })}`,
  );
}

/** Run `script --phase <phase> ...args` in its own process, passing its output through. */
export function runPhase(script: string, phase: string, args: readonly string[]): void {
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=@referral-ledger/source',
      '--no-warnings',
      fileURLToPath(script),
      '--phase',
      phase,
      ...args,
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`phase ${phase} failed with status ${r.status}`);
}
