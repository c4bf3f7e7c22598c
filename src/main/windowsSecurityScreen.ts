/**
 * Opens the Windows Security screen (what Ctrl+Alt+Del shows: Lock, Switch user, Sign out,
 * Change a password, Task Manager) through the shell's Windows Security item, the shell namespace
 * object behind IShellDispatch4::WindowsSecurity. No script host is involved (PowerShell's
 * constrained language mode, disabled Windows Script Host), and nothing runs elevated.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from '../core/ports';
import type { PasswordChangeScreenPort } from './tray/desktopPorts';

/** The Windows Security shell item ("shell:::{CLSID}"). */
export const WINDOWS_SECURITY_ITEM = 'shell:::{2559a1f2-21d7-11d4-bdaf-00c04f60b9f0}';

/** The screen on Windows; null elsewhere (the change page is opened instead). */
export function createPasswordChangeScreen(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): PasswordChangeScreenPort | null {
  if (platform !== 'win32') return null;
  const explorer = join(env.SystemRoot ?? 'C:\\Windows', 'explorer.exe');
  return {
    open: () =>
      new Promise((resolve) => {
        try {
          const child = spawn(explorer, [WINDOWS_SECURITY_ITEM], {
            detached: true,
            stdio: 'ignore',
            windowsHide: true,
          });
          child.once('error', (error) => {
            logger.warn('the Windows Security screen could not be opened', {
              error: error.message,
            });
            resolve(false);
          });
          child.once('spawn', () => {
            child.unref();
            resolve(true);
          });
        } catch (error) {
          logger.warn('the Windows Security screen could not be opened', { error: String(error) });
          resolve(false);
        }
      }),
  };
}
