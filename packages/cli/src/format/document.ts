/**
 * What every report hands to the formatters: its JSON (SPEC §9 shapes, printed as is by
 * `--format json`) and the same figures as titled tables for people (table, csv, md, html),
 * plus an optional chart for `--format html`.
 */
export interface Column {
  readonly key: string;
  readonly header: string;
  /** Right-align numbers and amounts in terminal tables. */
  readonly align?: 'left' | 'right';
}

export type Cell = string | number | boolean | null | undefined;

export interface Table {
  readonly title?: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

/** A bar chart for the HTML page (funnel stages, partners by won revenue, ...). */
export interface Chart {
  readonly title: string;
  readonly bars: readonly { readonly label: string; readonly value: number; readonly display?: string }[];
}

export interface ReportDocument {
  /** Title printed above the tables, e.g. "Partner attribution report". */
  readonly title: string;
  /** Facts about the run printed under the title (as of, known at, rule version, period). */
  readonly meta: readonly (readonly [string, string])[];
  readonly json: unknown;
  readonly tables: readonly Table[];
  readonly chart?: Chart;
}

export type Format = 'table' | 'json' | 'csv' | 'md' | 'html';
export const FORMATS: readonly Format[] = ['table', 'json', 'csv', 'md', 'html'];
