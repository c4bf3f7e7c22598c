/**
 * Thin Electron adapters for the small desktop ports: notifications, browser and file manager,
 * power, network, the About box and where "Collect diagnostics" writes.
 */
import { Notification, app, dialog, net, powerMonitor, shell } from 'electron';
import { existsSync } from 'node:fs';
import { currentLogging, defaultLogsDir } from '../logging';
import { writeDiagnosticsZip } from '../diagnostics';
import type {
  DiagnosticsPort,
  DialogPort,
  NetworkPort,
  NotificationPort,
  PowerEvent,
  PowerMonitorPort,
  ShellPort,
} from '../tray/desktopPorts';

/** Seconds without input after which the user counts as away. */
const AWAY_AFTER_SECONDS = 5 * 60;

export function createElectronNotifications(iconPath: string | null): NotificationPort {
  // Held until the next one: a notification Electron no longer references loses its click
  // events, and a click from the notification centre must still open the page.
  let latest: Notification | null = null;
  return {
    isSupported: () => Notification.isSupported(),
    show({ title, body, onShow, onFailed, onClick, onClose }) {
      const notification = new Notification({
        title,
        body,
        urgency: 'normal',
        ...(iconPath ? { icon: iconPath } : {}),
      });
      latest = notification;
      if (onShow) notification.on('show', onShow);
      if (onFailed) notification.on('failed', onFailed);
      notification.on('click', onClick);
      notification.on('close', onClose);
      notification.show();
      return { close: () => latest?.close() };
    },
  };
}

export const electronShell: ShellPort = {
  openExternal: (url) => shell.openExternal(url, { activate: true }),
  showItemInFolder: (path) => shell.showItemInFolder(path),
};

export const electronDiagnostics: DiagnosticsPort = {
  targetFolder() {
    const desktop = app.getPath('desktop');
    return existsSync(desktop) ? desktop : app.getPath('downloads');
  },
  logsDir: () => currentLogging()?.logsDir ?? defaultLogsDir(),
  write: writeDiagnosticsZip,
};

export const electronDialogs: DialogPort = {
  async showInfo({ title, message, detail }) {
    // Not modal to any window: the tray stays usable while the box is open.
    await dialog.showMessageBox({ type: 'info', title, message, detail, buttons: ['OK'] });
  },
};

export const electronPowerMonitor: PowerMonitorPort = {
  on(event: PowerEvent, listener) {
    powerMonitor.on(event as 'resume', listener);
    return () => powerMonitor.removeListener(event as 'resume', listener);
  },
  isUserActive() {
    const state = powerMonitor.getSystemIdleState(AWAY_AFTER_SECONDS);
    return state === 'active' || state === 'unknown';
  },
};

export const electronNetwork: NetworkPort = {
  isOnline: () => net.isOnline(),
};
