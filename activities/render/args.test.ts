import { describe, expect, it } from 'vitest';
import { buildRenderArgs, toFfmpegColour } from './args';
import type { RenderArgsInput } from './args';
import { escapeFilterValue } from './filter-values';

const hostileName = `Zap'Pro:drawtext=text=PWNED[x];movie=/etc/passwd`;
const hostileCta = `It's 50% off: "now"\\\n%{pts} $(rm -rf /)`;
const hostileTagline = `tag'line, with; [brackets]`;

function input(overrides: Partial<RenderArgsInput> = {}): RenderArgsInput {
  return {
    clips: [3, 3, 3, 3].map((durationSeconds, i) => ({
      path: `/clips/c${i}.mp4`,
      durationSeconds,
    })),
    productName: hostileName,
    callToAction: hostileCta,
    tagline: hostileTagline,
    colors: { primary: '#102030', accent: '#ffcc00', text: '#FFFFFF' },
    musicPath: '/music/upbeat.m4a',
    fonts: { regular: '/fonts/Regular.ttf', bold: '/fonts/Bold.ttf' },
    workDir: '/tmp/render-abc',
    outputPath: '/out/ad.mp4',
    ...overrides,
  };
}

const graphOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1] ?? '';

describe('buildRenderArgs', () => {
  it('keeps every piece of user text out of the arguments', () => {
    const { args, textFiles } = buildRenderArgs(input());
    const joined = args.join('\n');
    for (const text of [hostileName, hostileCta, hostileTagline, 'PWNED', '50%', 'rm -rf', 'Zap']) {
      expect(joined).not.toContain(text);
    }
    expect(textFiles.map((file) => file.content)).toEqual([
      hostileName,
      `It's 50% off: "now"\\\n%{pts} $(rm -rf /)`,
      hostileTagline,
    ]);
    for (const file of textFiles) {
      expect(file.path.startsWith('/tmp/render-abc/')).toBe(true);
      expect(graphOf(args)).toContain(`textfile=${escapeFilterValue(file.path)}:`);
    }
    // Literal rendering: drawtext must not interpret % or \ in the files.
    const drawtexts = graphOf(args).match(/drawtext=/g) ?? [];
    const literal = graphOf(args).match(/expansion=none/g) ?? [];
    expect(drawtexts.length).toBe(4);
    expect(literal.length).toBe(drawtexts.length);
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
    expect(args[args.indexOf('-t') + 1]).toBe('12');
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
    expect(twoClips.args[twoClips.args.indexOf('-t') + 1]).toBe('8');
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
    expect(graph).toContain('fontcolor=0xFFFFFF');
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
    expect(silent.args.filter((arg) => arg === '-i')).toHaveLength(4);
  });

  it('falls back to the product name for the lower third', () => {
    const { textFiles } = buildRenderArgs(input({ tagline: '  ' }));
    expect(textFiles[2]?.content).toBe(hostileName);
  });

  it('rejects empty text and unknown presets', () => {
    expect(() => buildRenderArgs(input({ productName: ' \n\t ' }))).toThrow(/empty/);
    expect(() => buildRenderArgs(input({ encoder: { preset: 'slow; rm' as never } }))).toThrow(
      /preset/,
    );
  });

  it('escapes paths for both levels of filter parsing', () => {
    const built = buildRenderArgs(input({ workDir: `/tmp/it's:a,dir[1];x\\y` }));
    const graph = graphOf(built.args);
    expect(graph).toContain(
      `textfile=/tmp/it\\\\\\'s\\\\:a\\,dir\\[1\\]\\;x\\\\\\\\y/product-name.txt:`,
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
