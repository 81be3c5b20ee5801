import type { BrowserContext, Page } from 'playwright-core';

/**
 * Watches every progress bar in every page of a browser context, at each change the page makes
 * (a MutationObserver, so nothing between samples is missed), and across reloads (an init
 * script). A bar is one element with one label: while it stays on the page under that label,
 * its value must never go down. Also checks the count of jobs done against the tiles: a step
 * line "k of n done" must count exactly the tiles shown done (a picture, or a bar at 100 %).
 */
export interface BarLog {
  /** Every value each bar showed, by "label #n". */
  series: Map<string, number[]>;
  /** Lines "k of n done" that disagreed with the tiles. */
  miscounts: string[];
  /** Every step line shown (label and details). */
  lines: Set<string>;
}

/** Runs in each page: reports every bar's value at each change, and "k of n done" lines. */
const WATCH_BARS = `(() => {
  const ids = new WeakMap();
  let next = 0;
  const page = Math.random().toString(36).slice(2, 8);
  const last = new Map();
  const check = () => {
    for (const bar of document.querySelectorAll('[role="progressbar"]')) {
      if (!ids.has(bar)) ids.set(bar, next++);
      const key = bar.getAttribute('aria-label') + ' #' + page + '-' + ids.get(bar);
      const value = Number(bar.getAttribute('aria-valuenow'));
      if (last.get(key) !== value) {
        last.set(key, value);
        window.__barSeen(key, value);
      }
    }
    for (const line of document.querySelectorAll('[data-testid="step-progress-text"]')) {
      const text = line.textContent || '';
      window.__barLine(text);
      const match = /(\\d+) of (\\d+) done/.exec(text);
      const panel = line.closest('section');
      if (!match || !panel) continue;
      const done = [...panel.querySelectorAll('figure.tile')].filter(
        (t) =>
          t.querySelector('img, video') !== null ||
          t.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '100',
      ).length;
      if (Number(match[1]) !== done) window.__barMiscount(text + ' (tiles done: ' + done + ')');
    }
  };
  const start = () =>
    new MutationObserver(check).observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-valuenow', 'aria-label'],
    });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
})();`;

export async function watchBars(context: BrowserContext): Promise<BarLog> {
  const log: BarLog = { series: new Map(), miscounts: [], lines: new Set() };
  await context.exposeBinding('__barSeen', (_source, key: string, value: number) => {
    log.series.set(key, [...(log.series.get(key) ?? []), value]);
  });
  await context.exposeBinding('__barMiscount', (_source, line: string) => {
    log.miscounts.push(line);
  });
  await context.exposeBinding('__barLine', (_source, line: string) => {
    log.lines.add(line);
  });
  await context.addInitScript({ content: WATCH_BARS });
  return log;
}

/** The bars whose value went down while they stayed on the page under one label. */
export function barsThatWentBack(log: BarLog): string[] {
  const back: string[] = [];
  for (const [key, values] of log.series) {
    for (let i = 1; i < values.length; i++)
      if (values[i]! < values[i - 1]!) back.push(`${key}: ${values.join(' → ')}`);
  }
  return back;
}

/** A finger drag from one point to another (Chromium turns it into touch pointer events). */
export async function touchDrag(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  steps = 8,
) {
  const cdp = await page.context().newCDPSession(page);
  const point = (x: number, y: number) => [{ x: Math.round(x), y: Math.round(y), id: 1 }];
  await cdp.send('Input.dispatchTouchEvent', {
    type: 'touchStart',
    touchPoints: point(from.x, from.y),
  });
  for (let i = 1; i <= steps; i++) {
    const x = from.x + ((to.x - from.x) * i) / steps;
    const y = from.y + ((to.y - from.y) * i) / steps;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(x, y) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** Whether the element is within the page's viewport (at least its top part). */
export function inView(page: Page, selector: string) {
  return page.evaluate<boolean>(
    `(() => {
      const el = document.querySelector(${JSON.stringify(selector)});
      if (!el) return false;
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.top < window.innerHeight && box.bottom > 0;
    })()`,
  );
}
