import { openStore } from '@referral-ledger/adapters';
import { startService } from './service.ts';

// `pnpm --filter @referral-ledger/example-embedded-service start`: the ledger on PostgreSQL
// (REFERRAL_LEDGER_PG_URL, schema REFERRAL_LEDGER_PG_SCHEMA), webhooks in, reports out.
const env = process.env;
// openStore wraps the store as the CLI does: hash-chained appends, sealed personal fields.
const target = new URL(env.REFERRAL_LEDGER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
target.searchParams.set('schema', env.REFERRAL_LEDGER_PG_SCHEMA ?? 'embedded_service');
const store = await openStore(target.toString());
const webhookSecrets = {
  ...(env.HUBSPOT_CLIENT_SECRET ? { hubspot: env.HUBSPOT_CLIENT_SECRET } : {}),
  ...(env.TYPEFORM_SECRET ? { typeform: env.TYPEFORM_SECRET } : {}),
  ...(env.TALLY_SIGNING_SECRET ? { tally: env.TALLY_SIGNING_SECRET } : {}),
};
const svc = await startService({
  store,
  port: Number(env.PORT ?? 3100),
  secret: store.privacy?.secret,
  adminToken: env.SERVICE_ADMIN_TOKEN,
  webhookSecrets,
});
console.log(
  `embedded service at ${svc.url} (POST /webhooks/{hubspot,typeform,tally}, POST /commands, GET /reports/<name>)`,
);
const stop = async () => {
  await svc.close();
  await store.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
