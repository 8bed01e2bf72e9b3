import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the
// `@referral-ledger/source` export condition, so tests need no build step.
const conditions = ['@referral-ledger/source', 'node', 'import', 'module', 'default'];
// Server-side (test) resolution leaves out `import`/`module`: with them, a CommonJS package's
// own `require()` (pg requiring pg-pool) picked the ESM build and got a namespace object.
const ssrConditions = ['@referral-ledger/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions, externalConditions: ['@referral-ledger/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
