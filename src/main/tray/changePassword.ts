import type { StatusReport } from '../../core/model';
import type { PasswordChangeScreenPort } from './desktopPorts';

/**
 * Where "Change password…" and a reminder's click go: for a password that lives in the domain
 * (a directory figure) without an `onPremisesChangePasswordUrl`, the Windows Security screen,
 * which changes it and the cached logon; otherwise the report's page, through the allowlist.
 */
export function createPasswordChanger(options: {
  screen: PasswordChangeScreenPort | null;
  onPremisesChangePasswordUrl: string | null;
  openExternal: (url: string) => Promise<boolean>;
  report: () => StatusReport | null;
}): (url: string) => Promise<boolean> {
  return async (url) => {
    const report = options.report();
    const inDomain = report?.password.source === 'directory' && url === report.changePasswordUrl;
    if (options.screen && inDomain && options.onPremisesChangePasswordUrl === null) {
      if (await options.screen.open()) return true;
    }
    return options.openExternal(url);
  };
}
