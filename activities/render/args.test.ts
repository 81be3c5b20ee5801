import { describe, expect, it } from 'vitest';
import { buildRenderArgs, toFfmpegColour } from './args';
import type { RenderArgsInput } from './args';
import { escapeFilterValue } from './filter-values';
import { LAYER_NAMES } from '../../core/render/text-plan';

const LAYERS = LAYER_NAMES.map((name) => ({
  name,
  path: `/tmp/render-abc/text-${name}.png`,
  width: 400,
  height: 120,
}));

function input(overrides: Partial<RenderArgsInput> = {}): RenderArgsInput {
  return {
    clips: [3, 3, 3, 3].map((durationSeconds, i) => ({
      path: `/clips/c${i}.mp4`,
      durationSeconds,
    })),
    layers: LAYERS,
    colors: { primary: '#102030', accent: '#ffcc00', text: '#FFFFFF' },
    musicPath: '/music/upbeat.m4a',
    outputPath: '/out/ad.mp4',
    ...overrides,
  };
}

const graphOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1] ?? '';

describe('buildRenderArgs', () => {
  it('overlays every drawn text layer as a looped still input, with no drawtext', () => {
    const { args } = buildRenderArgs(input());
    const graph = graphOf(args);
    expect(graph).not.toContain('drawtext');
    LAYERS.forEach((layer, offset) => {
      const at = args.indexOf(`file:${layer.path}`);
      expect(at).toBeGreaterThan(0);
      expect(args.slice(at - 7, at - 1)).toEqual(
        expect.arrayContaining(['-loop', '1', '-framerate', '30']),
      );
      // Inputs: four clips, the music, then the layers in order.
      expect(graph).toContain(`[${5 + offset}:v]format=rgba,fade=t=in`);
    });
    expect(() => buildRenderArgs(input({ layers: LAYERS.slice(1) }))).toThrow(/introTitle/);
  });

  it('renders at the size it is given, clips and cards alike', () => {
    for (const [width, height] of [
      [1080, 1920],
      [1080, 1080],
    ] as const) {
      const graph = graphOf(buildRenderArgs(input({ width, height })).args);
      expect(graph).toContain(`scale=${width}:${height}:force_original_aspect_ratio=increase`);
      expect(graph).toContain(`crop=${width}:${height}`);
      expect(graph.match(new RegExp(`s=${width}x${height}`, 'g'))).toHaveLength(2);
    }
  });

  it('chains one xfade per boundary between segments', () => {
    for (const count of [1, 2, 4, 6]) {
      const clips = Array.from({ length: count }, (_, i) => ({
        path: `/c${i}.mp4`,
        durationSeconds: 3,
      }));
      const built = buildRenderArgs(input({ clips }));
      const xfades = graphOf(built.args).match(/xfade=/g) ?? [];
      expect(built.timeline.segments).toHaveLength(count + 2);
      expect(xfades).toHaveLength(built.timeline.segments.length - 1);
    }
  });

  it('sets the exact duration and the delivery settings', () => {
    const built = buildRenderArgs(input());
    const { args } = built;
    expect(built.durationSeconds).toBe(12);
    expect(args[args.lastIndexOf('-t') + 1]).toBe('12');
    expect(args).not.toContain('-shortest');
    expect(args.join(' ')).toContain('-movflags +faststart');
    expect(args.join(' ')).toContain('-c:v libx264');
    expect(args.join(' ')).toContain('-pix_fmt yuv420p');
    expect(args.join(' ')).toContain('-r 30');
    expect(args.join(' ')).toContain('-c:a aac');
    expect(args[args.indexOf('-maxrate') + 1]).toBe('8000k');
    expect(args.at(-1)).toBe('file:/out/ad.mp4');
    const twoClips = buildRenderArgs(input({ clips: input().clips.slice(0, 2) }));
    expect(twoClips.durationSeconds).toBe(8);
    expect(twoClips.args[twoClips.args.lastIndexOf('-t') + 1]).toBe('8');
  });

  it('normalises every clip to the output frame', () => {
    const graph = graphOf(buildRenderArgs(input()).args);
    for (let i = 0; i < 4; i++) {
      expect(graph).toMatch(
        new RegExp(
          `\\[${i}:v:0\\]trim=[^;]*fps=30,scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080,setsar=1,format=yuv420p`,
        ),
      );
    }
  });

  it('puts colours into the graph as 0xRRGGBB', () => {
    const graph = graphOf(buildRenderArgs(input()).args);
    expect(graph).toContain('color=c=0x102030');
    expect(graph).toContain('0xFFCC00');
  });

  it.each([
    'red:drawtext=text=x',
    'red',
    '#fff',
    '#GGGGGG',
    '#12345678',
    '#123456;',
    ' #123456',
    '#123456\n',
    '0x123456',
  ])('rejects the colour %j', (bad) => {
    expect(() => toFfmpegColour(bad, 'Accent')).toThrow(/#RRGGBB/);
    expect(() =>
      buildRenderArgs(input({ colors: { primary: '#000000', accent: bad, text: '#FFFFFF' } })),
    ).toThrow(/#RRGGBB/);
  });

  it('mixes music when given and a silent track otherwise', () => {
    const withMusic = buildRenderArgs(input());
    expect(withMusic.args).toContain('file:/music/upbeat.m4a');
    expect(graphOf(withMusic.args)).toContain('[4:a:0]atrim=duration=12');
    expect(graphOf(withMusic.args)).toMatch(/afade=t=in.*afade=t=out:st=10\.5/);

    const silent = buildRenderArgs(input({ musicPath: null }));
    expect(graphOf(silent.args)).toContain('anullsrc=r=48000:cl=stereo,atrim=duration=12[aout]');
    expect(silent.args.filter((arg) => arg === '-i')).toHaveLength(4 + LAYERS.length);
  });

  it('rejects unknown presets', () => {
    expect(() => buildRenderArgs(input({ encoder: { preset: 'slow; rm' as never } }))).toThrow(
      /preset/,
    );
  });
});

describe('escapeFilterValue', () => {
  it('leaves ordinary paths alone', () => {
    expect(escapeFilterValue('/tmp/render-x1/lower-third.txt')).toBe(
      '/tmp/render-x1/lower-third.txt',
    );
  });

  it('refuses outer whitespace the parsers would drop', () => {
    expect(() => escapeFilterValue(' /tmp/x')).toThrow();
  });
});
