import { chromium, type Browser } from 'playwright-core';
import { requiredInCi } from './required';

/** Debian's Chromium, driven by playwright-core (its own browser download cannot run here). */
export const chromiumPath = requiredInCi('Chromium (CHROMIUM_PATH)', process.env.CHROMIUM_PATH);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
