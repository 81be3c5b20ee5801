import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runFfmpeg } from '../../activities/media/ffmpeg';

/**
 * A contact sheet of an ad: one frame per moment given (the middle of each spoken phrase, say),
 * side by side, each `tileWidth` wide, as a small JPEG for the docs.
 */
export async function frameSheet(
  video: string,
  seconds: readonly number[],
  output: string,
  tileWidth = 270,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'frame-sheet-'));
  try {
    const tiles = await Promise.all(
      seconds.map(async (at, index) => {
        const png = join(dir, `frame-${index}.png`);
        await runFfmpeg(['-y', '-ss', at.toFixed(3), '-i', video, '-frames:v', '1', png]);
        return sharp(png).resize({ width: tileWidth }).png().toBuffer({ resolveWithObject: true });
      }),
    );
    await tileRow(tiles, tileWidth, output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A contact sheet of still images (a session's generated images), side by side. */
export async function imageSheet(
  images: readonly string[],
  output: string,
  tileWidth = 270,
): Promise<void> {
  const tiles = await Promise.all(
    images.map((path) =>
      sharp(path).resize({ width: tileWidth }).png().toBuffer({ resolveWithObject: true }),
    ),
  );
  await tileRow(tiles, tileWidth, output);
}

async function tileRow(
  tiles: ReadonlyArray<{ data: Buffer; info: { height: number } }>,
  tileWidth: number,
  output: string,
) {
  const gap = 6;
  const height = Math.max(...tiles.map((t) => t.info.height));
  await sharp({
    create: {
      width: tiles.length * (tileWidth + gap) - gap,
      height,
      channels: 3,
      background: '#ffffff',
    },
  })
    .composite(tiles.map((t, i) => ({ input: t.data, left: i * (tileWidth + gap), top: 0 })))
    .jpeg({ quality: 78 })
    .toFile(output);
}
