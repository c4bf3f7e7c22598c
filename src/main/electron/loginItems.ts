/**
 * Start at login: the system setting on Windows and macOS, an XDG autostart entry on Linux
 * (Electron offers no login items there). The entry passes `--at-login`, like the installers'
 * Run entry, so a start at sign-in checks the user's choice and a second one stays quiet.
 */
import { app } from 'electron';
import { mkdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AT_LOGIN_ARGUMENT } from '../commandLine';
import type { LoginItemsPort } from '../tray/desktopPorts';

export function createLoginItems(options: {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}): LoginItemsPort {
  if (options.platform === 'win32' || options.platform === 'darwin') {
    return {
      supported: true,
      // Windows matches the entry by its arguments; macOS ignores them.
      isEnabled: () => app.getLoginItemSettings({ args: [AT_LOGIN_ARGUMENT] }).openAtLogin,
      setEnabled: (enabled) =>
        app.setLoginItemSettings({ openAtLogin: enabled, args: [AT_LOGIN_ARGUMENT] }),
    };
  }
  const configHome = options.env.XDG_CONFIG_HOME?.trim() || join(options.homeDir, '.config');
  const entry = join(configHome, 'autostart', 'signin-assistant.desktop');
  // An AppImage runs from a temporary mount: start the AppImage file itself.
  const executable = options.env.APPIMAGE ?? process.execPath;
  return {
    supported: true,
    isEnabled: () => existsSync(entry),
    setEnabled(enabled) {
      if (!enabled) {
        rmSync(entry, { force: true });
        return;
      }
      mkdirSync(join(configHome, 'autostart'), { recursive: true });
      writeFileSync(
        entry,
        [
          '[Desktop Entry]',
          'Type=Application',
          `Name=${app.getName()}`,
          `Exec="${executable.replace(/(["\\`$])/g, '\\$1')}" ${AT_LOGIN_ARGUMENT}`,
          'X-GNOME-Autostart-enabled=true',
          '',
        ].join('\n'),
        { mode: 0o644 },
      );
    },
  };
}
