import { RuleSetPublished } from '../events/rules.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `rules`. */
export const PublishRuleSet = commandSchema('PublishRuleSet', RuleSetPublished);

export const ruleCommands = { PublishRuleSet } as const;
