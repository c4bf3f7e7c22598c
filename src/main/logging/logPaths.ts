/**
 * Where the logs go: one folder per user, shared by the tray app and the headless command, and
 * independent of Electron so both find it.
 * - Windows: %LOCALAPPDATA%\SignInAssistant\logs (in the per-user folder, see paths.ts: Local
 *   AppData is never redirected to a network share or roamed)
 * - macOS:   ~/Library/Logs/SignInAssistant
 * - Linux:   $XDG_STATE_HOME/signin-assistant/logs (default ~/.local/state/signin-assistant/logs)
 * With SIGNIN_ASSISTANT_HOME (tests, demos, IT) they go to its `logs` folder instead.
 */
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

export function defaultLogsDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const override = env.SIGNIN_ASSISTANT_HOME?.trim();
  if (override) return join(override, 'logs');
  switch (platform) {
    case 'win32':
      return win32.join(
        env.LOCALAPPDATA ?? win32.join(home, 'AppData', 'Local'),
        'SignInAssistant',
        'logs',
      );
    case 'darwin':
      return posix.join(home, 'Library', 'Logs', 'SignInAssistant');
    default: {
      const state =
        env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/')
          ? env.XDG_STATE_HOME
          : posix.join(home, '.local', 'state');
      return posix.join(state, 'signin-assistant', 'logs');
    }
  }
}
