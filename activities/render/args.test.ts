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
    audioPath: '/audio/sound.wav',
    outputPath: '/out/ad.mp4',
    ...overrides,
  };
}

const graphOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1] ?? '';

describe('buildRenderArgs', () => {
  it('overlays every drawn text layer as one still repeated in the graph, with no drawtext', () => {
    const { args } = buildRenderArgs(input());
    const graph = graphOf(args);
    expect(graph).not.toContain('drawtext');
    expect(args).not.toContain('-loop');
    LAYERS.forEach((layer, offset) => {
      const at = args.indexOf(`file:${layer.path}`);
      expect(args[at - 1]).toBe('-i');
      // Inputs: four clips, the sound, then the layers in order; decoded once, repeated in memory.
      expect(graph).toContain(`[${5 + offset}:v]format=yuva420p,loop=loop=-1:size=1`);
    });
    expect(graph).not.toMatch(/format=rgba|format=auto/);
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

  it('blends one short xfade per boundary between segments, and concatenates the rest', () => {
    for (const count of [1, 2, 4, 6]) {
      const clips = Array.from({ length: count }, (_, i) => ({
        path: `/c${i}.mp4`,
        durationSeconds: 3,
      }));
      const built = buildRenderArgs(input({ clips }));
      const xfades = graphOf(built.args).match(/xfade=/g) ?? [];
      expect(built.timeline.segments).toHaveLength(count + 2);
      expect(xfades).toHaveLength(built.timeline.segments.length - 1);
      // Each transition blends only the fading frames: both of its inputs start at 0.
      expect(graphOf(built.args)).not.toMatch(/xfade=[^;]*offset=[1-9]/);
      expect(graphOf(built.args)).toMatch(/concat=n=\d+:v=1:a=0\[joined\]/);
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

  it('maps the mixed sound when given, and a silent track otherwise', () => {
    const withSound = buildRenderArgs(input());
    expect(withSound.args).toContain('file:/audio/sound.wav');
    expect(withSound.args.join(' ')).toContain('-map 4:a:0');
    // Loudness is set when the sound is mixed (mix.ts), not guessed in the video graph.
    expect(graphOf(withSound.args)).not.toContain('loudnorm');

    const silent = buildRenderArgs(input({ audioPath: null }));
    expect(graphOf(silent.args)).toContain('anullsrc=r=48000:cl=stereo,atrim=duration=12[aout]');
    expect(silent.args.filter((arg) => arg === '-i')).toHaveLength(4 + LAYERS.length);
  });

  it('overlays each caption while its phrase is heard, after the other text', () => {
    const captions = [
      { text: 'One', start: 0.25, end: 1.5, x: 600, y: 900 },
      { text: 'Two', start: 2, end: 3.2, x: 640, y: 60 },
    ].map((c, i) => ({
      text: c.text,
      path: `/tmp/render-abc/caption-${i}.png`,
      x: c.x,
      y: c.y,
      width: 500,
      height: 90,
      startSeconds: c.start,
      endSeconds: c.end,
      overlaps: [],
    }));
    const { args } = buildRenderArgs(input({ captions }));
    const graph = graphOf(args);
    // Inputs: four clips, the sound, four layers, then the captions.
    expect(args[args.indexOf('file:/tmp/render-abc/caption-0.png') - 1]).toBe('-i');
    expect(graph).toContain(
      "[lowered][capin0]overlay=x=600:y=900:format=yuv420:enable='between(t,0.25,1.5)'[cap0]",
    );
    expect(graph).toContain(
      "[cap0][capin1]overlay=x=640:y=60:format=yuv420:enable='between(t,2,3.2)'[vout]",
    );
    expect(graph).toContain('[9:v]format=yuva420p[capin0]');
    expect(graph).not.toContain('One');
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
