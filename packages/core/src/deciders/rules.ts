import type { CommandOf } from '../commands/catalogue.ts';
import type { NewEvent } from '../events/envelope.ts';
import { resolveRuleSet } from '../rules/resolve.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { type DecisionContext, type Decider, type EvolvingEvent, emit, refuse } from './decision.ts';

/** Published rule-set versions and the canonical JSON of each publication. */
export interface RulesState {
  readonly versions: Readonly<Record<string, string>>;
}

export type RulesCommand = CommandOf<'PublishRuleSet'>;

function evolve(state: RulesState, event: EvolvingEvent): RulesState {
  if (event.type !== 'RuleSetPublished') return state;
  return { versions: { ...state.versions, [event.data.version]: canonicalJson(event.data) } };
}

function decide(command: RulesCommand, state: RulesState, ctx: DecisionContext): readonly NewEvent[] {
  const d = command.data;
  const inner = d.rules as Readonly<Record<string, unknown>>;
  for (const k of ['version', 'effectiveFrom'] as const) {
    if (inner[k] !== undefined && inner[k] !== d[k]) {
      refuse(
        'rules.version-mismatch',
        `The rule set's ${k} (${String(inner[k])}) differs from the publication's (${d[k]}); make them equal or leave it out of rules.`,
      );
    }
  }
  // Validates the whole rule set, naming every bad field (ValidationError).
  resolveRuleSet({ ...inner, version: d.version, effectiveFrom: d.effectiveFrom }, `rule set ${d.version}`);
  const prior = state.versions[d.version];
  if (prior !== undefined) {
    if (prior === canonicalJson(d)) return [];
    refuse(
      'rules.version-exists',
      `Rule set version ${d.version} is already published with other content; publish the change under a new version.`,
    );
  }
  return [emit('RuleSetPublished', d, ctx)];
}

/**
 * Rule sets (stream `rules`): a publication is validated (SPEC §4); republishing a version
 * with the same content appends nothing, with other content is refused.
 */
export const rulesDecider: Decider<RulesState, RulesCommand> = {
  initialState: () => ({ versions: {} }),
  evolve,
  decide,
};
