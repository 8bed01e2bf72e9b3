import type { Aggregate, Command } from '../commands/catalogue.ts';
import { aggregateOf } from '../commands/catalogue.ts';
import { advocateDecider } from './advocate.ts';
import { commissionDecider } from './commission.ts';
import type { Decider } from './decision.ts';
import { disputeDecider } from './dispute.ts';
import { fxDecider } from './fx.ts';
import { opportunityDecider } from './opportunity.ts';
import { overlapDecider } from './overlap.ts';
import { partnerDecider } from './partner.ts';
import { payoutDecider } from './payout.ts';
import { referralDecider } from './referral.ts';
import { rulesDecider } from './rules.ts';
import { shareDecider } from './share.ts';
import { subjectDecider } from './subject.ts';

/** One decider per aggregate (stream kind that commands write to). */
export const deciders = {
  partner: partnerDecider,
  referral: referralDecider,
  opportunity: opportunityDecider,
  dispute: disputeDecider,
  commission: commissionDecider,
  payout: payoutDecider,
  overlap: overlapDecider,
  share: shareDecider,
  subject: subjectDecider,
  advocate: advocateDecider,
  fx: fxDecider,
  rules: rulesDecider,
} as const satisfies Record<Aggregate, unknown>;

/**
 * The decider of a command, typed loosely so generic code (the facade, the test helper)
 * can fold and decide any command: each decider ignores events of other streams.
 */
export function deciderFor(command: Command): Decider<unknown, Command> {
  return deciders[aggregateOf(command.type)] as unknown as Decider<unknown, Command>;
}
