import { randomInt } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { ModelError } from './run-context';
import type { RunContext } from './run-context';

/**
 * File inputs arrive as `data:` URIs (the client's data-uri strategy), as URLs (for example an
 * earlier prediction's output on this server) or as files uploaded here. The first two are saved
 * to the prediction's scratch folder.
 */

const MAX_INPUT_BYTES = 50 * 1024 * 1024;

/** Saves an image input and checks that it decodes, so a bad file fails with a clear error. */
export async function saveInputImage(
  value: string,
  name: string,
  ctx: RunContext,
): Promise<string> {
  const uploaded = ctx.localFile(value);
  const path = uploaded ?? join(ctx.scratchDir, `input-${name}`);
  if (!uploaded) {
    const bytes = value.startsWith('data:')
      ? decodeDataUri(value)
      : await download(value, ctx.signal);
    if (bytes.length === 0) throw new ModelError(`The ${name} input is empty.`);
    await writeFile(path, bytes);
  }
  try {
    await sharp(path).metadata();
  } catch {
    throw new ModelError(`The ${name} input is not an image this model can read.`);
  }
  return path;
}

function decodeDataUri(uri: string): Buffer {
  const comma = uri.indexOf(',');
  if (comma < 0) throw new ModelError('A data: URI input has no comma before its payload.');
  const meta = uri.slice(5, comma);
  const payload = uri.slice(comma + 1);
  return meta.endsWith(';base64')
    ? Buffer.from(payload, 'base64')
    : Buffer.from(decodeURIComponent(payload), 'utf8');
}

async function download(url: string, signal: AbortSignal): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch {
    signal.throwIfAborted();
    throw new ModelError(`Could not download the input file from ${safeUrl(url)}.`);
  }
  if (!response.ok) {
    throw new ModelError(
      `Downloading the input file from ${safeUrl(url)} answered ${response.status}.`,
    );
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_INPUT_BYTES) throw new ModelError('The input file is larger than 50 MB.');
  return bytes;
}

/** Origin and path only: a signed URL's query is nobody's business in an error message. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

/** The seed to use: the one asked for, else a random one (as the real models do), logged. */
export function resolveSeed(seed: number | undefined, ctx: RunContext): number {
  const used = seed ?? randomInt(0, 2 ** 31 - 1);
  ctx.log(`Using seed: ${used}`);
  return used;
}
