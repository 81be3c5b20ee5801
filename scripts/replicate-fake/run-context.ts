/**
 * What a fake model gets while it runs, and the error type whose message becomes the
 * prediction's `error` (anything else is reported with a generic message, like a crashed model).
 */

export interface RunContext {
  signal: AbortSignal;
  /** 0..1 as work advances; the prediction's logs grow with tqdm-like lines. */
  progress(fraction: number): void;
  log(line: string): void;
  /** Registers an output file; returns where to write it and the URL the output will carry. */
  outputFile(name: string, ext: string, mime: string): { path: string; url: string };
  /** This prediction's scratch folder (downloaded inputs, intermediate files). */
  scratchDir: string;
  /** The local path behind a URL of a file uploaded to this server (`POST /v1/files`). */
  localFile(url: string): string | undefined;
  /** The malformed-json fault: a language model answers with text that is not JSON. */
  malformedJson: boolean;
}

export interface RunResult {
  output: unknown;
  metrics?: Record<string, number>;
}

export class ModelError extends Error {
  override name = 'ModelError';
}
