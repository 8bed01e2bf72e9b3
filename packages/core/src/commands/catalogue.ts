import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { streams } from '../events/catalogue.ts';
import type { DeepReadonly } from '../util/brand.ts';
import { zodIssues } from '../util/zod-issues.ts';
import { advocateCommands } from './advocate.ts';
import { commissionCommands } from './commission.ts';
import { disputeCommands } from './dispute.ts';
import { fxCommands } from './fx.ts';
import { opportunityCommands } from './opportunity.ts';
import { overlapCommands } from './overlap.ts';
import { partnerCommands } from './partner.ts';
import { payoutCommands } from './payout.ts';
import { referralCommands } from './referral.ts';
import { ruleCommands } from './rules.ts';
import { shareCommands } from './share.ts';
import { subjectCommands } from './subject.ts';

/** Every command's schema by type, grouped by the aggregate (stream kind) that decides it. */
export const commandsByAggregate = {
  partner: partnerCommands,
  referral: referralCommands,
  opportunity: opportunityCommands,
  dispute: disputeCommands,
  commission: commissionCommands,
  payout: payoutCommands,
  overlap: overlapCommands,
  share: shareCommands,
  subject: subjectCommands,
  advocate: advocateCommands,
  fx: fxCommands,
  rules: ruleCommands,
} as const;
export type Aggregate = keyof typeof commandsByAggregate;

/** Every command's schema by type. */
export const commandSchemas = {
  ...partnerCommands,
  ...referralCommands,
  ...opportunityCommands,
  ...disputeCommands,
  ...commissionCommands,
  ...payoutCommands,
  ...overlapCommands,
  ...shareCommands,
  ...subjectCommands,
  ...advocateCommands,
  ...fxCommands,
  ...ruleCommands,
} as const;

export type CommandType = keyof typeof commandSchemas;
export const COMMAND_TYPES = Object.keys(commandSchemas) as CommandType[];

/** A validated command of one type (deeply readonly). */
export type CommandOf<T extends CommandType> = DeepReadonly<z.output<(typeof commandSchemas)[T]>>;
/** Any validated command. */
export type Command = { [T in CommandType]: CommandOf<T> }[CommandType];
/** A command as a caller writes it (before validation and defaults). */
export type CommandInput = { [T in CommandType]: z.input<(typeof commandSchemas)[T]> }[CommandType];

const aggregateOfType = new Map<string, Aggregate>();
for (const [agg, cmds] of Object.entries(commandsByAggregate) as [Aggregate, Record<string, unknown>][]) {
  for (const t of Object.keys(cmds)) aggregateOfType.set(t, agg);
}

/** The aggregate that decides a command type (`SubmitReferral` → `referral`). */
export function aggregateOf(type: CommandType): Aggregate {
  return aggregateOfType.get(type)!;
}

export function isCommandType(type: unknown): type is CommandType {
  return typeof type === 'string' && Object.hasOwn(commandSchemas, type);
}

/**
 * The stream a command's events go to, from its aggregate and data.
 * @example commandStream({ type: 'AcceptReferral', data: { referralId: 'R-1', ... } }) // 'referral-R-1'
 */
export function commandStream(command: Command): string {
  const d = command.data as Record<string, string>;
  switch (aggregateOf(command.type)) {
    case 'partner':
      return streams.partner(d.partnerId!);
    case 'referral':
      return streams.referral(d.referralId!);
    case 'opportunity':
      return streams.opportunity(d.opportunityId!);
    case 'dispute':
      return streams.dispute(d.disputeId!);
    case 'commission':
      return streams.commission(d.opportunityId!);
    case 'payout':
      return streams.payout(d.payoutId!);
    case 'overlap':
      return streams.overlap(d.partnerId!);
    case 'share':
      return streams.share(d.shareId!);
    case 'subject':
      // RecordConsent by email gets its subject id from the facade before routing.
      return streams.subject(d.subjectId!);
    case 'advocate':
      return streams.advocate(d.partnerId!);
    case 'fx':
      return streams.fx();
    case 'rules':
      return streams.rules();
  }
}

/**
 * Validate a command (type, data, metadata). Throws a `ValidationError` whose issues name
 * each bad field's path (`data.lead.email`), or the unknown type.
 *
 * @example parseCommand({ type: 'QualifyReferral', data: { referralId: 'R-1' } })
 */
export function parseCommand(raw: unknown): Command {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ValidationError('a command must be an object {type, data, metadata?}', [
      { path: '', message: 'not an object' },
    ]);
  }
  const type = (raw as { type?: unknown }).type;
  if (!isCommandType(type)) {
    throw new ValidationError(
      `unknown command type ${JSON.stringify(type)}; expected one of ${COMMAND_TYPES.join(', ')}`,
      [{ path: 'type', message: 'unknown command type' }],
    );
  }
  const r = commandSchemas[type].safeParse(raw);
  if (!r.success) {
    const issues = zodIssues(r.error);
    throw new ValidationError(`${type}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return r.data as Command;
}
