import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root and its `docs/` folder. */
export const ROOT = join(import.meta.dirname, '..', '..');
export const DOCS = join(ROOT, 'docs');

/**
 * What a marker on the line before a fence asks for:
 * - `<!-- test -->` (```ts): type-checked; `<!-- test: run -->`: type-checked and run with Node;
 *   `<!-- test: <declarations> -->`: type-checked with those declarations in front (for a
 *   fragment that uses a `store` or `events` it does not create).
 * - `<!-- run -->` (```sh): every `pnpm ledger …` command of the block runs and must exit 0.
 * - `<!-- not-run: <reason> -->` (```sh): a command that needs what a test cannot have (a
 *   remote server); the reason is printed by the test.
 */
export type Mode = 'typecheck' | 'run-ts' | 'run-sh' | 'not-run';

export interface Sample {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  readonly mode: Mode | null;
  /** Declarations put before a type-checked fragment, or the reason of `not-run`. */
  readonly extra: string;
}

const FENCE = /^```(\w+)\s*$/;
const MARKER = /^<!--\s*(test|run|not-run)(?::\s*([\s\S]*?))?\s*-->\s*$/;

/** Every fenced ```ts / ```sh block of one Markdown text, with the marker before it (if any). */
export function extractSamples(file: string, text: string): Sample[] {
  const lines = text.split('\n');
  const out: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]!);
    if (!m) continue;
    const lang = m[1]!;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    if (lang === 'ts' || lang === 'sh') {
      let j = i - 1;
      while (j >= 0 && lines[j]!.trim() === '') j--;
      const mk = j >= 0 ? MARKER.exec(lines[j]!.trim()) : null;
      let mode: Mode | null = null;
      let extra = '';
      if (mk) {
        const [, kind, arg = ''] = mk;
        if (kind === 'test' && lang === 'ts') {
          mode = arg === 'run' ? 'run-ts' : 'typecheck';
          extra = arg === 'run' ? '' : arg;
        } else if (kind === 'run' && lang === 'sh') mode = 'run-sh';
        else if (kind === 'not-run' && lang === 'sh') {
          mode = 'not-run';
          extra = arg;
        }
      }
      out.push({ file, line: i + 1, lang, code: lines.slice(i + 1, end).join('\n'), mode, extra });
    }
    i = end;
  }
  return out;
}

/** Every Markdown file under `docs/`, recursively, as paths relative to the root. */
export function docFiles(dir = DOCS): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...docFiles(p));
    else if (e.name.endsWith('.md')) out.push(relative(ROOT, p));
  }
  return out.sort();
}

/** All samples of all docs. */
export function allSamples(): Sample[] {
  return docFiles().flatMap((f) => extractSamples(f, readFileSync(join(ROOT, f), 'utf8')));
}

/**
 * The `pnpm ledger …` commands of a shell block as argument lists: comments dropped, `\`
 * continuations joined, single and double quotes honoured. Any other command is refused, so
 * a runnable block says only what the test really runs.
 */
export function ledgerCommands(code: string): string[][] {
  const joined = code.replace(/\\\n/g, ' ');
  const out: string[][] = [];
  for (const raw of joined.split('\n')) {
    const line = stripComment(raw).trim();
    if (!line) continue;
    const words = shellWords(line);
    if (words[0] !== 'pnpm' || words[1] !== 'ledger')
      throw new Error(`a runnable sh block may only hold \`pnpm ledger …\` commands, not: ${line}`);
    out.push(words.slice(2));
  }
  return out;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  let quote: string | null = null;
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) throw new Error(`unbalanced quote in: ${line}`);
  if (has) words.push(cur);
  return words;
}
