import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Helpers of the browser suite: screenshots, accessibility checks, reading the API as the page. */

const root = resolve(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(root, 'test-results', 'screenshots');

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/** Saves a full-page screenshot of the step as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * Runs axe-core in the page (its source evaluated over the DevTools protocol, which the page's
 * CSP does not govern) and fails on any serious or critical violation, naming each.
 */
export async function expectAccessible(page: Page, step: string) {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axe.source);
  const violations = (await page.evaluate(async () => {
    const inPage = globalThis as unknown as { axe: typeof axe; document: axe.ElementContext };
    const result = await inPage.axe.run(inPage.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  })) as AxeViolation[];
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    );
  expect(serious, `accessibility of ${step}`).toEqual([]);
}

interface InPageElement {
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
}

/** One attribute of every element the locator finds, in page order. */
/** One step of a journey: its screenshot, and its accessibility check. */
export async function checkStep(page: Page, name: string) {
  await screenshot(page, name);
  await expectAccessible(page, name);
}

export function attributesOf(locator: Locator, name: string) {
  return locator.evaluateAll(
    (elements, attribute) =>
      elements.map((e) => (e as unknown as InPageElement).getAttribute(attribute)),
    name,
  );
}

/** Marks each element found with data-mark="<index>", to tell later whether it is the same one. */
export function markEach(locator: Locator) {
  return locator.evaluateAll((elements) =>
    elements.forEach((e, i) =>
      (e as unknown as InPageElement).setAttribute('data-mark', String(i)),
    ),
  );
}

/** The session as the signed-in page reads it. */
export function readSession(page: Page, id: string) {
  return page.evaluate(async (sessionId) => {
    const response = await fetch(`/api/sessions/${sessionId}`);
    return (await response.json()) as {
      stage: string;
      images: Array<{ id: string; status: string; prompt?: string; storageKey?: string }>;
      clips: Array<{ id: string; status: string; storageKey?: string }>;
      approvedClipIds: string[];
      urls: Record<string, string>;
      posterUrl?: string;
      lastError?: { stage: string };
    };
  }, id);
}

/** True when nothing on the page is wider than the screen (no sideways scrolling). */
export async function fitsWidth(page: Page) {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}
