import { randomBytes } from 'node:crypto';
import {
  appendInChunks,
  type ChunkedAppendResult,
  completeMetadata,
  emailDomain,
  type EventStore,
  type ExpectedRevision,
  type KeyHasher,
  leadEmailKey,
  type NewEvent,
  type RecordedEvent,
  type StreamWrite,
  type SubscribeOptions,
  subjectIdOf,
  ValidationError,
} from '@referral-ledger/core';
import { personalPaths, sha256Hex } from '../integrity/chain.ts';
import { nodeHmacKeyHasher } from './hasher.ts';
import { getPath, type PersonalField, personalFields, setPaths } from './fields.ts';
import { openValue, type SubjectKeyStore, sealedKeyId, sealValue } from './keys.ts';

export interface PrivacyOptions {
  /** Where per-subject keys live. */
  readonly keys: SubjectKeyStore;
  /**
   * The ledger's secret for subject ids and match keys: this option, else
   * `REFERRAL_LEDGER_SECRET`, else the one the key store keeps (generated on first use).
   */
  readonly secret?: string;
  /** Environment to read `REFERRAL_LEDGER_SECRET` from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Clock for `recordedAt` of events appended without one. */
  readonly clock?: () => Date;
}

/** What the privacy layer adds to a store. */
export interface PrivacyControls {
  /** The secret in force (give it to `createLedger` so its guard keys match). */
  readonly secret: string;
  readonly keys: SubjectKeyStore;
  /** The subject id of an email: HMAC-SHA-256 of the normalised email under the secret. */
  subjectIdFor(email: string): Promise<string>;
}

export type PrivateStore<S extends EventStore> = S & { readonly privacy: PrivacyControls };

/**
 * Resolve the ledger's secret (SPEC §10): the option, else `REFERRAL_LEDGER_SECRET`, else the
 * one kept beside the keys, generated (32 random bytes) the first time a store is used.
 */
export async function resolveSecret(
  keys: SubjectKeyStore,
  given?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (given) return given;
  if (env.REFERRAL_LEDGER_SECRET) return env.REFERRAL_LEDGER_SECRET;
  const kept = await keys.getMeta('secret');
  if (kept) return kept;
  const made = randomBytes(32).toString('base64url');
  await keys.setMeta('secret', made);
  return made;
}

type Meta = Record<string, unknown>;

/**
 * Crypto-shredding for any store (SPEC §10): personal fields are encrypted per data subject
 * before they reach the store below, and decrypted on every read; once a subject's key is
 * destroyed (`eraseSubject`) its fields read as `null` and the event as `metadata.erased: true`.
 *
 * What is stored for each sealed field: the ciphertext in place of the value, its path in
 * `metadata.personal` (the integrity chain covers the list, not the values), a commitment
 * (`metadata.sealed[path]` = SHA-256 of the ciphertext) that `verify` checks, and for
 * matching keyed hashes under the ledger's secret
 * (`metadata.match`: the lead's email key and email domain, the opportunity's contact email
 * keys), so first-to-register and duplicate matching give the same answers after erasure.
 *
 * @example const store = await withPrivacy(withIntegrity(sqlite), { keys: tableKeyStore(sqlite) });
 */
