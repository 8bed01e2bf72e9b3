import type { ReportDefinition } from './types.ts';

/**
 * Every `report <name>` of SPEC §9, loaded on demand. Each module's default export is a
 * `ReportDefinition`.
 */
export const reports: Record<string, () => Promise<{ default: ReportDefinition }>> = {};
reports.funnel = () => import('./funnel.ts');
reports.kpis = () => import('./kpis.ts');
reports.referrals = () => import('./referrals.ts');
reports.requests = () => import('./requests.ts');
reports.reviews = () => import('./reviews.ts');
reports.shares = () => import('./shares.ts');
reports.sla = () => import('./sla.ts');

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
