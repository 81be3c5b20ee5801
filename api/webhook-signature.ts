import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Replicate signs webhooks as Standard Webhooks do: HMAC-SHA256 over `id.timestamp.body` with the
 * base64 key after `whsec_`, sent as space-separated `v1,<base64>` entries. The client's own
 * validateWebhook checks no timestamp and compares with `===`; this checks both properly.
 */

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookVerdict = 'ok' | 'missing_headers' | 'stale' | 'bad_signature';

export function verifyWebhook(input: {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  secret: string;
  nowSeconds?: number;
}): WebhookVerdict {
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature) return 'missing_headers';
  const sent = Number(timestamp);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(sent) || Math.abs(now - sent) > WEBHOOK_TOLERANCE_SECONDS) return 'stale';
  const expected = signWebhook(id, timestamp, input.body, input.secret);
  const matches = signature
    .split(' ')
    .map((entry) => entry.split(',', 2))
    .some(
      ([version, value]) => version === 'v1' && value !== undefined && sameBase64(value, expected),
    );
  return matches ? 'ok' : 'bad_signature';
}

export function signWebhook(id: string, timestamp: string, body: string, secret: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

function sameBase64(a: string, b: string) {
  const left = Buffer.from(a, 'base64');
  const right = Buffer.from(b, 'base64');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
