import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Is this webhook really from the vendor? The checks each vendor documents, for services that
 * receive webhooks before handing the body to `ingestPayload`. Always check the raw body as
 * received: re-serialised JSON changes the bytes.
 */
export interface SignedRequest {
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw request body. */
  readonly body: string;
  /** HubSpot v3 signs the method and the full URL too. */
  readonly method?: string;
  readonly url?: string;
}

export type SignatureSource = 'hubspot' | 'typeform' | 'tally';

/** Why a signature check failed, or `ok`. */
export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing-signature' | 'stale-timestamp' | 'mismatch' };

function header(req: SignedRequest, name: string): string | undefined {
  const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : req.headers[key];
  return Array.isArray(v) ? v[0] : (v as string | undefined);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const hmac64 = (secret: string, data: string): string =>
  createHmac('sha256', secret).update(data, 'utf8').digest('base64');

/**
 * Check a webhook's signature against the shared secret:
 * - HubSpot: `X-HubSpot-Signature-v3` = base64 HMAC-SHA256 of method + URL + body + the
 *   `X-HubSpot-Request-Timestamp` (refused when older than 5 minutes); without a v3 header,
 *   `X-HubSpot-Signature` v1 = hex SHA-256 of secret + body.
 * - Typeform: `Typeform-Signature` = `sha256=` + base64 HMAC-SHA256 of the body.
 * - Tally: `Tally-Signature` = base64 HMAC-SHA256 of the body.
 * @example verifyWebhookSignature('tally', { headers: req.headers, body }, secret).ok
 */
export function verifyWebhookSignature(
  source: SignatureSource,
  req: SignedRequest,
  secret: string,
  now: () => number = Date.now,
): SignatureCheck {
  if (source === 'hubspot') {
    const v3 = header(req, 'X-HubSpot-Signature-v3');
    if (v3 !== undefined) {
      const ts = header(req, 'X-HubSpot-Request-Timestamp');
      if (ts === undefined || !/^\d+$/.test(ts)) return { ok: false, reason: 'missing-signature' };
      if (now() - Number(ts) > 5 * 60_000) return { ok: false, reason: 'stale-timestamp' };
      const expected = hmac64(secret, `${req.method ?? 'POST'}${req.url ?? ''}${req.body}${ts}`);
      return same(v3, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
    }
    const v1 = header(req, 'X-HubSpot-Signature');
    if (v1 === undefined) return { ok: false, reason: 'missing-signature' };
    const expected = createHash('sha256')
      .update(secret + req.body, 'utf8')
      .digest('hex');
    return same(v1.toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
  }
  const name = source === 'typeform' ? 'Typeform-Signature' : 'Tally-Signature';
  const got = header(req, name);
  if (got === undefined) return { ok: false, reason: 'missing-signature' };
  const expected = (source === 'typeform' ? 'sha256=' : '') + hmac64(secret, req.body);
  return same(got, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
