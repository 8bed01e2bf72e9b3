import {
  OpportunityLost,
  OpportunityOpened,
  OpportunityReopened,
  OpportunityValueChanged,
  OpportunityWon,
  RevenueReversed,
  TouchpointRecorded,
} from '../events/opportunity.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `opportunity-<opportunityId>`. */
export const OpenOpportunity = commandSchema('OpenOpportunity', OpportunityOpened);
export const ChangeOpportunityValue = commandSchema('ChangeOpportunityValue', OpportunityValueChanged);
export const RecordTouchpoint = commandSchema('RecordTouchpoint', TouchpointRecorded);
export const WinOpportunity = commandSchema('WinOpportunity', OpportunityWon);
export const LoseOpportunity = commandSchema('LoseOpportunity', OpportunityLost);
export const ReopenOpportunity = commandSchema('ReopenOpportunity', OpportunityReopened);
export const ReverseRevenue = commandSchema('ReverseRevenue', RevenueReversed);

export const opportunityCommands = {
  OpenOpportunity,
  ChangeOpportunityValue,
  RecordTouchpoint,
  WinOpportunity,
  LoseOpportunity,
  ReopenOpportunity,
  ReverseRevenue,
} as const;
