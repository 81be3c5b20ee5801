import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Webhook delivery the way Replicate does it (Standard Webhooks): every message is signed with
 * the account's `whsec_` secret, and a failed delivery is retried with the same `webhook-id`, so
 * receivers can dedupe on it.
 */

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the secret's decoded base64 part. */
export function signWebhook(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.slice(secret.indexOf('_') + 1), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

const RETRIES = 3;
const RETRY_BASE_MS = 100;
const ATTEMPT_TIMEOUT_MS = 5_000;

export class WebhookSender {
  delivered = 0;
  private readonly pending = new Set<Promise<void>>();
  private readonly stop = new AbortController();

  constructor(private readonly secret: string) {}

  /**
   * Sends `body` to `url` in the background; `copies` > 1 delivers the same message again after
   * the first success (the duplicate-webhook fault). Deliveries to one URL are not ordered here;
   * callers chain them per prediction.
   */
  send(url: string, body: string, copies = 1): Promise<void> {
    const id = `msg_${randomBytes(18).toString('base64url')}`;
    const task = (async () => {
      for (let copy = 0; copy < copies; copy++) await this.deliver(url, id, body);
    })();
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
    return task;
  }

  async close(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(url: string, id: string, body: string): Promise<void> {
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      if (this.stop.signal.aborted) return;
      if (attempt > 0) {
        try {
          await sleep(RETRY_BASE_MS * 2 ** (attempt - 1), undefined, { signal: this.stop.signal });
        } catch {
          return;
        }
      }
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const response = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'replicate-fake-webhook/1',
            'webhook-id': id,
            'webhook-timestamp': timestamp,
            'webhook-signature': signWebhook(this.secret, id, timestamp, body),
          },
          body,
          signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.delivered += 1;
          return;
        }
      } catch {
        // Refused, reset or timed out: retried like a non-2xx answer.
      }
    }
  }
}
