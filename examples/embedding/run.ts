import { quickStart } from './quick-start.ts';

// `pnpm --filter @referral-ledger/example-embedding start` prints what the quick start did.
console.log(JSON.stringify(await quickStart(), null, 2));
