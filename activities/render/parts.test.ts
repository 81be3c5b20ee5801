import { describe, expect, it } from 'vitest';
import { LAYER_NAMES } from '../../core/render/text-plan';
import type { LayerName } from '../../core/render/text-plan';
import { buildVideoGraph, timelineOf } from './args';
import type { RenderArgsInput } from './args';
import type { PlacedCaption } from './captions';
import { chainsShaping, inputsOf, partSignature, partWindows } from './parts';
import type { PartWindow } from './parts';

/**
 * Where the ad is cut into parts, and which parts a change reaches. Files are stood for by their
 * paths; a file's "content" is whatever `contents` says, so a test can change one file's bytes
 * without touching its name, or move every file to another folder without changing a byte.
 */

type Input = Omit<RenderArgsInput, 'outputPath'>;

function caption(i: number, startSeconds: number, endSeconds: number): PlacedCaption {
  return {
    text: `phrase ${i}`,
    path: `caption-${i}.png`,
    x: 40,
    y: 900,
    width: 500,
    height: 90,
    startSeconds,
    endSeconds,
    overlaps: [],
  };
}

function composition(folder = '/tmp/render-a', overrides: Partial<Input> = {}): Input {
  return {
    clips: [3, 3, 3, 3].map((durationSeconds, i) => ({
      path: `${folder}/clip-${i}.mp4`,
      durationSeconds,
    })),
    layers: LAYER_NAMES.map((name) => ({
      name,
      path: `${folder}/text-${name}.png`,
      width: 400,
      height: 120,
    })),
    colors: { primary: '#102030', accent: '#ffcc00', text: '#FFFFFF' },
    audioPath: `${folder}/sound.wav`,
    captions: [caption(0, 0.5, 2), caption(1, 5.2, 6.4), caption(2, 9, 10.5)].map((c) => ({
      ...c,
      path: `${folder}/${c.path}`,
    })),
    ...overrides,
  };
}

/** A file's bytes, by its name without the folder; `changed` names files whose bytes differ. */
function signatures(input: Input, changed: readonly string[] = []) {
  const graph = buildVideoGraph(input);
  const hashes = graph.inputs.map((path) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return `sha-of-${name}${changed.includes(name) ? '-edited' : ''}`;
  });
  return partWindows(graph.timeline).map((window) => partSignature(graph, window, hashes));
}

/** Which parts' signatures differ between two lists. */
const differing = (a: string[], b: string[]) => a.map((signature, i) => signature !== b[i]);

const overlaps = (part: PartWindow, start: number, end: number, fps = 30) =>
  part.firstFrame < end * fps && part.endFrame > start * fps;

describe('partWindows', () => {
  it.each([1, 2, 4, 6])(
    'cuts %i clips in their middles, away from every crossfade, into frames that add up',
    (count) => {
      const timeline = timelineOf({
        clips: Array.from({ length: count }, () => ({ path: 'x', durationSeconds: 3 })),
        fps: 30,
      });
      const parts = partWindows(timeline);
      expect(parts).toHaveLength(count + 1);
      expect(parts[0]!.firstFrame).toBe(0);
      expect(parts.at(-1)!.endFrame).toBe(Math.round(timeline.totalSeconds * 30));
      const fade = Math.round(timeline.crossfadeSeconds * 30);
      const clips = timeline.segments.filter((segment) => segment.kind === 'clip');
      parts.forEach((part, i) => {
        expect(Number.isInteger(part.firstFrame) && Number.isInteger(part.endFrame)).toBe(true);
        expect(part.endFrame).toBeGreaterThan(part.firstFrame);
        if (i > 0) expect(part.firstFrame).toBe(parts[i - 1]!.endFrame);
        if (i === 0) return;
        // Each cut lies inside its clip's own frames, clear of the fades in and out.
        const clip = clips[i - 1]!;
        const start = Math.round(clip.startSeconds * 30);
        const end = start + Math.round(clip.shownSeconds * 30);
        expect(part.firstFrame).toBeGreaterThanOrEqual(start + fade);
        expect(part.firstFrame).toBeLessThanOrEqual(end - fade);
      });
    },
  );
});

