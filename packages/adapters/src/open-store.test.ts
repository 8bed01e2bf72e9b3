import {
  ConcurrencyError,
  EventIdConflictError,
  StoreUnavailableError,
  ValidationError,
} from '@referral-ledger/core';
import { describe, expect, it } from 'vitest';
import { translateEsdbError } from './eventstoredb/store.ts';
import { openStore, storeKindOf } from './open-store.ts';
import { translatePgError } from './postgres/store.ts';

describe('--store targets', () => {
  it('tells SQLite paths, PostgreSQL URLs and EventStoreDB / KurrentDB URLs apart', () => {
    expect(storeKindOf('./.referral-ledger/ledger.db')).toBe('sqlite');
    expect(storeKindOf('C:/ledgers/acme.db')).toBe('sqlite');
    expect(storeKindOf('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres');
    expect(storeKindOf('postgresql://u@h/db?schema=acme')).toBe('postgres');
    expect(storeKindOf('esdb://127.0.0.1:2113?tls=false')).toBe('eventstoredb');
    expect(storeKindOf('esdb+discover://a,b,c')).toBe('eventstoredb');
    expect(storeKindOf('kurrentdb://127.0.0.1:2113')).toBe('eventstoredb');
  });

  it('refuses an unknown scheme naming the flag', async () => {
    const err = await openStore('mysql://x/y').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).path).toBe('--store');
  });

  it('reports an unreachable server as store-unavailable', async () => {
    const err = await openStore('postgres://nobody@127.0.0.1:1/none').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as StoreUnavailableError).code).toBe('store-unavailable');
  });
});

describe('driver errors become ledger errors', () => {
  it('maps PostgreSQL unique violations and connection failures', () => {
    expect(
      translatePgError({ code: '23505', constraint: 'events_stream_id_revision_key', detail: 'x' }, 'append'),
    ).toBeInstanceOf(ConcurrencyError);
    const dup = translatePgError(
      { code: '23505', constraint: 'events_event_id_key', detail: 'Key (event_id)=(abc) already exists.' },
      'append',
    );
    expect(dup).toBeInstanceOf(EventIdConflictError);
    expect((dup as EventIdConflictError).eventId).toBe('abc');
    const down = translatePgError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'append');
    expect(down).toBeInstanceOf(StoreUnavailableError);
    expect(down.message).toContain('unavailable');
  });

  it('maps an EventStoreDB wrong expected version to a concurrency error with both revisions', () => {
    const e = translateEsdbError(
      { type: 'wrong-expected-version', actualVersion: 4n, streamName: 'partner-P-1' },
      'append',
      'partner-P-1',
      2,
    );
    expect(e).toBeInstanceOf(ConcurrencyError);
    expect(e).toMatchObject({ streamId: 'partner-P-1', expected: 'revision 2', actual: 'revision 4' });
    expect(translateEsdbError({ type: 'unavailable', message: 'no leader' }, 'read')).toBeInstanceOf(
      StoreUnavailableError,
    );
  });
});
