import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from './reports/run-cli.fixture.ts';

const FLAGS = [
  '--as-of',
  '--known-at',
  '--from',
  '--to',
  '--partner',
  '--format',
  '--rules',
  '--anchor',
  '--email',
  '--by',
];

describe('CLI flags: malformed input is refused with a one-line reason', () => {
  it('never crashes (exit 70) on random flags and values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('report', 'verify', 'erase', 'explain', 'export', 'import'),
        fc.array(fc.oneof(fc.constantFrom(...FLAGS), fc.string({ maxLength: 12 })), { maxLength: 6 }),
        async (command, rest) => {
          // Always read a file that does not exist, never a real store.
          const argv = [
            command,
            ...(command === 'import' ? [] : ['--events', '/nonexistent/x.ndjson']),
            ...rest,
          ];
          const r = await runCli(argv);
          expect(r.code, r.stderr).not.toBe(70);
          if (r.code !== 0) {
            expect(r.stderr.trim().split('\n')).toHaveLength(1);
            expect(r.stderr).toMatch(/^referral-ledger \S+: /);
          }
        },
      ),
      { numRuns: 120 },
    );
  }, 60_000);
});
