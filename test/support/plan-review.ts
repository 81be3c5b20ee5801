import type { WorkflowHandle } from '@temporalio/client';
import sharp from 'sharp';
import type { SessionState, StyleSpec } from '../../core/session';
import type { Db } from '../../db/client';
import { waitForState } from '../../workflows/client';
import { rowCaughtUp } from './api';

/** A style a person might accept the plan with. */
export const REVIEW_STYLE: StyleSpec = {
  lighting: 'low warm sun from the left',
  camera: '85mm, eye level',
  mood: 'quiet luxury',
  grade: 'soft film grade',
  backdrop: 'linen and oak',
  palette: ['#f2e8dc', '#3b2f2f', '#c8a165'],
};

/** A 100 × 140 product of one colour on a plain 300 × 300 backdrop, as a PNG. */
export async function productOnBackdrop(colour: string): Promise<Buffer> {
  const product = await sharp({
    create: { width: 100, height: 140, channels: 3, background: colour },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width: 300, height: 300, channels: 3, background: '#f5f5f5' } })
    .composite([{ input: product, left: 100, top: 80 }])
    .png()
    .toBuffer();
}

/** Uploads a product photo through the API, as the page does; its photo key. */
export async function uploadProductPhoto(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  token: string,
  colour: string,
): Promise<string> {
  const form = new FormData();
  const photo = await productOnBackdrop(colour);
  form.append('file', new File([new Uint8Array(photo)], 'product.png', { type: 'image/png' }));
  const response = await app.request('/api/uploads', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (response.status !== 201) throw new Error(`The upload answered ${response.status}`);
  return ((await response.json()) as { photoKey: string }).photoKey;
}

/**
 * Waits until the plan review shows a ready cutout (another than `notCutout`), or the session
 * failed. With a database, also until the session's row holds that state: the API serves the
 * row, which the worker writes just after the state moves.
 */
export async function reviewReady(
  handle: WorkflowHandle,
  options: { db?: Db; notCutout?: string; timeoutMs?: number } = {},
): Promise<SessionState> {
  const state = await waitForState(
    handle,
    (s) =>
      s.stage === 'failed' ||
      (s.stage === 'awaiting_plan_approval' &&
        s.productCutout?.status === 'ready' &&
        s.productCutout.id !== options.notCutout),
    { timeoutMs: options.timeoutMs },
  );
  if (options.db) await rowCaughtUp(options.db, state.sessionId, state.version);
  return state;
}
