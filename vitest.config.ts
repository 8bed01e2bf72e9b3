import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the
// `@referral-ledger/source` export condition, so tests need no build step.
const conditions = ['@referral-ledger/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@referral-ledger/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
