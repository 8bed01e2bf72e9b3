import { readFile } from 'node:fs/promises';
import { openStore } from '@referral-ledger/adapters';
import { ValidationError } from '@referral-ledger/core';
import { parseFlags } from '../args.ts';
import type { Command } from '../io.ts';
import { UsageError } from '../io.ts';
import { openLedger } from '../operate.ts';
import { loadRulesFile } from '../replay.ts';

const command: Command = {
  summary: 'rules publish <f.json>: validate a rule set and publish it (RuleSetPublished)',
  usage: `Usage: referral-ledger rules publish <rules.json> [--store target] [--by WHO]

Validates the rule set (every field is checked; omitted fields take their defaults) and
appends RuleSetPublished with its version and effectiveFrom. Deals closing on or after
effectiveFrom are priced under it; a publication with an earlier effectiveFrom is
retroactive by intent, and --known-at shows what was known before it.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { store: { type: 'string' }, by: { type: 'string' } },
      2,
    );
    const [sub, file] = positionals;
    if (sub !== 'publish')
      throw new UsageError(`unknown subcommand "${sub ?? ''}": use \`rules publish <rules.json>\``);
    if (!file) throw new UsageError('missing the rule-set file: referral-ledger rules publish <rules.json>');
    const resolved = await loadRulesFile(file);
    // Publish what the user wrote (defaults stay implicit, so later default changes are visible in diffs).
    const raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    if (typeof raw.version !== 'string' || typeof raw.effectiveFrom !== 'string') {
      throw new ValidationError(`${file}: a published rule set needs "version" and "effectiveFrom"`, [
        { path: typeof raw.version !== 'string' ? 'version' : 'effectiveFrom', message: 'required' },
      ]);
    }
    const store = await openStore(values.store);
    try {
      const ledger = openLedger(store);
      const r = await ledger.handle({
        type: 'PublishRuleSet',
        data: { version: resolved.version, effectiveFrom: resolved.effectiveFrom, rules: raw },
        metadata: { occurredAt: new Date().toISOString(), actor: { kind: 'user', id: values.by ?? 'cli' } },
      } as never);
      io.stdout.write(
        `published rule set ${resolved.version} (effective from ${resolved.effectiveFrom}) at position ${r.positions[0] ?? '?'}\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
export default command;
