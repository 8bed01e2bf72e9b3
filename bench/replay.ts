/**
 * Replay benchmark (issue #3): generate a realistic, deterministic log of 1,000,000 events
 * into `bench/out/`, then replay it from the NDJSON file through every view that exists —
 * parse and check each line and index it into the model as it is read (`replay-lib.ts`),
 * attribution, then every report in the CLI's registry — and print events per second, CPU
 * time and peak RSS, per phase and in total.
 *
 *   pnpm bench:replay                      # 1,000,000 events, seed 42
 *   pnpm bench:replay --events 200000 --seed 7 --regenerate
 *   pnpm bench:replay --rules bench/rules-economics.json   # conditions, limits, recurring
 *   pnpm bench:replay --store sqlite       # the same log read from a SQLite store (issue #4)
 *   pnpm bench:replay --store sqlite --read-ahead off   # ... without the read-ahead worker
 *   pnpm bench:replay --store postgres://postgres@127.0.0.1:5432/test?schema=bench
 *
 * Targets: ≥ 300,000 events/s end to end, peak RSS < 1 GiB.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveRuleSet } from '../packages/core/src/index.ts';
import type { ReadAheadWorkerStats } from '../packages/adapters/src/index.ts';
import { computeAttribution, type LedgerModel } from '../packages/projections/src/index.ts';
import { reports } from '../packages/cli/src/reports/index.ts';
import { generateLog } from './generate.ts';
import { replayFile, replayStore, storeIsEmpty } from './replay-lib.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '42' },
    regenerate: { type: 'boolean', default: false },
    'as-of': { type: 'string', default: '2026-06-30T00:00:00Z' },
    validate: { type: 'boolean', default: false },
    rules: { type: 'string' },
    store: { type: 'string' },
    'read-ahead': { type: 'string', default: 'auto' },
  },
});
const total = Number(values.events);
const seed = Number(values.seed);
const outDir = join(import.meta.dirname, 'out');
const file = join(outDir, `replay-${total}-seed${seed}.ndjson`);

async function generate(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const started = performance.now();
  const out = createWriteStream(file, { encoding: 'utf8' });
  let buf = '';
  for (const line of generateLog({ events: total, seed })) {
    buf += `${line}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  console.log(
    `generated ${total.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(1)} s → ${file}`,
  );
}

/** Wall-clock and CPU milliseconds since the previous call (CPU: user + system, all threads). */
let lastWall = performance.now();
let lastCpu = process.cpuUsage();
/** The peak RSS overall, and since the previous `lap()` (sampled every 25 ms). */
let peakRss = 0;
let phaseRss = 0;
const sampleRss = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
  if (rss > phaseRss) phaseRss = rss;
};
function lap(): { wall: number; cpu: number; rss: number } {
  sampleRss();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const r = {
    wall: wall - lastWall,
    cpu: (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000,
    rss: phaseRss,
  };
  lastWall = wall;
  lastCpu = cpu;
  phaseRss = 0;
  return r;
}

if (values.regenerate || !existsSync(file)) await generate();

/** `--store sqlite` is a database beside the generated log; anything else is a store target. */
function storeTarget(v: string): string {
  return v === 'sqlite' ? file.replace(/\.ndjson$/, '.db') : v;
}
/** `--read-ahead auto|worker|off`: how a SQLite store is read (`forEachStoredEvent`). */
function readAheadFlag(v: string): 'auto' | 'worker' | 'off' {
  if (v === 'auto' || v === 'worker' || v === 'off') return v;
  throw new Error(`--read-ahead ${v}: auto, worker or off`);
}
// A caller rule set applies to every deal (SPEC §4), like `report --rules`.
const rules = values.rules
  ? resolveRuleSet(JSON.parse(readFileSync(values.rules, 'utf8')), values.rules)
  : undefined;

if (values.store && (await storeIsEmpty(storeTarget(values.store)))) {
  // Set-up, in a child process so that its time and memory are not this run's: the CLI's
  // import (every line validated, all or nothing).
  console.log(`filling ${storeTarget(values.store)} from ${file} with \`ledger import\` (once) ...`);
  const cli = join(import.meta.dirname, '..', 'packages', 'cli', 'src', 'bin.ts');
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=@referral-ledger/source',
      '--no-warnings',
      cli,
      'import',
      file,
      '--store',
      storeTarget(values.store),
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`import into ${storeTarget(values.store)} failed (exit ${r.status})`);
}

