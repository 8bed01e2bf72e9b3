/**
 * The floor under the replay benchmark (issue #3): what reading the NDJSON log costs before
 * any ledger code runs, in three steps on the same file as `pnpm bench:replay`:
 *
 * 1. `lines`: read the file in 1 MiB chunks and decode every line (`eachLine`);
 * 2. `parse`: also `JSON.parse` every line, keeping nothing;
 * 3. `keep`: also keep every parsed object in one array, as any replay that holds the log's
 *    facts in memory must (the collector then copies every object out of the young generation).
 *
 * A full replay through every view cannot be faster than step 3, so its events/s bound
 * what any view code can reach while the model holds parsed events.
 *
 *   pnpm bench:parse-floor [--events 1000000] [--seed 42]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eachLine } from './replay-lib.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '42' } },
});
const file = join(import.meta.dirname, 'out', `replay-${values.events}-seed${values.seed}.ndjson`);
if (!existsSync(file)) {
  console.error(
    `${file} does not exist: run pnpm bench:replay --events ${values.events} first (it generates it)`,
  );
  process.exit(1);
}

async function step(name: string, onLine: (line: string) => void): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const n = await eachLine(file, onLine);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${name.padEnd(6)} ${wall.toFixed(2)} s wall ${cpuS.toFixed(2)} s CPU: ${Math.round(n / wall).toLocaleString('en-US')} lines/s (${Math.round(n / cpuS).toLocaleString('en-US')} per CPU-second); heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
  );
}

let sink = 0;
await step('lines', (line) => {
  sink += line.length;
});
await step('parse', (line) => {
  sink += JSON.parse(line).position ?? 0;
});
const kept: unknown[] = [];
await step('keep', (line) => {
  kept.push(JSON.parse(line));
});
console.log(`(kept ${kept.length.toLocaleString('en-US')} events; checksum ${sink})`);
