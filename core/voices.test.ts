import { describe, expect, it } from 'vitest';
import { VOICES, defaultVoice, detectLanguage, speaks, voiceById, voicesFor } from './voices';

describe('the language of a script', () => {
  it.each([
    ['Meet the new AirRun Pro. Shop now.', 'en'],
    ['Die neuen Laufschuhe sind da. Jetzt kaufen!', 'de'],
    ['Las nuevas zapatillas ya están aquí. Cómpralas ahora.', 'es'],
    ['Les nouvelles chaussures sont là. Achetez maintenant.', 'fr'],
    ['Le nuove scarpe sono qui. Compra ora.', 'it'],
    ['Os novos tênis chegaram. Compre agora.', 'pt'],
    ['De nieuwe schoenen zijn er. Koop nu.', 'nl'],
    ['超轻跑鞋，现在购买。', 'zh'],
    ['新しいシューズ、今すぐ購入。', 'ja'],
    ['새로운 신발, 지금 구매하세요.', 'ko'],
    ['اشتر الآن واحصل على شحن مجاني', 'ar'],
    ['Новые кроссовки уже здесь.', 'ru'],
    ['Нові кросівки вже тут, купуйте їх.', 'uk'],
    ['Τα νέα παπούτσια είναι εδώ.', 'el'],
  ])('%s → %s', (script, language) => {
    expect(detectLanguage(script)).toBe(language);
  });
});

describe('voices', () => {
  it('speak English offline with Festival and Flite, and every other language with eSpeak NG', () => {
    const english = voicesFor('local').filter((v) => speaks(v, 'en'));
    expect(english.map((v) => v.engine)).toEqual(['festival', 'flite', 'flite']);
    for (const language of ['de', 'es', 'fr', 'zh', 'ar'] as const) {
      expect(defaultVoice(language, 'local').engine).toBe('espeak-ng');
    }
    expect(voicesFor('local').every((v) => v.provider === 'local')).toBe(true);
  });

  it('give a Replicate session its paid voice by default, and offline ones too', () => {
    expect(defaultVoice('de', 'replicate')).toMatchObject({
      engine: 'minimax',
      provider: 'replicate',
    });
    expect(voicesFor('replicate')).toEqual(VOICES);
    expect(voiceById('local-en-slt')?.engineVoice).toBe('slt');
  });
});
