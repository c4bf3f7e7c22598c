/**
 * The only way the tray app opens a web page: every address is checked by the allowlist first,
 * and a refused one is logged (a forged address is a sign of tampering worth seeing in the log).
 */
import { checkExternalUrl } from '../../core/externalUrlPolicy';
import type { Logger } from '../../core/ports';
import type { ShellPort } from './desktopPorts';

export type ExternalOpener = (url: unknown) => Promise<boolean>;

export function createExternalOpener(deps: {
  shell: ShellPort;
  /** The configured pages whose origins are allowed besides Microsoft's password hosts. */
  configuredUrls: readonly string[];
  logger: Logger;
}): ExternalOpener {
  const policy = { configuredUrls: deps.configuredUrls };
  return async (url) => {
    const verdict = checkExternalUrl(url, policy);
    if (!verdict.allowed) {
      deps.logger.warn('refused to open a page', {
        reason: verdict.reason,
        url: typeof url === 'string' ? url.slice(0, 200) : typeof url,
      });
      return false;
    }
    try {
      await deps.shell.openExternal(verdict.url);
      return true;
    } catch (error) {
      deps.logger.error('could not open the browser', { error: String(error) });
      return false;
    }
  };
}
