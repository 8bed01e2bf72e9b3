/** @referral-ledger/cli: the `referral-ledger` command line, usable as a library too. */
export { main, registerCommand } from './main.ts';
export { runCli } from './run-captured.ts';
export type { CliIo, Command } from './io.ts';
export { UsageError } from './io.ts';
export { DEMO_RULES_V1, DEMO_RULES_V2, demoProgram } from './demo/program.ts';
export type { Chart, Format, ReportDocument } from './format/document.ts';
export { formatMoney } from './format/money.ts';
export { render, renderSvgChart } from './format/render.ts';
export { REPORT_NAMES, reports } from './reports/index.ts';
export type { ReportContext, ReportDefinition } from './reports/types.ts';
