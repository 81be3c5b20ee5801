import { describe, expect, it } from 'vitest';
import { buildMixArgs, buildNormaliseArgs } from './mix';

const graphOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1] ?? '';

describe('the mix', () => {
  it('ducks the music under the voice: the voice drives the compressor on the music', () => {
    const args = buildMixArgs(
      { totalSeconds: 10, musicPath: '/a/music.m4a', voicePath: '/a/voice.flac' },
      { musicGainDb: -3.5, voiceGainDb: 2 },
      '/a/premix.wav',
    );
    const graph = graphOf(args);
    expect(args.slice(0, 5)).toEqual(['-y', '-i', 'file:/a/music.m4a', '-i', 'file:/a/voice.flac']);
    expect(graph).toContain('[0:a:0]atrim=duration=10');
    expect(graph).toContain('volume=-3.50dB');
    expect(graph).toContain('[1:a:0]aresample=48000');
    expect(graph).toMatch(/asplit=3\[v0\]\[sc\]\[v1\]/);
    expect(graph).toContain('[bed][sc]sidechaincompress=');
    expect(graph).toContain('[duck][v0]amix=inputs=2:duration=first:normalize=0[premix]');
    // Measured on the way: the mix (with its true peak), each stem, and the bed before ducking.
    for (const stem of ['mix=peak=true', 'voice,', 'music,', 'bed,']) {
      expect(graph).toContain(`ebur128@${stem}`);
    }
    expect(args.at(-1)).toBe('file:/a/premix.wav');
  });

  it('passes a lone track through, and refuses a mix of nothing', () => {
    const music = graphOf(
      buildMixArgs(
        { totalSeconds: 8, musicPath: '/a/m.m4a', voicePath: null },
        { musicGainDb: 0, voiceGainDb: 0 },
        '/a/p.wav',
      ),
    );
    expect(music).not.toContain('sidechaincompress');
    expect(music).toMatch(/afade=t=out:st=6\.5:d=1\.5\[premix\]/);
    expect(() =>
      buildMixArgs(
        { totalSeconds: 8, musicPath: null, voicePath: null },
        { musicGainDb: 0, voiceGainDb: 0 },
        '/a/p.wav',
      ),
    ).toThrow();
  });

  it('limits (oversampled, without levelling) only when the gain would push the peaks over', () => {
    const plain = graphOf(buildNormaliseArgs('/a/p.wav', '/a/o.wav', 4.25, false, 10));
    expect(plain).toMatch(/^\[0:a\]volume=4\.25dB,asplit/);
    expect(plain).not.toContain('alimiter');
    const limited = graphOf(buildNormaliseArgs('/a/p.wav', '/a/o.wav', 4.25, true, 10));
    expect(limited).toContain('aresample=192000,alimiter=limit=0.7943:attack=1:release=60:level=0');
  });
});
