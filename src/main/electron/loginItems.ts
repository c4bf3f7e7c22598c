/**
 * Start at login: the system setting on Windows and macOS, an XDG autostart entry on Linux
 * (Electron offers no login items there).
 */
import { app } from 'electron';
import { mkdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoginItemsPort } from '../tray/desktopPorts';

export function createLoginItems(options: {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}): LoginItemsPort {
  if (options.platform === 'win32' || options.platform === 'darwin') {
    return {
      supported: true,
      isEnabled: () => app.getLoginItemSettings().openAtLogin,
      setEnabled: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }),
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
          `Exec="${executable.replace(/(["\\`$])/g, '\\$1')}"`,
          'X-GNOME-Autostart-enabled=true',
          '',
        ].join('\n'),
        { mode: 0o644 },
      );
    },
  };
}
