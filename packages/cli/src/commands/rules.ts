import { readFile } from 'node:fs/promises';
import { openStore } from '@referral-ledger/adapters';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { cliLedger } from '../ledger.ts';

const command: Command = {
  summary: 'rules publish <f.json>: publish a versioned rule set to the store',
  usage: `Usage: referral-ledger rules publish <rules.json> [--store target] [--by WHO]

Validates the rule set (SPEC §4: any field may be omitted and takes its default; "version"
and "effectiveFrom" are required) and appends a RuleSetPublished event. Publishing the same
version again with the same content appends nothing; with other content it is refused
(rules.version-exists): publish a change under a new version.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { store: { type: 'string' }, by: { type: 'string' } },
      2,
    );
    const [sub, file] = positionals;
    if (sub !== 'publish') throw new UsageError('expected: referral-ledger rules publish <rules.json>');
    if (!file) throw new UsageError('missing the rule-set file: referral-ledger rules publish <rules.json>');
    let rules: unknown;
    try {
      rules = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`${file}: cannot read a JSON rule set (${(e as Error).message})`);
    }
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
      throw new UsageError(`${file}: a rule set is a JSON object`);
    }
    const { version, effectiveFrom } = rules as { version?: unknown; effectiveFrom?: unknown };
    if (typeof version !== 'string' || typeof effectiveFrom !== 'string') {
      throw new UsageError(`${file}: a published rule set needs "version" and "effectiveFrom"`);
    }
    const store = await openStore(values.store);
    try {
      const r = await cliLedger(store, io.env).handle({
        type: 'PublishRuleSet',
        data: { version, effectiveFrom, rules: rules as Record<string, unknown> },
        ...(values.by ? { metadata: { actor: { kind: 'user' as const, id: values.by } } } : {}),
      });
      io.stdout.write(
        r.events.length > 0
          ? `published rule set ${version} (effective from ${effectiveFrom}) at position ${r.positions[0]}\n`
          : `rule set ${version} is already published with this content; nothing appended\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
