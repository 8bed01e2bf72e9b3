import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ValidationError } from '@referral-ledger/core';
import type { VerifiableEvent } from './verify.ts';

/**
 * The events of an exported NDJSON file as `verifyLog` reads them: each line as written
 * (not re-validated or normalised, which could change what the hash covers). A line that
 * is not an exported event (no `revision`/`position`, bad JSON) is refused with its line.
 */
export async function* readVerifiableFile(file: string): AsyncGenerator<VerifiableEvent> {
  try {
    await access(file);
  } catch {
    throw new ValidationError(`${file}: no such file`, [{ path: 'file', message: 'not found' }], { file });
  }
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let index = 0;
  const revisions = new Map<string, number>();
  for await (const text of rl) {
    line += 1;
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ValidationError(
        `${file}, line ${line}: not JSON (${(e as Error).message})`,
        [{ path: '', message: 'not JSON' }],
        { file, line },
      );
    }
    const o = raw as Record<string, unknown> | null;
    const m = o?.metadata as Record<string, unknown> | undefined;
    const problem =
      typeof o !== 'object' || o === null || Array.isArray(o)
        ? 'not an object'
        : typeof o.streamId !== 'string' || typeof o.type !== 'string'
          ? 'streamId and type are required'
          : typeof m !== 'object' || m === null
            ? 'metadata is required'
            : (o.revision !== undefined && !Number.isSafeInteger(o.revision)) ||
                (o.position !== undefined && !Number.isSafeInteger(o.position))
              ? 'revision and position must be integers'
              : null;
    if (problem) {
      throw new ValidationError(`${file}, line ${line}: ${problem}`, [{ path: '', message: problem }], {
        file,
        line,
      });
    }
    // A file written by hand carries no revision or position: they follow from its order
    // (its events have no hash either, so it comes out unverifiable, never intact).
    const ev = o as Record<string, unknown>;
    const revision = (ev.revision as number | undefined) ?? (revisions.get(ev.streamId as string) ?? -1) + 1;
    revisions.set(ev.streamId as string, revision);
    index += 1;
    yield {
      ...ev,
      revision,
      position: (ev.position as number | undefined) ?? index,
    } as unknown as VerifiableEvent;
  }
}