export async function withPrivacy<S extends EventStore>(
  inner: S,
  options: PrivacyOptions,
): Promise<PrivateStore<S>> {
  const keys = options.keys;
  const secret = await resolveSecret(keys, options.secret, options.env);
  const hasher: KeyHasher = nodeHmacKeyHasher(secret);
  const clock = options.clock ?? (() => new Date());
  // Keys created in a batch that rolls back (sealing threw) must not stay cached: `staged`
  // caches them for other callers only once the batch has committed.
  const batch = <T>(fn: () => Promise<T>): Promise<T> => {
    const unit = () => (keys.batch ? keys.batch(fn) : fn());
    return keys.staged ? keys.staged(unit) : unit();
  };

  async function partnerOf(
    partnerId: unknown,
  ): Promise<{ program: string; contactEmail: string | null } | undefined> {
    const events = await readStream(`partner-${String(partnerId)}`);
    let found: { program: string; contactEmail: string | null } | undefined;
    for (const e of events) {
      if (e.type === 'PartnerEnrolled')
        found = { program: e.data.program, contactEmail: e.data.contactEmail ?? null };
      if (e.type === 'PartnerUpdated' && found && e.data.contactEmail)
        found.contactEmail = e.data.contactEmail;
    }
    return found;
  }

  type PartnerInfo = { program: string; contactEmail: string | null } | undefined;

  /**
   * A partner's program and contact email as of the events sealed so far in one append
   * (`pending`, by partner id) or else as stored: a `PartnerUpdated` whose `PartnerEnrolled`
   * is in the same batch, or in an earlier chunk not yet visible to reads (PostgreSQL), is
   * still known to be a customer's or employee's, and its personal fields sealed.
   */
  async function partnerInfo(partnerId: unknown, pending?: Map<string, PartnerInfo>): Promise<PartnerInfo> {
    const id = String(partnerId);
    if (pending?.has(id)) return pending.get(id);
    return partnerOf(partnerId);
  }

  /** Note a partner event's (unsealed) program and contact email in `pending`, as `partnerOf` folds them. */
  function notePartner(e: NewEvent, before: PartnerInfo, pending?: Map<string, PartnerInfo>): void {
    if (!pending) return;
    const d = e.data as { partnerId?: unknown; program?: string; contactEmail?: string };
    if (e.type === 'PartnerEnrolled')
      pending.set(String(d.partnerId), {
        program: d.program as string,
        contactEmail: d.contactEmail ?? null,
      });
    else if (e.type === 'PartnerUpdated' && before)
      pending.set(String(d.partnerId), {
        ...before,
        ...(d.contactEmail ? { contactEmail: d.contactEmail } : {}),
      });
  }

  async function seal(raw: NewEvent, pending?: Map<string, PartnerInfo>): Promise<NewEvent> {
    const e = completeMetadata(raw, clock().toISOString());
    const metadata = e.metadata as Meta;
    if (metadata.erased === true) {
      // An exported event whose personal fields were erased: already stored here? then
      // send the stored form, so the append is recognised as a repeat.
      const stored = (await inner.readStream(e.streamId)).find(
        (s) => s.metadata.eventId === e.metadata.eventId,
      );
      if (stored)
        return {
          streamId: stored.streamId,
          type: stored.type,
          data: stored.data,
          metadata: stored.metadata,
        } as NewEvent;
      return e;
    }
    const partner = e.type === 'PartnerUpdated' ? await partnerInfo(e.data.partnerId, pending) : undefined;
    notePartner(e, partner, pending);
    const named = typeof metadata.subjectId === 'string' ? metadata.subjectId : undefined;
    const fields: PersonalField[] = personalFields(e.type, e.data, partner, named);
    const { sealed: _s, match: _m, personal: _p, ...rest } = metadata;
    const match: Meta = {};
    if (e.type === 'ReferralSubmitted' || e.type === 'LeadShared') {
      const email = e.data.lead.email;
      if (typeof email === 'string' && email !== '') {
        match.email = await leadEmailKey(hasher, email);
        const domain = emailDomain(email);
        if (domain) match.emailDomain = domain;
      }
    }
    if (e.type === 'OpportunityOpened' && e.data.contactEmails?.length) {
      match.contactEmails = await Promise.all(e.data.contactEmails.map((m) => leadEmailKey(hasher, m)));
    }
    if (fields.length === 0) {
      return { ...e, metadata: { ...rest, ...(Object.keys(match).length ? { match } : {}) } } as NewEvent;
    }
    const values = new Map<string, unknown>();
    const sealed: Record<string, string> = {};
    for (const f of fields) {
      const subjectId =
        f.subjectEmail !== null ? await subjectIdOf(hasher, f.subjectEmail) : (f.subjectId ?? '');
      if (subjectId === '') {
        throw new ValidationError(
          `${e.type}: data.${f.path} is personal data of a subject the event does not name; give the lead's email or metadata.subjectId`,
          [{ path: `data.${f.path}`, message: 'subject unknown' }],
          { eventType: e.type },
        );
      }
      const { keyId, key } = await keys.current(subjectId);
      const v = sealValue(key, keyId, f.path, f.value, e.metadata.eventId);
      values.set(f.path, v);
      sealed[f.path] = sha256Hex(v);
    }
    return {
      ...e,
      data: setPaths(e.data, values),
      metadata: {
        ...rest,
        personal: fields.map((f) => f.path),
        sealed,
        ...(Object.keys(match).length ? { match } : {}),
      },
    } as NewEvent;
  }

  /** The events with their sealed values opened (null once the subject's key is destroyed). */
  const openAll = (events: readonly RecordedEvent[]) => openSealedEvents(events, keys);

  const readStream: EventStore['readStream'] = async (id, o) => openAll(await inner.readStream(id, o));

  const own: Record<PropertyKey, unknown> = {
    async append(streamId: string, events: readonly NewEvent[], o?: { expectedRevision?: ExpectedRevision }) {
      const sealedEvents = await batch(async () => {
        const out: NewEvent[] = [];
        const pending = new Map<string, PartnerInfo>();
        for (const e of events) out.push(await seal(e, pending));
        return out;
      });
      return inner.append(streamId, sealedEvents, o);
    },
    async appendBatch(writes: readonly StreamWrite[]) {
      // Keys are committed before the events: a failed append leaves unused keys, never
      // events whose key is missing.
      const sent = await batch(async () => {
        const out: StreamWrite[] = [];
        const pending = new Map<string, PartnerInfo>();
        for (const w of writes) {
          const events: NewEvent[] = [];
          for (const e of w.events) events.push(await seal(e, pending));
          out.push({ ...w, events });
        }
        return out;
      });
      return inner.appendBatch(sent);
    },
    /**
     * Seal each chunk as it passes to the inner store's `appendChunks`. Keys are written
     * before each chunk's events (in the same transaction where the key store shares the
     * store's SQLite file). A store without `appendChunks`: collected, sealed, one batch.
     */
    async appendChunks(chunks: AsyncIterable<readonly StreamWrite[]>): Promise<ChunkedAppendResult> {
      if (typeof inner.appendChunks !== 'function') {
        const appendBatch = own.appendBatch as EventStore['appendBatch'];
        return appendInChunks({ appendBatch, headPosition: () => inner.headPosition() }, chunks);
      }
      // Partners enrolled or updated by earlier chunks (one entry a partner, kept to the end).
      const pending = new Map<string, PartnerInfo>();
      async function* sealed(): AsyncGenerator<readonly StreamWrite[]> {
        for await (const chunk of chunks) {
          yield await batch(async () => {
            const out: StreamWrite[] = [];
            for (const w of chunk) {
              const events: NewEvent[] = [];
              for (const e of w.events) events.push(await seal(e, pending));
              out.push({ ...w, events });
            }
            return out;
          });
        }
      }
      // On SQLite the chunks' keys are written in the chunks' transaction: if it rolls back,
      // they must not stay cached (a later event would be sealed under a key never stored).
      const append = () => inner.appendChunks!(sealed());
      return keys.staged ? keys.staged(append) : append();
    },
    readStream,
    readAll: async (o?: Parameters<EventStore['readAll']>[0]) => openAll(await inner.readAll(o)),
    subscribe: (o: SubscribeOptions) =>
      inner.subscribe({ ...o, onEvents: async (events) => o.onEvents(await openAll(events)) }),
    privacy: {
      secret,
      keys,
      subjectIdFor: (email: string) => subjectIdOf(hasher, email),
    } satisfies PrivacyControls,
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (Object.hasOwn(own, prop)) return own[prop];
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
    has(target, prop) {
      return Object.hasOwn(own, prop) || Reflect.has(target, prop);
    },
  }) as PrivateStore<S>;
}

