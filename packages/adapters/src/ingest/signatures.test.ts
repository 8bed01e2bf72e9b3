import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from './signatures.ts';

describe('webhook signatures', () => {
  it("checks HubSpot v1 against the example in HubSpot's documentation", () => {
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
    const headers = {
      'X-HubSpot-Signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
    };
    expect(verifyWebhookSignature('hubspot', { headers, body }, secret)).toEqual({ ok: true });
    expect(verifyWebhookSignature('hubspot', { headers, body: `${body} ` }, secret)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('checks HubSpot v3 over method, URL, body and timestamp, refusing one older than 5 minutes', () => {
    const body = '[{"eventId":1}]';
    const ts = '1767268800000';
    const sig = createHmac('sha256', 's3cret')
      .update(`POSThttps://hooks.example/hubspot${body}${ts}`)
      .digest('base64');
    const req = {
      headers: { 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': ts },
      body,
      method: 'POST',
      url: 'https://hooks.example/hubspot',
    };
    expect(verifyWebhookSignature('hubspot', req, 's3cret', () => 1767268800000 + 60_000).ok).toBe(true);
    expect(verifyWebhookSignature('hubspot', req, 's3cret', () => 1767268800000 + 5 * 60_000 + 1)).toEqual({
      ok: false,
      reason: 'stale-timestamp',
    });
    expect(
      verifyWebhookSignature(
        'hubspot',
        { ...req, url: 'https://evil.example/' },
        's3cret',
        () => 1767268800000,
      ).ok,
    ).toBe(false);
  });

  it('checks Typeform (sha256= prefix) and Tally (bare base64) bodies', () => {
    const body = '{"event_type":"form_response"}';
    const b64 = createHmac('sha256', 'k').update(body).digest('base64');
    expect(
      verifyWebhookSignature('typeform', { headers: { 'Typeform-Signature': `sha256=${b64}` }, body }, 'k')
        .ok,
    ).toBe(true);
    expect(verifyWebhookSignature('typeform', { headers: { 'Typeform-Signature': b64 }, body }, 'k').ok).toBe(
      false,
    );
    expect(verifyWebhookSignature('tally', { headers: { 'tally-signature': b64 }, body }, 'k').ok).toBe(true);
    expect(verifyWebhookSignature('tally', { headers: {}, body }, 'k')).toEqual({
      ok: false,
      reason: 'missing-signature',
    });
  });
});
