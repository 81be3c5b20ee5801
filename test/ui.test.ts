import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { chromiumPath } from './support/browser';
import { studioInBrowser } from './support/browser-studio';
import {
  VIEWPORTS,
  attributesOf,
  fitsWidth,
  markEach,
  readSession,
  screenshot,
  checkStep,
} from './support/ui';

/**
 * The studio in a real browser, as a new person uses it, on a desktop and on a phone: sign up,
 * the whole journey (with a new prompt for one image, drag-and-drop ordering, a failed render
 * and its retry), the mood board, a password change, sign-out, signing in again in a new browser
 * and resuming, and a cancelled session. Every step is screenshotted into
 * test-results/screenshots/ and checked with axe-core (no serious or critical violations).
 */
/** How long a polled condition may take to hold: live updates arrive within a second or two. */
const WAIT = { timeout: 30_000 };

describe.skipIf(!chromiumPath)('the studio in a browser', () => {
  const studio = studioInBrowser();
  const person = {
    name: 'Uma',
    email: `uma-${Date.now()}@example.com`,
    password: 'first password 1',
    newPassword: 'second password 2',
  };
  let sessionId = '';

  it('desktop: sign up, make an ad, recover from a failed render, sign out', async () => {
    const context = await studio.browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);

    await page.goto(`${studio.stack.web}/signup`);
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await checkStep(page, 'desktop-01-sign-up');
    await page.getByLabel('Name').fill(person.name);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: `Hello, ${person.name}` }).waitFor();
    // What is left of the per-user quotas (issue 15), before anything is started.
    await page.getByTestId('allowance').getByText('Open sessions: 0 of 10').waitFor();
    await checkStep(page, 'desktop-02-sessions-empty');

    await page.getByRole('link', { name: 'New session' }).click();
    await page.getByLabel('Product', { exact: true }).fill('Pink tennis shoes with white laces');
    await page.getByLabel('Images').fill('4');
    await page.getByTestId('quote').getByText('costs $0').waitFor();
    await checkStep(page, 'desktop-03-new-session');
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.waitForURL('**/sessions/session-*');
    sessionId = new URL(page.url()).pathname.split('/').pop()!;
    // The plan review (on by default): the style and the shots, accepted as planned.
    const review = page.getByTestId('plan-review');
    await review.waitFor({ timeout: 60_000 });
    await checkStep(page, 'desktop-03b-plan-review');
    await review.getByRole('button', { name: 'Approve the plan and make the images' }).click();

    // Images: made, then one made again from a new prompt, shown beside the old one to pick,
    // while the other pictures stay on screen (the same elements, the same links).
    await page.getByLabel('Use image 4').waitFor({ timeout: 120_000 });
    await checkStep(page, 'desktop-04-images');
    const tiles = page.getByTestId('image-tile');
    await markEach(tiles.locator('img'));
    const before = await attributesOf(tiles.locator('img'), 'src');
    await page.getByRole('button', { name: 'Regenerate image 2' }).click();
    const newPrompt = 'pink tennis shoes, seen from the side on a sunny clay court';
    await page.getByLabel('Prompt for image 2').fill(newPrompt);
    await checkStep(page, 'desktop-05-regenerate-prompt');
    await page.getByRole('button', { name: 'Make it again' }).click();
    // The variant is made beside image 2; both are offered until one is kept.
    await page
      .getByRole('button', { name: 'Keep this one (image 3)' })
      .waitFor({ timeout: 90_000 });
    await expect.poll(() => tiles.count(), WAIT).toBe(5);
    const variantSrc = await tiles.nth(2).locator('img').getAttribute('src');
    expect(before).not.toContain(variantSrc);
    await checkStep(page, 'desktop-06-variants');
    await page.getByRole('button', { name: 'Keep this one (image 3)' }).click();
    await expect.poll(() => tiles.count(), WAIT).toBe(4);
    await expect.poll(() => tiles.nth(1).locator('img').getAttribute('src'), WAIT).toBe(variantSrc);
    const remade = await readSession(page, sessionId);
    const liveImages = remade.images.filter((i) => i.status !== 'replaced');
    expect(liveImages[1]!.prompt).toBe(newPrompt);
    for (const index of [0, 2, 3]) {
      const img = tiles.nth(index).locator('img');
      expect(await img.getAttribute('data-mark')).toBe(String(index));
      expect(await img.getAttribute('src')).toBe(before[index]);
    }
    await expect
      .poll(() => page.getByTestId('announcer').textContent(), WAIT)
      .toContain('Choose your images');

    await page.getByLabel('Use image 1').check();
    await page.getByLabel('Use image 2').check();
    await page.getByLabel('Use image 3').check();
    await page.getByLabel('Describe the video').fill('Slow, premium feel with smooth moves');
    await page.getByRole('button', { name: 'Approve 3 images' }).click();

    // Clips: the plan's order, reordered by drag and drop; the ad's length follows the ticks.
    const clipList = page.getByTestId('clip-list');
    await clipList.waitFor({ timeout: 120_000 });
    const items = clipList.locator('li');
    await expect.poll(() => items.count(), WAIT).toBe(3);
    const planned = await attributesOf(items, 'data-clip-id');
    const length = page.getByTestId('ad-length');
    await length.getByText(/Your ad: \d+\.\d s/).waitFor();
    const threeClips = await length.textContent();
    await page.getByLabel('Use clip 3').uncheck();
    await page.getByRole('button', { name: 'Approve 2 clips' }).waitFor();
    expect(await length.textContent()).not.toBe(threeClips);
    await page.getByLabel('Use clip 3').check();
    await items.nth(2).dragTo(items.nth(0));
    const dragged = [planned[2], planned[0], planned[1]];
    await expect.poll(() => attributesOf(items, 'data-clip-id'), WAIT).toEqual(dragged);
    await checkStep(page, 'desktop-07-clips-ordering');
    await page.getByRole('button', { name: 'Approve 3 clips' }).click();

    // Composition; the approved order is the order shown from now on.
    await page.getByLabel('Product name').waitFor({ timeout: 60_000 });
    const approved = await readSession(page, sessionId);
    expect(approved.approvedClipIds).toEqual(dragged);
    const shown = await attributesOf(page.getByTestId('clip-grid').locator('video'), 'src');
    expect(shown).toEqual(dragged.map((id) => approved.urls[id!]));
    await page.getByLabel('Product name').fill('Court Pink');
    await page.getByLabel('Call to action').fill('Shop now');
    await checkStep(page, 'desktop-08-composition');

    // A clip the render needs goes missing from storage: the render fails, the page says so.
    const clip = approved.clips.find((c) => c.id === dragged[0])!;
    const clipFile = studio.stack.storagePath(clip.storageKey!);
    expect(existsSync(clipFile)).toBe(true);
    await rename(clipFile, `${clipFile}.away`);
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    const failure = page.getByTestId('failure');
    await failure.waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('announcer').textContent(), WAIT).toMatch(/failed/);
    await checkStep(page, 'desktop-09-failed');
    await rename(`${clipFile}.away`, clipFile);
    await failure.getByRole('button', { name: 'Retry' }).click();

    const video = page.getByTestId('final-video');
    await video.waitFor({ timeout: 180_000 });
    await expect
      .poll(() => page.getByTestId('announcer').textContent(), WAIT)
      .toContain('Your ad is ready');
    expect(await video.getAttribute('poster')).toMatch(/^\/api\/files\/sessions\/.+\.jpg\?/);
    // The planner's voiceover was on by default: the ad speaks, and its captions are offered.
    expect(await page.getByTestId('captions-srt').getAttribute('href')).toMatch(/\.srt\?/);
    await checkStep(page, 'desktop-10-final');

    // The connection notice: the API goes down (the stack restarts it) and comes back.
    const api = studio.stack.childRunning('api/main.ts');
    expect(api).toBeDefined();
    process.kill(api!, 'SIGKILL');
    await page.getByTestId('connection-lost').waitFor({ timeout: 20_000 });
    await screenshot(page, 'desktop-11-connection-lost');
    await page.getByTestId('connection-back').waitFor({ timeout: 60_000 });

    // The sessions list shows the ad's poster frame; the mood board the three chosen images.
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    const row = page.getByTestId('sessions').locator('li').first();
    expect(await row.locator('img').getAttribute('src')).toMatch(/\.jpg\?/);
    await checkStep(page, 'desktop-12-sessions');
    await page.getByRole('link', { name: 'Mood board' }).click();
    await expect.poll(() => page.getByTestId('moodboard').locator('img').count(), WAIT).toBe(3);
    await checkStep(page, 'desktop-13-mood-board');
    // Chosen mood-board images carry over to a new session's form, to start from them.
    await page.getByLabel('Use in a new session').first().check();
    await page.getByTestId('start-from-board').click();
    await expect.poll(() => page.getByTestId('from-board').locator('img').count(), WAIT).toBe(1);
    await checkStep(page, 'desktop-13b-new-from-mood-board');

    // A new password; sign-out ends this sign-in on the server, not only in this studio.browser.
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByLabel('Current password').fill(person.password);
    await page.getByLabel('New password', { exact: true }).fill(person.newPassword);
    await page.getByLabel('New password again').fill(person.newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    await checkStep(page, 'desktop-14-account');
    const token = (await context.cookies()).find((c) => c.name === 'studio_session')?.value;
    expect(token).toBeTruthy();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    const me = await fetch(`${studio.stack.web}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(401);
    await context.close();
  }, 600_000);

  it('phone: sign in again in a new browser, resume the ad, every step fits, cancel', async () => {
    expect(sessionId).not.toBe('');
    const context = await studio.browser.newContext({
      viewport: VIEWPORTS.phone,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${studio.stack.web}/`);
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Hello, ${person.name}` }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    // The title keeps a readable width on a phone, not one letter.
    const title = page.getByTestId('sessions').locator('.title').first();
    expect((await title.boundingBox())!.width).toBeGreaterThan(150);
    await checkStep(page, 'phone-01-sessions');

    // Resume the finished ad where it was left.
    await title.click();
    await page.getByTestId('final-video').waitFor();
    await page.getByTestId('stage').getByText('Your ad is ready').waitFor();
    await page.getByTestId('cost-ledger').locator('summary').click();
    await page.getByTestId('cost-ledger').locator('tbody tr').first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    expect((await page.getByRole('heading', { level: 1 }).boundingBox())!.width).toBeGreaterThan(
      150,
    );
    await checkStep(page, 'phone-02-finished-session');
    await page.getByRole('link', { name: 'Mood board' }).click();
    await expect.poll(() => page.getByTestId('moodboard').locator('img').count(), WAIT).toBe(3);
    expect(await fitsWidth(page)).toBe(true);
    await checkStep(page, 'phone-03-mood-board');

    // A new session on the phone, to its images, then cancelled.
    await page.goto(`${studio.stack.web}/sessions/new`);
    await page.getByLabel('Product', { exact: true }).fill('Matte black water bottle');
    await page.getByLabel('Images').fill('4');
    // Straight to the images, without the plan review.
    await page.getByLabel(/Review the plan first/).uncheck();
    expect(await fitsWidth(page)).toBe(true);
    await checkStep(page, 'phone-04-new-session');
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.waitForURL('**/sessions/session-*');
    await page.getByLabel('Use image 4').waitFor({ timeout: 120_000 });
    expect(await fitsWidth(page)).toBe(true);
    await checkStep(page, 'phone-05-images');
    await page.getByRole('button', { name: 'Cancel session' }).click();
    await page.getByRole('button', { name: 'Yes, cancel' }).click();
    await page.getByTestId('closed').waitFor();
    await expect.poll(() => page.getByTestId('stage').textContent(), WAIT).toContain('Cancelled');
    expect(await fitsWidth(page)).toBe(true);
    await checkStep(page, 'phone-06-cancelled');
    await context.close();
  }, 300_000);
});
