import type { LedgerModel } from '@referral-ledger/projections';
import type { ReportDocument } from '../format/document.ts';

/** What a report is built from: the replayed model and the run's flags. */
export interface ReportContext {
  readonly model: LedgerModel;
  /** The as-of time T the report used (printed by every report, SPEC §8). */
  readonly asOf: string;
  readonly knownAt?: string | undefined;
  /** Report period [from, to) (SPEC §11); `to` defaults to T. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** `--partner ID`: the partner-scoped view, only that partner's rows and figures. */
  readonly partner?: string | undefined;
  /** `--time-zone` for calendar months in statements (default UTC). */
  readonly timeZone?: string | undefined;
}

/** One `report <name>`: turns the model into the report's JSON and tables. */
export interface ReportDefinition {
  readonly name: string;
  readonly summary: string;
  build(ctx: ReportContext): ReportDocument;
}

/** The run's facts every report prints under its title. */
export function runMeta(ctx: ReportContext): [string, string][] {
  const meta: [string, string][] = [['As of', ctx.asOf]];
  if (ctx.knownAt) meta.push(['Known at', ctx.knownAt]);
  if (ctx.from || ctx.to) meta.push(['Period', `${ctx.from ?? 'start'} → ${ctx.to ?? ctx.asOf}`]);
  if (ctx.model.callerRules) meta.push(['Rules', `${ctx.model.callerRules.version} (given)`]);
  if (ctx.partner) meta.push(['Partner', ctx.partner]);
  return meta;
}

/** A report's tables (see `ReportDocument`); reports build them in a getter, on first render. */
export type Tables = ReportDocument['tables'];
