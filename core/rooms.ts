/** socket.io room of one session; workers publish into it and the API lets owners join it. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** Events published into a session room. */
export const SESSION_EVENTS = { state: 'session:state', progress: 'session:progress' } as const;

/** The named steps of a render, sent with its progress so a page can say what is happening. */
export const RENDER_STEPS = ['preparing', 'encoding', 'saving', 'poster'] as const;
export type RenderStep = (typeof RENDER_STEPS)[number];

/**
 * One `session:progress` event: a job's share done (0..1), and for a render, its step. `side` marks
 * work done beside a step's own job (the voiceover spoken before the render): the step's bar
 * follows its own job, never that one.
 */
export interface ProgressEvent {
  assetId: string;
  fraction: number;
  step?: RenderStep | undefined;
  side?: boolean | undefined;
}

/**
 * Where each render step puts the bar. Encoding fills it up to `encoded`; saving the MP4 and
 * its poster frame come after, so the bar reaches 100 % only when the ad is really stored.
 */
export const RENDER_SHARES = { encoded: 0.9, saving: 0.92, poster: 0.97 } as const;

/** The share of a whole render for a step and, while encoding, FFmpeg's own share. */
export function renderFraction(step: RenderStep, encodedShare = 0): number {
  switch (step) {
    case 'preparing':
      return 0;
    case 'encoding':
      return Math.min(1, Math.max(0, encodedShare)) * RENDER_SHARES.encoded;
    case 'saving':
      return RENDER_SHARES.saving;
    case 'poster':
      return RENDER_SHARES.poster;
  }
}