/**
 * Events with their sealed personal fields opened, what the privacy layer's reads return:
 * the keys of all of them are fetched first (one `getMany` where the key store has it),
 * then each event is opened (`openSealedEvent`). Events without sealed fields come back as
 * they are.
 */
export async function openSealedEvents(
  events: readonly RecordedEvent[],
  keys: SubjectKeyStore,
): Promise<RecordedEvent[]> {
  // The keys of the whole page first, in one round trip where the key store can.
  const ids = new Set<string>();
  for (const e of events)
    for (const path of personalPaths(e.metadata)) {
      const keyId = sealedKeyId(getPath(e.data, path));
      if (keyId !== null) ids.add(keyId);
    }
  if (ids.size === 0) return events as RecordedEvent[];
  // Without a bulk fetch, the keys are asked for all at once (a KMS answers them in parallel).
  const found = keys.getMany
    ? await keys.getMany(ids)
    : new Map(await Promise.all([...ids].map(async (id) => [id, await keys.get(id)] as const)));
  return events.map((e) => openSealedEvent(e, found));
}

/**
 * An event with its sealed personal fields opened under the keys in `found` (by key id); a
 * field whose key is missing or destroyed reads as `null` and marks the event
 * `metadata.erased: true`. An event without sealed fields is returned as it is; otherwise a
 * copy (the objects along the opened paths are copied, the rest shared).
 */
export function openSealedEvent(
  e: RecordedEvent,
  found: ReadonlyMap<string, Uint8Array | null>,
): RecordedEvent {
  const paths = personalPaths(e.metadata);
  if (paths.length === 0) return e;
  const values = new Map<string, unknown>();
  let erased = false;
  for (const path of paths) {
    const v = getPath(e.data, path);
    const keyId = sealedKeyId(v);
    if (keyId === null) continue;
    const key = found.get(keyId) ?? null;
    if (key) values.set(path, openValue(key, path, v as string));
    else {
      values.set(path, null);
      erased = true;
    }
  }
  return {
    ...e,
    data: setPaths(e.data, values),
    metadata: erased ? { ...e.metadata, erased: true } : e.metadata,
  } as RecordedEvent;
}
