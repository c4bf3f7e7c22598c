/**
 * Start at login: the Run entries on Windows (see windowsLoginItems.ts), the login item on macOS,
 * an XDG autostart entry on Linux (Electron offers no login items there). The app's own entry
 * passes `--at-login`, like the installers' Run entry, so a start at sign-in checks the user's
 * choice and a second one stays quiet.
 */
import { app } from 'electron';
import { mkdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/ports';
import { AT_LOGIN_ARGUMENT } from '../commandLine';
import type { LoginItemsPort } from '../tray/desktopPorts';
import { OWN_RUN_VALUE_NAME, createWindowsLoginItems } from '../windowsLoginItems';
import type { RunEntriesPort } from '../windowsLoginItems';

/**
 * Electron's view of the Run keys: `launchItems` lists the HKCU and HKLM values that start this
 * executable, with Task Manager's switch (StartupApproved) as `enabled`.
 */
const electronRunEntries: RunEntriesPort = {
  list: () =>
    (
      app.getLoginItemSettings({ path: process.execPath, args: [AT_LOGIN_ARGUMENT] }).launchItems ??
      []
    ).map(({ name, scope, enabled }) => ({ name, scope, enabled })),
  setOwnEntry: (enabled) =>
    app.setLoginItemSettings({
      openAtLogin: enabled,
      path: process.execPath,
      args: [AT_LOGIN_ARGUMENT],
      name: OWN_RUN_VALUE_NAME,
    }),
};

export function createLoginItems(options: {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  logger: Logger;
}): LoginItemsPort {
  if (options.platform === 'win32') {
    return createWindowsLoginItems(electronRunEntries, options.logger);
  }
  if (options.platform === 'darwin') {
    return {
      supported: true,
      isEnabled: () => app.getLoginItemSettings().openAtLogin,
      setEnabled: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }),
      disabledBySystem: () => false,
    };
  }
  const configHome = options.env.XDG_CONFIG_HOME?.trim() || join(options.homeDir, '.config');
  const entry = join(configHome, 'autostart', 'signin-assistant.desktop');
  // An AppImage runs from a temporary mount: start the AppImage file itself.
  const executable = options.env.APPIMAGE ?? process.execPath;
  return {
    supported: true,
    disabledBySystem: () => false,
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