const timer = setInterval(sampleRss, 25);
/** This thread's CPU (ms): beside a worker, the read phase's critical path when a core is free. */
const mainCpu = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
const mainCpu0 = mainCpu();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
lap();
const replayOptions = { asOf: values['as-of'], validate: values.validate, ...(rules ? { rules } : {}) };
// `--store`: read the log from a store (filled from the file once, untimed) instead of the file.
const replayed: { model: LedgerModel; lines: number; worker?: ReadAheadWorkerStats } = values.store
  ? await replayStore(storeTarget(values.store), replayOptions, readAheadFlag(values['read-ahead']))
  : await replayFile(file, replayOptions);
const { model, lines: n } = replayed;
const lapParse = lap();
const mainCpuRead = mainCpu() - mainCpu0;
const heapAfterParse = process.memoryUsage().heapUsed;
model.finish();
const lapSort = lap();
const attribution = computeAttribution(model);
const lapAttribution = lap();
const timings: [string, { wall: number; cpu: number; rss: number }][] = [];
for (const [name, load] of Object.entries(reports).sort(([a], [b]) => a.localeCompare(b))) {
  const def = (await load()).default;
  lap();
  def.build({ model, asOf: new Date(model.asOf).toISOString() });
  timings.push([name, lap()]);
  sampleRss();
}
const tEnd = performance.now();
const cpu = process.cpuUsage(cpu0);
clearInterval(timer);
sampleRss();
const maxRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const both = (l: { wall: number; cpu: number; rss: number }) =>
  `${secs(l.wall).padStart(8)} wall ${secs(l.cpu).padStart(8)} CPU  peak RSS ${(l.rss / 2 ** 20).toFixed(0).padStart(5)} MiB`;
console.log(
  values.store
    ? `replayed ${n.toLocaleString('en-US')} events from the store ${storeTarget(values.store)} (read $all in pages of 5,000, read-ahead ${values['read-ahead']}; rules: ${values.rules ?? 'as published in the log'})`
    : `replayed ${n.toLocaleString('en-US')} events from ${file} (${values.validate ? 'every line validated' : 'envelope checked'}; rules: ${values.rules ?? 'as published in the log'})`,
);
console.log(
  `  ${values.store ? 'read + index          ' : 'parse + check + index'}      ${both(lapParse)} (heap ${(heapAfterParse / 2 ** 20).toFixed(0)} MiB after)`,
);
if (values.store) console.log(`    main thread alone: ${secs(mainCpuRead)} CPU`);
if (replayed.worker) {
  const w = replayed.worker;
  console.log(
    `    beside it, the read-ahead worker: page bounds ${secs(w.fetchMs)}, sealed rows + keys + decryption ${secs(w.pageMs)} wall; ${secs(w.cpuMs)} CPU; ${w.pages} pages opened there, ${w.pagesOpenedHere} on the main thread`,
  );
}
console.log(`  sort (finish)              ${both(lapSort)}`);
console.log(
  `  attribution                ${both(lapAttribution)} (${attribution.size.toLocaleString('en-US')} opportunities)`,
);
for (const [name, l] of timings) console.log(`  report ${name.padEnd(20)}${both(l)}`);
const elapsed = tEnd - t0;
const rate = Math.round(n / (elapsed / 1000));
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  `total ${secs(elapsed)}: ${rate.toLocaleString('en-US')} events/s; peak RSS ${(maxRss / 2 ** 20).toFixed(0)} MiB`,
);
// On a shared machine the wall clock includes time spent waiting for a core; CPU time does not
// (it does include the collector's helper threads, so it overstates a single core's work).
console.log(
  `CPU time ${secs(cpuMs)} (user + system, all threads): ${Math.round(n / (cpuMs / 1000)).toLocaleString('en-US')} events per CPU-second`,
);
console.log(
  `targets: ≥ 300,000 events/s ${rate >= 300_000 ? 'met' : 'NOT met'}; < 1 GiB ${maxRss < 2 ** 30 ? 'met' : 'NOT met'}`,
);
