/**
 * Start at login: the Run entries on Windows (see windowsLoginItems.ts and windowsRunKeys.ts), the
 * login item on macOS, an XDG autostart entry on Linux (Electron offers no login items there). The
 * app's own entry passes `--at-login`, like the installers' Run entry, so a start at sign-in
 * checks the user's choice and a second one stays quiet.
 */
import { app } from 'electron';
import { mkdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/ports';
import { AT_LOGIN_ARGUMENT } from '../commandLine';
import type { LoginItemsPort } from '../tray/desktopPorts';
import { createWindowsLoginItems } from '../windowsLoginItems';
import { createNativeRunKeyRegistry, registryRunEntries } from '../windowsRunKeys';

export function createLoginItems(options: {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  logger: Logger;
}): LoginItemsPort {
  if (options.platform === 'win32') {
    // The registry itself, not Electron's login item settings (see windowsRunKeys.ts).
    const entries = registryRunEntries(createNativeRunKeyRegistry(), process.execPath);
    return createWindowsLoginItems(entries, options.logger);
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
