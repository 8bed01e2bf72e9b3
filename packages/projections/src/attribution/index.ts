/** Attribution (SPEC §5): who sourced, influenced or resold each deal, and for how much. */
export * from './compute.ts';
export * from './models.ts';
export * from './report.ts';
export * from './types.ts';
