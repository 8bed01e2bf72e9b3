import { CommissionAdjusted, CommissionApproved } from '../events/commission.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `commission-<opportunityId>`. */
export const ApproveCommission = commandSchema('ApproveCommission', CommissionApproved);
export const AdjustCommission = commandSchema('AdjustCommission', CommissionAdjusted);

export const commissionCommands = { ApproveCommission, AdjustCommission } as const;
