// A short PostgreSQL import through the CLI stack (integrity + privacy), to compare the
// chunk source's reads through the pool (parallel) with reads through the held transaction.
import { writeFileSync } from 'node:fs';
import { importNdjsonFile, openStore, openRawStore } from '../packages/adapters/src/index.ts';
const n = Number(process.argv[2] ?? 5000);
const lines: string[] = [];
for (let p = 0; p < 50; p++)
  lines.push(
    JSON.stringify({
      streamId: `partner-P-${p}`,
      type: 'PartnerEnrolled',
      data: {
        partnerId: `P-${p}`,
        name: `Partner ${p}`,
        program: 'partner',
        tier: 'silver',
        contactEmail: `team@p${p}.example`,
        payoutCurrency: 'USD',
      },
      metadata: { occurredAt: '2026-01-01T00:00:00Z' },
    }),
  );
for (let i = 0; i < n; i++) {
  lines.push(
    JSON.stringify({
      streamId: `referral-R-${i}`,
      type: 'ReferralSubmitted',
      data: {
        referralId: `R-${i}`,
        partnerId: `P-${i % 50}`,
        channel: 'portal',
        lead: {
          firstName: 'Ann',
          lastName: `Lee ${i}`,
          email: `lead${i}@acme-${i % 97}.example`,
          company: `Acme ${i % 97}`,
        },
      },
      metadata: { occurredAt: '2026-01-05T09:00:00Z' },
    }),
  );
  lines.push(
    JSON.stringify({
      streamId: `referral-R-${i}`,
      type: 'ReferralAccepted',
      data: { referralId: `R-${i}`, salesOwnerId: 'U-1', feedbackOwnerId: 'U-2', approvedBy: 'U-2' },
      metadata: { occurredAt: '2026-01-06T09:00:00Z' },
    }),
  );
}
const file = `/tmp/rl-pg-import-${n}.ndjson`;
writeFileSync(file, `${lines.join('\n')}\n`);
const schema = `rl_rv_${Date.now()}`;
const target = `postgres://postgres@127.0.0.1:5432/test?schema=${schema}`;
const store = await openStore(target, { secret: 'review-secret' });
const c0 = process.cpuUsage();
const t0 = performance.now();
const r = await importNdjsonFile(store, file);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(c0);
await store.close();
const raw = (await openRawStore(target)) as unknown as {
  dropSchema(): Promise<void>;
  close(): Promise<void>;
};
await raw.dropSchema();
await raw.close();
console.log(
  JSON.stringify({
    events: r.appended,
    wallS: +(wall / 1000).toFixed(2),
    cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  }),
);