describe('partSignature', () => {
  it('is the same for the same composition in another folder: file names do not count', () => {
    expect(signatures(composition('/tmp/render-b'))).toEqual(signatures(composition()));
    const graph = buildVideoGraph(composition());
    for (const chain of graph.chains) expect(chain.text).not.toContain('/tmp/render-a');
    expect(new Set(signatures(composition())).size).toBe(5);
  });

  it('changes only for the last part when only the call to action changes', () => {
    const before = signatures(composition());
    const after = signatures(composition(), ['text-outroCta.png']);
    expect(differing(before, after)).toEqual([false, false, false, false, true]);
  });

  it('changes for every part when the tagline changes: the lower third spans the clips', () => {
    const before = signatures(composition());
    expect(differing(before, signatures(composition(), ['text-lowerThird.png']))).toEqual(
      before.map(() => true),
    );
  });

  it('changes only for the parts a caption shows in when its text changes', () => {
    const graph = buildVideoGraph(composition());
    const parts = partWindows(graph.timeline);
    const before = signatures(composition());
    composition().captions!.forEach((c, i) => {
      const after = signatures(composition(), [`caption-${i}.png`]);
      // Expected from the caption's own time, widened by a crossfade and a frame either side.
      const margin = graph.timeline.crossfadeSeconds + 1 / 30;
      const reached = parts.map((part) =>
        overlaps(part, c.startSeconds - margin, c.endSeconds + margin),
      );
      expect(differing(before, after), `caption ${i}`).toEqual(reached);
      expect(reached.filter(Boolean).length).toBeLessThan(parts.length);
    });
  });

  it('changes only for the parts around a clip whose file changes', () => {
    const before = signatures(composition());
    expect(differing(before, signatures(composition(), ['clip-1.mp4']))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
    // The sound is not part of any picture.
    expect(signatures(composition(), ['sound.wav'])).toEqual(before);
  });

  it('changes for every part with the encoder settings, the size or the timeline', () => {
    const before = signatures(composition());
    for (const changed of [
      composition('/tmp/render-a', { encoder: { crf: 20 } }),
      composition('/tmp/render-a', { encoder: { preset: 'faster' } }),
      composition('/tmp/render-a', { encoder: { maxrateKbps: 6000 } }),
      composition('/tmp/render-a', { width: 1280, height: 720 }),
      composition('/tmp/render-a', { durationSeconds: 11 }),
    ]) {
      const after = signatures(changed);
      expect(after).toHaveLength(before.length);
      expect(differing(before, after)).toEqual(before.map(() => true));
    }
  });

  it('changes for every part with the FFmpeg build that encodes them', () => {
    const graph = buildVideoGraph(composition());
    const hashes = graph.inputs.map((_, i) => `hash-${i}`);
    for (const window of partWindows(graph.timeline)) {
      expect(partSignature(graph, window, hashes, 'ffmpeg version 7.1.1')).not.toBe(
        partSignature(graph, window, hashes, 'ffmpeg version 7.1.2'),
      );
    }
  });

  it('refuses to sign a part without the content of a file it reads', () => {
    const graph = buildVideoGraph(composition());
    const [first] = partWindows(graph.timeline);
    expect(() => partSignature(graph, first!, [])).toThrow(/content hash/);
  });
});

describe('chainsShaping', () => {
  it('keeps the join for every part, and the cards only for the parts they show in', () => {
    const graph = buildVideoGraph(composition());
    const parts = partWindows(graph.timeline);
    const layerInput = (name: LayerName) =>
      graph.inputs.findIndex((p) => p.endsWith(`${name}.png`));
    parts.forEach((part, i) => {
      const chains = chainsShaping(graph, part);
      expect(chains.some((chain) => chain.window === null)).toBe(true);
      expect(inputsOf(chains).includes(layerInput('introTitle'))).toBe(i === 0);
      expect(inputsOf(chains).includes(layerInput('outroCta'))).toBe(i === parts.length - 1);
    });
  });
});
