/** Audit (SPEC §8): explain one figure down to its events, what-if rebuilds and diffs. */
export * from './diff.ts';
export * from './explain.ts';
export * from './format.ts';
