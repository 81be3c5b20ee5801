import { describe, expect, it } from 'vitest';
import { buildVideoGraph, graphText, inputArgs, toFfmpegColour, videoEncoderArgs } from './args';
import type { RenderArgsInput } from './args';
import { assembleArgs } from './parts-args';
import { escapeFilterValue } from './filter-values';
import { LAYER_NAMES } from '../../core/render/text-plan';

const LAYERS = LAYER_NAMES.map((name) => ({
  name,
  path: `/tmp/render-abc/text-${name}.png`,
  width: 400,
  height: 120,
}));

function input(overrides: Partial<RenderArgsInput> = {}): Omit<RenderArgsInput, 'outputPath'> {
  return {
    clips: [3, 3, 3, 3].map((durationSeconds, i) => ({
      path: `/clips/c${i}.mp4`,
      durationSeconds,
    })),
    layers: LAYERS,
    colors: { primary: '#102030', accent: '#ffcc00', text: '#FFFFFF' },
    audioPath: '/audio/sound.wav',
    ...overrides,
  };
}

/** The `-filter_complex` text of the ad's video. */
const graphOf = (overrides: Partial<RenderArgsInput> = {}) =>
  graphText(buildVideoGraph(input(overrides)).chains);

/** How the parts are joined with the sound into the MP4 (parts-args.ts). */
const assembled = (overrides: Partial<RenderArgsInput> = {}) => {
  const made = input(overrides);
  return assembleArgs({
    listPath: '/w/parts.ffconcat',
    audioPath: made.audioPath,
    graph: buildVideoGraph(made),
    outputPath: '/out/ad.mp4',
  });
};

describe('buildVideoGraph', () => {
  it('overlays every drawn text layer as one still repeated in the graph, with no drawtext', () => {
    const args = inputArgs(buildVideoGraph(input()));
    const graph = graphOf();
    expect(graph).not.toContain('drawtext');
    expect(args).not.toContain('-loop');
    LAYERS.forEach((layer, offset) => {
      const at = args.indexOf(`file:${layer.path}`);
      expect(args[at - 1]).toBe('-i');
      // Inputs: four clips, the sound, then the layers in order; decoded once, repeated in memory.
      expect(graph).toContain(`[${5 + offset}:v]format=yuva420p,loop=loop=-1:size=1`);
    });
    expect(graph).not.toMatch(/format=rgba|format=auto/);
    expect(() => buildVideoGraph(input({ layers: LAYERS.slice(1) }))).toThrow(/introTitle/);
  });

  it('renders at the size it is given, clips and cards alike', () => {
    for (const [width, height] of [
      [1080, 1920],
      [1080, 1080],
    ] as const) {
      const graph = graphOf({ width, height });
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
      const built = buildVideoGraph(input({ clips }));
      const graph = graphText(built.chains);
      const xfades = graph.match(/xfade=/g) ?? [];
      expect(built.timeline.segments).toHaveLength(count + 2);
      expect(xfades).toHaveLength(built.timeline.segments.length - 1);
      // Each transition blends only the fading frames: both of its inputs start at 0.
      expect(graph).not.toMatch(/xfade=[^;]*offset=[1-9]/);
      expect(graph).toMatch(/concat=n=\d+:v=1:a=0\[joined\]/);
    }
  });

  it('sets the exact duration and the delivery settings', () => {
    const built = buildVideoGraph(input());
    expect(built.durationSeconds).toBe(12);
    expect(built.totalFrames).toBe(360);
    const video = videoEncoderArgs(built).join(' ');
    expect(video).toContain('-c:v libx264');
    expect(video).toContain('-pix_fmt yuv420p');
    expect(video).toContain('-r 30');
    expect(video).toContain('-maxrate 8000k');
    const args = assembled();
    expect(args[args.lastIndexOf('-t') + 1]).toBe('12');
    expect(args).not.toContain('-shortest');
    expect(args.join(' ')).toContain('-movflags +faststart');
    expect(args.join(' ')).toContain('-c:v copy');
    expect(args.join(' ')).toContain('-c:a aac');
    expect(args.at(-1)).toBe('file:/out/ad.mp4');
    expect(buildVideoGraph(input({ clips: input().clips.slice(0, 2) })).durationSeconds).toBe(8);
    const twoClips = assembled({ clips: input().clips.slice(0, 2) });
    expect(twoClips[twoClips.lastIndexOf('-t') + 1]).toBe('8');
  });

  it('normalises every clip to the output frame', () => {
    const graph = graphOf();
    for (let i = 0; i < 4; i++) {
      expect(graph).toMatch(
        new RegExp(
          `\\[${i}:v:0\\]trim=[^;]*fps=30,scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080,setsar=1,format=yuv420p`,
        ),
      );
    }
  });

  it('puts colours into the graph as 0xRRGGBB', () => {
    const graph = graphOf();
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
      buildVideoGraph(input({ colors: { primary: '#000000', accent: bad, text: '#FFFFFF' } })),
    ).toThrow(/#RRGGBB/);
  });

  it('maps the mixed sound when given, and a silent track otherwise', () => {
    const withSound = assembled();
    expect(withSound).toContain('file:/audio/sound.wav');
    expect(withSound.join(' ')).toContain('-map 1:a:0');
    // Loudness is set when the sound is mixed (mix.ts), not guessed in the video graph.
    expect(graphOf()).not.toContain('loudnorm');

    const silent = assembled({ audioPath: null });
    expect(silent[silent.indexOf('-filter_complex') + 1]).toBe(
      'anullsrc=r=48000:cl=stereo,atrim=duration=12[aout]',
    );
    expect(silent.join(' ')).toContain('-map [aout]');
    // The video graph of a silent ad reads no sound: clips and layers only.
    expect(buildVideoGraph(input({ audioPath: null })).inputs).toHaveLength(4 + LAYERS.length);
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
    const args = inputArgs(buildVideoGraph(input({ captions })));
    const graph = graphOf({ captions });
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
    expect(() => buildVideoGraph(input({ encoder: { preset: 'slow; rm' as never } }))).toThrow(
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
