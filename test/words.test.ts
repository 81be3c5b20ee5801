import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, photoProblem } from '../core/photo-limits';
import { withFieldLabels } from '../web/src/lib/field-labels';
import { loginFor, safeNext } from '../web/src/lib/safe-next';
import { distinguishers } from '../web/src/routes/session-titles';
import { boardStart } from '../web/src/routes/sessions/new/board-start';

/** Words that fit and choices that survive (issue 16), in the pure parts the pages use. */

describe('errors name fields as the page labels them', () => {
  it('puts the label where the code name was', () => {
    expect(withFieldLabels('productPrompt: Use at least 3 characters.')).toBe(
      'Product: Use at least 3 characters.',
    );
    expect(withFieldLabels('style.lighting: Write something here.')).toBe(
      'Lighting: Write something here.',
    );
    expect(withFieldLabels('style.palette.2: Use a colour like #1a2b3c.')).toBe(
      'Palette colour 3: Use a colour like #1a2b3c.',
    );
    expect(withFieldLabels('prompts.0.prompt: Use at most 500 characters.')).toBe(
      'Prompt for shot 1: Use at most 500 characters.',
    );
    expect(withFieldLabels('colors.primary: Use a colour like #1a2b3c.')).toBe(
      'Primary colour: Use a colour like #1a2b3c.',
    );
  });

  it('never shows a code name it has no label for, and leaves plain sentences alone', () => {
    expect(withFieldLabels('internalThing: Something is off.')).toBe('Something is off.');
    expect(withFieldLabels('No image x in this session.')).toBe('No image x in this session.');
    expect(withFieldLabels('Note: the studio is busy.')).toBe('Note: the studio is busy.');
  });
});

describe('signing in again leads back to the page', () => {
  const origin = 'https://studio.example';

  it('follows a path on this site, with its query and hash', () => {
    expect(safeNext('/sessions/session-1?tab=x#clips', origin)).toBe(
      '/sessions/session-1?tab=x#clips',
    );
    expect(loginFor('/sessions/session-1')).toBe('/login?next=%2Fsessions%2Fsession-1');
    expect(safeNext(decodeURIComponent('%2Fsessions%2Fsession-1'), origin)).toBe(
      '/sessions/session-1',
    );
  });

  it('goes home for anything that could lead elsewhere or loop', () => {
    for (const next of [
      null,
      '',
      'https://evil.example/x',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/login',
      '/signup?next=/x',
    ])
      expect(safeNext(next, origin), String(next)).toBe('/');
    expect(loginFor('/')).toBe('/login');
  });
});

describe('sessions of one product in the list', () => {
  const session = (id: string, aspectRatio: string | null, createdAt: string) => ({
    id,
    title: 'Teal ceramic coffee mug',
    aspectRatio,
    createdAt,
  });

  it('are told apart by number, shape and the day they started', () => {
    const apart = distinguishers([
      session('b', '9:16', '2026-12-04T10:30:00Z'),
      session('a', '16:9', '2026-12-03T09:00:00Z'),
      { id: 'c', title: 'Red shoe', aspectRatio: '16:9', createdAt: '2026-12-04T10:00:00Z' },
    ]);
    expect(apart.get('a')).toMatch(/^#1 · 16:9 · started .*3/);
    expect(apart.get('b')).toMatch(/^#2 · 9:16 · started .*4/);
    expect(apart.get('c')).toBe('');
  });
});

describe('a photo is checked before it is sent', () => {
  it('refuses a file too large or of another type, in words', () => {
    expect(photoProblem({ size: 12 * 1024 * 1024, type: 'image/png' })).toMatch(
      /12\.0 MB.*up to 10 MB/,
    );
    expect(photoProblem({ size: 100, type: 'text/plain' })).toMatch(/not a PNG, JPEG or WebP/);
    expect(photoProblem({ size: MAX_PHOTO_BYTES, type: 'image/jpeg' })).toBe('');
  });
});

describe('a session from mood-board images', () => {
  const pick = (productPrompt: string, width: number, height: number) => ({
    productPrompt,
    width,
    height,
  });

  it('takes the one shape and the one product description the images share', () => {
    expect(boardStart([pick('teal mug', 1080, 1920), pick(' teal mug ', 1080, 1920)])).toEqual({
      shapes: ['9:16'],
      shape: '9:16',
      productPrompt: 'teal mug',
    });
  });

  it('names mixed shapes and carries no description when they differ', () => {
    expect(boardStart([pick('teal mug', 1920, 1080), pick('red shoe', 1080, 1920)])).toEqual({
      shapes: ['16:9', '9:16'],
      shape: undefined,
      productPrompt: undefined,
    });
  });
});

describe('the studio says what it makes: 8–30 s ads', () => {
  it('in package.json', async () => {
    const pkg = JSON.parse(
      await readFile(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
    ) as { description: string };
    expect(pkg.description).toContain('8-30 s');
    expect(pkg.description).not.toMatch(/8-12/);
  });
});
