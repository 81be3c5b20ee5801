import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumPath } from './support/browser';
import { studioInBrowser } from './support/browser-studio';
import { VIEWPORTS } from './support/ui';

/**
 * People reload pages and come back to the studio in a browser that already has it cached. Every
 * page must work then too: after a reload, and on a revisit answered from a warm cache, each
 * route shows its heading and the browser reports no Content Security Policy violation (a cached
 * page given another answer's policy blocks SvelteKit's start-up script and stays blank).
 */
describe.skipIf(!chromiumPath)('pages after a reload and with a warm cache', () => {
  const studio = studioInBrowser();
  const person = {
    name: 'Rey',
    email: `rey-${Date.now()}@example.com`,
    password: 'reload password 1',
  };
  let context: BrowserContext;
  let sessionPath = '';

  /** Console messages that report a blocked script or style, collected per page. */
  function watchViolations(page: Page) {
    const violations: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (/content security policy|violates/i.test(text)) violations.push(text);
    });
    return violations;
  }

  /** Opens `path` in a new tab of `context` and waits for `heading`. */
  async function visit(context: BrowserContext, path: string, heading: string | RegExp) {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const violations = watchViolations(page);
    const statuses: number[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'document') statuses.push(r.status());
    });
    await page.goto(`${studio.stack.web}${path}`);
    await page.getByRole('heading', { name: heading }).first().waitFor();
    return { page, violations, statuses };
  }

  it('every page works after a reload and when visited again with a warm cache', async () => {
    context = await studio.browser.newContext({ viewport: VIEWPORTS.desktop });
    // Signed out: the sign-in and sign-up pages.
    const signedOut: Array<[string, string | RegExp]> = [
      ['/login', 'Sign in'],
      ['/signup', 'Create an account'],
    ];
    for (const [path, heading] of signedOut) await checkPage(context, path, heading);

    const { page } = await visit(context, '/signup', 'Create an account');
    await page.getByLabel('Name').fill(person.name);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: `Hello, ${person.name}` }).waitFor();
    await page.getByRole('link', { name: 'New session' }).click();
    await page.getByLabel('Product', { exact: true }).fill('A ceramic mug for reloads');
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.waitForURL('**/sessions/session-*');
    sessionPath = new URL(page.url()).pathname;
    await page.close();

    const signedIn: Array<[string, string | RegExp]> = [
      ['/', `Hello, ${person.name}`],
      ['/sessions/new', /new session/i],
      ['/moodboard', /mood board/i],
      ['/account', /account|password/i],
      [sessionPath, /ceramic mug/i],
    ];
    for (const [path, heading] of signedIn) await checkPage(context, path, heading);
  });

  it('follows an expired file link to a page that gets a fresh one', async () => {
    const { page } = await visit(context, sessionPath, /ceramic mug/i);
    await page
      .getByTestId('plan-review')
      .getByRole('button', { name: 'Approve the plan and make the images' })
      .click();
    const image = page.getByTestId('image-tile').first().locator('img');
    await image.waitFor({ timeout: 120_000 });
    const link = new URL((await image.getAttribute('src'))!, studio.stack.web);
    // The same file, as a page left open for hours holds it: its link has expired.
    link.searchParams.set('exp', String(Math.floor(Date.now() / 1000) - 60));
    await page.goto(link.toString());
    await page.waitForURL((url) => url.pathname.startsWith('/api/files/'));
    const fresh = new URL(page.url());
    expect(Number(fresh.searchParams.get('exp'))).toBeGreaterThan(Date.now() / 1000);
    expect(fresh.pathname).toBe(link.pathname);
    const file = await page.request.get(fresh.toString());
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toMatch(/^image\//);
    await context.close();
  });

  /** First visit, reload, then a revisit in a new tab of the same (cached) studio.browser. */
  async function checkPage(context: BrowserContext, path: string, heading: string | RegExp) {
    const first = await visit(context, path, heading);
    await first.page.reload();
    await first.page.getByRole('heading', { name: heading }).first().waitFor();
    expect(first.violations, `CSP violations on ${path} after a reload`).toEqual([]);
    await first.page.close();

    const again = await visit(context, path, heading);
    expect(again.violations, `CSP violations on ${path} with a warm cache`).toEqual([]);
    // The revisit is served by the studio (fresh, or revalidated with the page's own policy).
    expect(again.statuses.every((s) => s === 200 || s === 304)).toBe(true);
    await again.page.close();
  }
});
