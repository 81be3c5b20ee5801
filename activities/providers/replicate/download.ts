import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { businessFailure } from '../../../core/errors';

/**
 * Saves a model's output file (Replicate deletes outputs after an hour): streamed to disk,
 * refused past a size cap, its type judged by its first bytes (not by what the server says), and
 * hashed on the way through.
 */

export type MediaKind = 'image' | 'video' | 'audio';

export interface Downloaded {
  path: string;
  bytes: number;
  sha256: string;
  mime: string;
}

/** Raised when the file is gone (Replicate already deleted it). */
export class OutputGoneError extends Error {
  constructor() {
    super('The output file is no longer available.');
    this.name = 'OutputGoneError';
  }
}

export async function downloadOutput(
  source: string,
  path: string,
  options: {
    kind: MediaKind;
    maxBytes: number;
    signal?: AbortSignal | undefined;
    fetch?: typeof fetch;
  },
): Promise<Downloaded> {
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        done(tooLarge(options.maxBytes));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(await openSource(source, options), counter, createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  const mime = sniffMime(await firstBytes(path));
  if (!mime || !mime.startsWith(`${options.kind}/`)) {
    await rm(path, { force: true });
    throw businessFailure(
      'PROVIDER_REJECTED',
      `The model returned ${mime ?? 'a file of unknown type'} where ${options.kind === 'audio' ? 'audio' : `an ${options.kind}`} was expected.`,
    );
  }
  return { path, bytes, sha256: hash.digest('hex'), mime };
}

async function openSource(
  source: string,
  options: { maxBytes: number; signal?: AbortSignal | undefined; fetch?: typeof fetch },
): Promise<Readable> {
  if (source.startsWith('data:')) {
    const comma = source.indexOf(',');
    const meta = source.slice(5, comma);
    const payload = source.slice(comma + 1);
    const buffer = meta.endsWith(';base64')
      ? Buffer.from(payload, 'base64')
      : Buffer.from(decodeURIComponent(payload));
    return Readable.from([buffer]);
  }
  if (!/^https?:\/\//.test(source)) {
    throw businessFailure('PROVIDER_REJECTED', 'The model returned something that is not a file.');
  }
  const response = await (options.fetch ?? fetch)(source, { signal: options.signal ?? null });
  if (response.status === 404 || response.status === 410) {
    await response.body?.cancel();
    throw new OutputGoneError();
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`Fetching the output failed with status ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel();
    throw tooLarge(options.maxBytes);
  }
  return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}

function tooLarge(maxBytes: number) {
  return businessFailure(
    'PROVIDER_REJECTED',
    `The model returned a file larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`,
  );
}

async function firstBytes(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await handle.read(buffer, 0, 16, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The media type of a file from its signature, or undefined. Exported for tests. */
export function sniffMime(head: Buffer): string | undefined {
  const ascii = (start: number, end: number) => head.subarray(start, end).toString('latin1');
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return 'image/jpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (brand.startsWith('M4A')) return 'audio/mp4';
    return brand === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'video/webm';
  if (ascii(0, 3) === 'ID3') return 'audio/mpeg';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) return 'audio/mpeg';
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(0, 4) === 'fLaC') return 'audio/flac';
  return undefined;
}
