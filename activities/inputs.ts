import type { AspectRatio, CameraMove, MusicGenre, ProductView } from '../core/options';
import type { AssetView, Composition, ProductSpec, StyleSpec } from '../core/session';

/** Inputs of the activities, as the workflow sends them. Ids are made by the workflow. */

export interface PlanShotsInput {
  sessionId: string;
  prompt: string;
  count: number;
  aspectRatio: AspectRatio;
  seed?: number | undefined;
}

export interface PlanScenesInput {
  sessionId: string;
  videoPrompt: string;
  product: ProductSpec;
  style: StyleSpec;
  images: Array<{ id: string; view: ProductView; prompt: string }>;
}

export interface GenerateImageInput {
  sessionId: string;
  assetId: string;
  prompt: string;
  view: ProductView;
  seed: number;
  style: StyleSpec;
  product: ProductSpec;
  aspectRatio: AspectRatio;
  productPhotoKey?: string | undefined;
}

export interface GenerateClipInput {
  sessionId: string;
  assetId: string;
  sourceImage: AssetView;
  motion: CameraMove;
  prompt: string;
  seed: number;
  /** The session's format; absent in histories recorded before formats existed (16:9). */
  aspectRatio?: AspectRatio | undefined;
}

export interface GenerateMusicInput {
  sessionId: string;
  assetId: string;
  genre: MusicGenre;
  durationSeconds: number;
  seed: number;
}

export interface RenderInput {
  sessionId: string;
  assetId: string;
  clips: AssetView[];
  music?: AssetView | undefined;
  composition: Composition;
}

export interface CostEntry {
  sessionId: string;
  stage: string;
  agent: string;
  provider: string;
  model: string;
  costUsd: number;
  durationMs: number;
  success: boolean;
  error?: string | undefined;
  /** Unique per paid call, so a retried record never counts twice. */
  idempotencyKey: string;
}
