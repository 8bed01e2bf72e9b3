/**
 * Keyed-hash match keys the privacy layer stores beside sealed personal fields
 * (`metadata.match`, SPEC §10): with them, email matching compares keys instead of
 * plaintext, so an erased subject (whose emails read as `null`) still matches exactly as
 * before. Events appended without the privacy layer carry none, and match on plaintext.
 */
export interface MatchKeys {
  /** Keyed hash of the lead's normalised email. */
  readonly email: string | null;
  /** The domain part of the lead's email (a company domain, needed when it has no website). */
  readonly emailDomain: string | null;
  /** Keyed hashes of an opportunity's normalised contact emails, in order. */
  readonly contactEmails: readonly string[] | null;
}

/**
 * Read `metadata.match` defensively (it comes from files too).
 *
 * @example matchKeysOf({ match: { email: 'lead-5d1c…' } }).email // 'lead-5d1c…'
 */
export function matchKeysOf(metadata: { readonly match?: unknown }): MatchKeys {
  const m = metadata.match;
  const o = typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    email: str(o.email),
    emailDomain: str(o.emailDomain),
    contactEmails:
      Array.isArray(o.contactEmails) && o.contactEmails.every((x) => typeof x === 'string')
        ? (o.contactEmails as string[])
        : null,
  };
}
