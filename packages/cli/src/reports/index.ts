import type { ReportDefinition } from './types.ts';

/**
 * Every `report <name>` of SPEC §9, loaded on demand. Each module's default export is a
 * `ReportDefinition`.
 */
export const reports: Record<string, () => Promise<{ default: ReportDefinition }>> = {
  attribution: () => import('./attribution.ts'),
  commission: () => import('./commission.ts'),
  disputes: () => import('./disputes.ts'),
  funnel: () => import('./funnel.ts'),
  kpis: () => import('./kpis.ts'),
  leaderboard: () => import('./leaderboard.ts'),
  partners: () => import('./partners.ts'),
  payouts: () => import('./payouts.ts'),
  referrals: () => import('./referrals.ts'),
  requests: () => import('./requests.ts'),
  reviews: () => import('./reviews.ts'),
  shares: () => import('./shares.ts'),
  sla: () => import('./sla.ts'),
  sources: () => import('./sources.ts'),
  statements: () => import('./statements.ts'),
};

export const REPORT_NAMES = [
  'attribution',
  'commission',
  'sla',
  'funnel',
  'partners',
  'payouts',
  'statements',
  'leaderboard',
  'sources',
  'disputes',
  'referrals',
  'reviews',
  'shares',
  'requests',
  'kpis',
] as const;
