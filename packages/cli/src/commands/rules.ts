import { readFile } from 'node:fs/promises';
import { ValidationError } from '@referral-ledger/core';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { openOperation } from '../operate.ts';

const command: Command = {
  summary: 'rules publish <f.json>: publish a rule set (versioned, effective from a date)',
  usage: `Usage: referral-ledger rules publish <f.json> [--store target]

Validates the rule set (SPEC §4; a bad field is named) and appends RuleSetPublished. The file
must carry "version" and "effectiveFrom"; deals closing on or after effectiveFrom use it.
Publishing the same version with the same content again changes nothing; the same version
with other content is refused: publish a change under a new version.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { store: { type: 'string' } }, 2);
    if (positionals[0] !== 'publish' || !positionals[1])
      throw new UsageError('usage: referral-ledger rules publish <f.json>');
    const file = positionals[1];
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ValidationError(`${file}: not a readable JSON rule set (${(e as Error).message})`, [
        { path: '', message: 'not JSON' },
      ]);
    }
    const { version, effectiveFrom } = json;
    if (typeof version !== 'string' || typeof effectiveFrom !== 'string') {
      throw new ValidationError(`${file}: a published rule set needs "version" and "effectiveFrom"`, [
        { path: typeof version === 'string' ? 'effectiveFrom' : 'version', message: 'required' },
      ]);
    }
    const op = await openOperation(values.store);
    try {
      const r = await op.ledger.handle({
        type: 'PublishRuleSet',
        data: { version, effectiveFrom, rules: json },
      });
      io.stdout.write(
        r.events.length === 0
          ? `rule set ${version} is already published with this content\n`
          : `published rule set ${version}, effective from ${effectiveFrom}\n`,
      );
      return 0;
    } finally {
      await op.close();
    }
  },
};
export default command;
