import { z } from 'zod';
import { RuleSetInput } from '../rules/schema.ts';
import { NonEmpty, Timestamp } from './common.ts';

/** Stream `rules`. */
export const RuleSetPublished = z.strictObject({
  version: NonEmpty,
  effectiveFrom: Timestamp,
  rules: RuleSetInput,
});

export const ruleEvents = { RuleSetPublished } as const;
