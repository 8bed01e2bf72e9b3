/** Commission (SPEC §6.1–§6.4): lines, partner totals, statements, payable policy and reports. */
export * from './approvals.ts';
export * from './conditions.ts';
export * from './engine.ts';
export * from './payable.ts';
export * from './report.ts';
export * from './statements.ts';
export type {
  BalanceEntry,
  Clawback,
  CommissionLine,
  CommissionResult,
  CommissionAttribution,
  PartnerCommission,
} from './types.ts';
