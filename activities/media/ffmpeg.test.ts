import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegError, ffprobe, progressFrom, runFfmpeg, splitArgs } from './ffmpeg';
import type { FfmpegProgress } from './ffmpeg';

describe('splitArgs', () => {
  it('keeps every input with the options before it, then the output options and file', () => {
    const args = [
      '-y',
      '-loop',
      '1',
      '-i',
      'a.png',
      '-f',
      'lavfi',
      '-i',
      'color=c=red',
      '-map',
      '[v]',
      'out.mp4',
    ];
    expect(splitArgs(args)).toEqual({
      inputs: [
        { options: ['-y', '-loop', '1'], source: 'a.png' },
        { options: ['-f', 'lavfi'], source: 'color=c=red' },
      ],
      outputOptions: ['-map', '[v]'],
      output: 'out.mp4',
    });
  });

  it('refuses a list that does not end with an output file', () => {
    expect(() => splitArgs(['-i', 'a.png', '-an'])).toThrow('output');
  });
});

describe('progressFrom', () => {
  it('turns a timemark into seconds', () => {
    expect(progressFrom({ frames: 45, timemark: '00:01:02.50' })).toEqual({
      outTimeSeconds: 62.5,
      frame: 45,
      speed: null,
      done: false,
    });
  });

  it('reads a missing timemark or frame count as zero', () => {
    expect(progressFrom({ timemark: 'N/A' })).toMatchObject({ outTimeSeconds: 0, frame: 0 });
  });
});

describe('runFfmpeg through fluent-ffmpeg', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffmpeg-runner-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports progress, ends with done, and the file probes as written', async () => {
    const out = join(dir, 'with space.mp4');
    const seen: FfmpegProgress[] = [];
    await runFfmpeg(
      [
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=s=320x240:r=30:d=2',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        out,
      ],
      { onProgress: (p) => seen.push(p) },
    );
    expect(seen.at(-1)?.done).toBe(true);
    expect(seen.some((p) => !p.done && p.outTimeSeconds > 0)).toBe(true);
    const probe = await ffprobe(out);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 320, height: 240 });
    expect(Number(probe.format.duration)).toBeCloseTo(2, 1);
  });

  it('rejects with ffmpeg exit code and its message on a bad graph', async () => {
    await expect(
      runFfmpeg(['-y', '-f', 'lavfi', '-i', 'nosuchsource', join(dir, 'bad.mp4')]),
    ).rejects.toSatisfy(
      (error) => error instanceof FfmpegError && typeof error.exitCode === 'number',
    );
  });

  it('kills ffmpeg when the signal aborts and rejects with its reason', async () => {
    const controller = new AbortController();
    const run = runFfmpeg(
      [
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=s=1280x720:r=30:d=600',
        '-c:v',
        'libx264',
        join(dir, 'long.mp4'),
      ],
      { signal: controller.signal, onProgress: () => controller.abort(new Error('stopped')) },
    );
    await expect(run).rejects.toThrow('stopped');
  });
});
