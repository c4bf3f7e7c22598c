import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** The system's Chromium (Debian's package); tests never download a browser of their own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless as root, and quiet: no background connections on a machine without a network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
