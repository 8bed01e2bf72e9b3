import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '@referral-ledger/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { allSamples, extractSamples, ledgerCommands, ROOT, type Sample } from './samples.ts';

const samples = allSamples();
const where = (s: Sample) => `${s.file}:${s.line}`;
const generated = join(import.meta.dirname, '.generated');
const scratch = mkdtempSync(join(tmpdir(), 'docs-samples-'));
afterAll(() => {
  rmSync(generated, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('extracting the samples', () => {
  it('reads the marker on the line before a fence and the fence language', () => {
    const md = [
      '<!-- test -->',
      '```ts',
      'const a = 1;',
      '```',
      '',
      '<!-- run -->',
      '',
      '```sh',
      'pnpm ledger report funnel --events "a b.ndjson"   # a comment',
      '```',
      '```ts',
      'x',
      '```',
      '```json',
      '{}',
      '```',
    ].join('\n');
    const s = extractSamples('x.md', md);
    expect(s.map((x) => [x.line, x.lang, x.mode])).toEqual([
      [2, 'ts', 'typecheck'],
      [8, 'sh', 'run-sh'],
      [11, 'ts', null],
    ]);
    expect(ledgerCommands(s[1]!.code)).toEqual([['report', 'funnel', '--events', 'a b.ndjson']]);
  });

  it('joins continuation lines and refuses a command that is not pnpm ledger', () => {
    expect(ledgerCommands('pnpm ledger report sla \\\n  --format json\n# only a comment')).toEqual([
      ['report', 'sla', '--format', 'json'],
    ]);
    expect(() => ledgerCommands('rm -rf /tmp/x')).toThrow('may only hold `pnpm ledger');
  });
});

describe('every code sample in docs/ is compiled or run', () => {
  it('marks every ```ts and ```sh block (test, test: run, run, or not-run with a reason)', () => {
    const unmarked = samples.filter((s) => s.mode === null).map(where);
    expect(unmarked).toEqual([]);
    const noReason = samples.filter((s) => s.mode === 'not-run' && s.extra.trim() === '').map(where);
    expect(noReason).toEqual([]);
  });

  it('type-checks every ```ts sample', () => {
    const ts = samples.filter((s) => s.mode === 'typecheck' || s.mode === 'run-ts');
    expect(ts.length).toBeGreaterThan(0);
    rmSync(generated, { recursive: true, force: true });
    mkdirSync(generated, { recursive: true });
    const names = new Map<string, Sample>();
    ts.forEach((s, i) => {
      const name = `sample-${String(i).padStart(3, '0')}.ts`;
      names.set(name, s);
      writeFileSync(join(generated, name), `// ${where(s)}\n${s.extra}\n${s.code}\nexport {};\n`);
    });
    writeFileSync(
      join(generated, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.base.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false },
        include: ['*.ts'],
      }),
    );
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(generated, 'tsconfig.json')], {
      encoding: 'utf8',
    });
    // Name the doc and line of each error instead of the generated file.
    const errors = (r.stdout + r.stderr).replace(
      /[^\s]*(sample-\d{3}\.ts)\((\d+),\d+\)/g,
      (_m, f: string, l: string) => {
        const s = names.get(f)!;
        return `${s.file}:${s.line + Number(l) - 2 - s.extra.split('\n').length + 1}`;
      },
    );
    expect(errors.trim()).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it.each(samples.filter((s) => s.mode === 'run-ts').map((s) => [where(s), s] as const))(
    'runs %s with Node',
    (_w, s) => {
      const file = join(generated, `run-${s.line}-${s.file.replace(/\W/g, '_')}.ts`);
      mkdirSync(generated, { recursive: true });
      writeFileSync(file, `${s.code}\nexport {};\n`);
      const out = execFileSync(
        process.execPath,
        ['--conditions=@referral-ledger/source', '--no-warnings', file],
        { cwd: scratch, encoding: 'utf8' },
      );
      expect(typeof out).toBe('string');
    },
    60_000,
  );

  it.each(samples.filter((s) => s.mode === 'run-sh').map((s) => [where(s), s] as const))(
    'runs the pnpm ledger commands of %s',
    async (_w, s) => {
      const commands = ledgerCommands(s.code);
      expect(commands.length).toBeGreaterThan(0);
      for (const words of commands) {
        // `> file` sends the output to a file, as the shell would.
        const redirect = words.indexOf('>');
        const argv = redirect < 0 ? words : words.slice(0, redirect);
        const outFile = redirect < 0 ? undefined : words[redirect + 1];
        let stdout = '';
        let stderr = '';
        const code = await main(argv, {
          stdout: new Writable({
            write: (c, _e, done) => {
              stdout += String(c);
              done();
            },
          }),
          stderr: new Writable({
            write: (c, _e, done) => {
              stderr += String(c);
              done();
            },
          }),
          env: process.env,
          cwd: ROOT,
        });
        expect(code, `pnpm ledger ${argv.join(' ')}: ${stderr.trim()}`).toBe(0);
        if (outFile) {
          mkdirSync(dirname(join(ROOT, outFile)), { recursive: true });
          writeFileSync(join(ROOT, outFile), stdout);
        }
      }
    },
    60_000,
  );
});
