export * from './conditions.ts';
export * from './engine.ts';
export * from './payable.ts';
export * from './statements.ts';
export * from './types.ts';
