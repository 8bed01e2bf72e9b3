import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { given } from '../testing.ts';

const data = {
  version: '2026-02',
  effectiveFrom: '2026-02-01T00:00:00Z',
  rules: { attribution: { model: 'linear' } },
};

describe('rules decider', () => {
  it('publishes a valid rule set', () => {
    given([])
      .when({ type: 'PublishRuleSet', data })
      .then([{ type: 'RuleSetPublished', data }]);
  });

  it('appends nothing when the same version is published again with the same content', () => {
    given([{ type: 'RuleSetPublished', data }])
      .when({ type: 'PublishRuleSet', data })
      .then([]);
  });

  it('refuses a version already published with other content', () => {
    given([{ type: 'RuleSetPublished', data }])
      .when({ type: 'PublishRuleSet', data: { ...data, rules: { attribution: { model: 'last-touch' } } } })
      .thenRefuses('rules.version-exists');
  });

  it('refuses a rule set whose own version differs from the publication', () => {
    given([])
      .when({ type: 'PublishRuleSet', data: { ...data, rules: { version: 'other' } } })
      .thenRefuses('rules.version-mismatch');
  });

  it('rejects an invalid rule set naming the field', () => {
    const bad = { ...data, rules: { attribution: { model: 'most-recent' } } };
    expect(() => given([]).when({ type: 'PublishRuleSet', data: bad }).then([])).toThrow(ValidationError);
    try {
      given([]).when({ type: 'PublishRuleSet', data: bad }).then([]);
    } catch (e) {
      expect((e as ValidationError).issues[0]!.path).toBe('attribution.model');
    }
  });
});
