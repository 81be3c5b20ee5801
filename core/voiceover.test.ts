import { describe, expect, it } from 'vitest';
import { resolveVoiceover, voiceoverProblem } from './voiceover';

describe('a composition’s voiceover', () => {
  it('takes the language from the script and the best voice for it when none is chosen', () => {
    expect(
      resolveVoiceover({ enabled: true, script: 'Die Zukunft ist da. Jetzt kaufen.' }, 'local'),
    ).toEqual({
      enabled: true,
      script: 'Die Zukunft ist da. Jetzt kaufen.',
      voiceId: 'local-de',
      language: 'de',
    });
    expect(
      resolveVoiceover({ enabled: true, script: 'Shop now.', voiceId: 'local-en-rms' }, 'local'),
    ).toMatchObject({ voiceId: 'local-en-rms', language: 'en' });
    expect(resolveVoiceover(undefined, 'local')).toBeUndefined();
  });

  it('explains what cannot be spoken: too long, wrong voice, paid voice in a free session', () => {
    const choice = (script: string, voiceId: string, language = 'en' as const) => ({
      enabled: true,
      script,
      voiceId,
      language,
    });
    expect(
      voiceoverProblem(choice('Meet it. Shop now.', 'local-en-slt'), 'local', 10),
    ).toBeUndefined();
    expect(
      voiceoverProblem(choice(Array(60).fill('go').join(' '), 'local-en-slt'), 'local', 10),
    ).toMatch(/60 words; a 10 s ad has room for about \d+/);
    expect(voiceoverProblem(choice('Shop now.', 'local-de'), 'local', 10)).toMatch(
      /does not speak English/,
    );
    expect(voiceoverProblem(choice('Shop now.', 'replicate-wise-woman'), 'local', 10)).toMatch(
      /not offered to local sessions/,
    );
    expect(
      voiceoverProblem({ ...choice('x', 'local-en-slt'), enabled: false }, 'local', 10),
    ).toBeUndefined();
  });
});
