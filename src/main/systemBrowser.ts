import { checkExternalUrl } from '../core/externalUrlPolicy';
import { loadOpen } from './esModules';

/**
 * Opens the system browser outside Electron (the headless command). Sign-in pages go to the
 * configured authority; everything else passes the same allowlist as the tray app.
 */
export async function openInSystemBrowser(url: string): Promise<void> {
  // The opener is an ES module; a dynamic import keeps this CommonJS build loading it lazily.
  const { default: open } = await loadOpen();
  await open(url, { wait: false });
}

export function openAllowedPage(url: string, configuredUrls: readonly string[]): Promise<void> {
  const verdict = checkExternalUrl(url, { configuredUrls });
  if (!verdict.allowed)
    return Promise.reject(new Error(`Refused to open ${url}: ${verdict.reason}`));
  return openInSystemBrowser(verdict.url);
}
