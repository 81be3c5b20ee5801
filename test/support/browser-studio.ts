import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import { startStack } from './stack';

/**
 * The studio as `npm start` runs it, and a browser, for the tests of one `describe` block: both
 * start before its first test and stop after its last. Read them as `studio.stack` and
 * `studio.browser` inside the tests.
 */
export function studioInBrowser() {
  const studio = {} as { stack: Awaited<ReturnType<typeof startStack>>; browser: Browser };
  beforeAll(async () => {
    studio.stack = await startStack();
    studio.browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await studio.browser?.close();
    await studio.stack?.stop();
  });
  return studio;
}
