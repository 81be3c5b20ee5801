import { describe, expect, it } from 'vitest';
import { toSrt, toVtt } from './caption-files';

const cues = [
  { text: 'Meet the AirRun Pro.', startSeconds: 0.25, endSeconds: 1.818 },
  { text: 'Now <50%> off & more --> today', startSeconds: 61.5, endSeconds: 63 },
];

describe('caption sidecars', () => {
  it('writes SubRip with numbered cues and comma milliseconds', () => {
    expect(toSrt(cues)).toBe(
      '1\n00:00:00,250 --> 00:00:01,818\nMeet the AirRun Pro.\n\n' +
        '2\n00:01:01,500 --> 00:01:03,000\nNow <50%> off & more → today\n',
    );
  });

  it('writes WebVTT with its header and the text escaped', () => {
    const vtt = toVtt(cues);
    expect(vtt.startsWith('WEBVTT\n\n00:00:00.250 --> 00:00:01.818\n')).toBe(true);
    expect(vtt).toContain('Now &lt;50%&gt; off &amp; more --&gt; today');
  });
});
