import { describe, expect, it } from 'vitest';
import { scriptFit, splitPhrases } from '../../../core/voice-script';
import { writeVoiceover } from './voiceover';

const product = {
  name: 'tennis shoes',
  kind: 'shoe',
  colourName: 'pink',
  colourHex: '#ff69b4',
  material: 'mesh',
};

describe('the rule-based voiceover', () => {
  it.each([8, 10, 15, 20, 30])('fits a %i s ad, hook first and call to action last', (seconds) => {
    const { script, language } = writeVoiceover({
      product,
      style: { mood: 'playful and confident' },
      roles: ['hook', 'reveal', 'feature', 'lifestyle', 'call_to_action'],
      durationSeconds: seconds,
    });
    expect(language).toBe('en');
    const fit = scriptFit(script, seconds, 'en');
    expect(fit.fits).toBe(true);
    expect(fit.hookInTime).toBe(true);
    expect(splitPhrases(script, 'en').at(-1)).toMatch(
      /^(Shop now|Get yours today|Find yours today)\.$/,
    );
  });

  it('says more in a longer ad, from the product, its material and the beats', () => {
    const write = (durationSeconds: number) =>
      writeVoiceover({
        product,
        style: { mood: 'playful and confident' },
        roles: ['hook', 'reveal', 'lifestyle', 'call_to_action'],
        durationSeconds,
        seed: 'fixed',
      }).script;
    expect(write(30).length).toBeGreaterThan(write(8).length);
    expect(write(10)).toMatch(/Mesh, made to last\./);
    expect(write(10)).toMatch(/From the court to the street\./);
    expect(write(10)).toBe(write(10));
  });
});
