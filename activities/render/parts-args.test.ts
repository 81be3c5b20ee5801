import { describe, expect, it } from 'vitest';
import { LAYER_NAMES } from '../../core/render/text-plan';
import { buildVideoGraph } from './args';
import { assembleArgs, concatList, encodePartsArgs } from './parts-args';

const graph = buildVideoGraph({
  clips: [3, 3, 3].map((durationSeconds, i) => ({ path: `/w/clip-${i}.mp4`, durationSeconds })),
  layers: LAYER_NAMES.map((name) => ({ name, path: `/w/${name}.png`, width: 300, height: 80 })),
  colors: { primary: '#102030', accent: '#ffcc00', text: '#FFFFFF' },
  audioPath: '/w/sound.wav',
});

const option = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe('encodePartsArgs', () => {
  const parts = [
    { firstFrame: 0, endFrame: 75 },
    { firstFrame: 150, endFrame: 240 },
    { firstFrame: 240, endFrame: 300 },
  ];
  const args = encodePartsArgs(graph, parts, '/w/parts/new-%03d.ts');
  const filter = option(args, '-filter_complex') ?? '';

  it('keeps only the parts’ frames of the whole graph, renumbered, and stops after the last', () => {
    expect(filter).toContain(graph.chains.map((chain) => chain.text).join(';\n'));
    expect(filter).toMatch(
      /\[vout\]trim=end_frame=300,select='between\(n,0,74\)\+between\(n,150,239\)\+between\(n,240,299\)',setpts=N\/\(30\*TB\)\[vparts\]$/,
    );
    expect(option(args, '-map')).toBe('[vparts]');
    expect(option(args, '-frames:v')).toBe(String(75 + 90 + 60));
    expect(args).toContain('-an');
    // The graph reads the same inputs as the whole ad, so its input numbers hold.
    expect(args.filter((arg) => arg === '-i')).toHaveLength(graph.inputs.length);
  });

  it('starts each part on an IDR and cuts one MPEG-TS file per part', () => {
    expect(option(args, '-force_key_frames')).toBe('expr:eq(n,0)+eq(n,75)+eq(n,165)');
    expect(option(args, '-forced-idr')).toBe('1');
    expect(option(args, '-f')).toBe('segment');
    expect(option(args, '-segment_format')).toBe('mpegts');
    expect(option(args, '-segment_frames')).toBe('75,165,225');
    expect(option(args, '-reset_timestamps')).toBe('1');
    expect(args.join(' ')).toContain('-c:v libx264 -preset veryfast -crf 23');
    expect(args.join(' ')).toContain('-profile:v high -pix_fmt yuv420p -r 30 -g 60');
    expect(args.at(-1)).toBe('file:/w/parts/new-%03d.ts');
  });

  it('refuses empty or fractional parts', () => {
    expect(() => encodePartsArgs(graph, [], 'x-%03d.ts')).toThrow(/No part/);
    expect(() => encodePartsArgs(graph, [{ firstFrame: 5, endFrame: 5 }], 'x.ts')).toThrow();
    expect(() => encodePartsArgs(graph, [{ firstFrame: 0, endFrame: 7.5 }], 'x.ts')).toThrow();
  });
});

describe('concatList', () => {
  it('lists the parts by name with their exact lengths', () => {
    expect(
      concatList(
        [
          { name: 'part-000.ts', frames: 75 },
          { name: 'part-001.ts', frames: 46 },
        ],
        30,
      ),
    ).toBe(
      "ffconcat version 1.0\nfile 'part-000.ts'\nduration 2.5\nfile 'part-001.ts'\nduration 1.533333\n",
    );
  });

  it.each(["it's.ts", '../x.ts', '/abs/part.ts', 'part.mp4', 'a b.ts'])('refuses %j', (name) => {
    expect(() => concatList([{ name, frames: 1 }], 30)).toThrow(/plain/);
  });
});

describe('assembleArgs', () => {
  it('copies the video and encodes the sound beside it, to the ad’s length', () => {
    const args = assembleArgs({
      listPath: '/w/parts/parts.ffconcat',
      audioPath: '/w/sound.wav',
      graph,
      outputPath: '/out/ad.mp4',
    });
    expect(args.join(' ')).toContain('-f concat -i file:/w/parts/parts.ffconcat');
    expect(args.join(' ')).toContain('-i file:/w/sound.wav -map 0:v:0 -map 1:a:0 -c:v copy');
    expect(args.join(' ')).toContain('-c:a aac -b:a 160k -ar 48000 -ac 2');
    expect(args.join(' ')).toContain('-movflags +faststart');
    expect(option(args, '-t')).toBe(String(graph.durationSeconds));
    expect(args.at(-1)).toBe('file:/out/ad.mp4');
  });

  it('gives a silent ad a silent track', () => {
    const args = assembleArgs({ listPath: '/w/l', audioPath: null, graph, outputPath: '/o.mp4' });
    expect(option(args, '-filter_complex')).toBe(
      `anullsrc=r=48000:cl=stereo,atrim=duration=${graph.durationSeconds}[aout]`,
    );
    expect(args.join(' ')).toContain('-map 0:v:0 -map [aout]');
    expect(args.filter((arg) => arg === '-i')).toHaveLength(1);
  });
});
