import type { AspectRatio } from './options';

/**
 * What the API asks the worker for when a person previews the ad's text (POST
 * /sessions/{id}/preview), and what comes back. The stills are drawn on the render queue by the
 * `renderPreview` activity, through the small `previewWorkflow`; the API only asks and waits.
 */
export interface PreviewStillsInput {
  aspectRatio: AspectRatio;
  productName: string;
  callToAction: string;
  tagline?: string | undefined;
  colors: { primary: string; accent: string; text: string };
  /** A stored image of the session for the lower third; a flat card without one. */
  backdropKey?: string | undefined;
}

export interface PreviewStills {
  width: number;
  height: number;
  /** JPEG data URLs. */
  introTitle: string;
  lowerThird: string;
  outro: string;
}

export const previewWorkflowId = (sessionId: string, requestId: string) =>
  `preview-${sessionId}-${requestId}`;
