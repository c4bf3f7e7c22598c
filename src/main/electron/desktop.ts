/** Thin Electron adapters for the small desktop ports: notifications, browser, power, network. */
import { Notification, net, powerMonitor, shell } from 'electron';
import type {
  NetworkPort,
  NotificationPort,
  PowerEvent,
  PowerMonitorPort,
  ShellPort,
} from '../tray/desktopPorts';

/** Seconds without input after which the user counts as away. */
const AWAY_AFTER_SECONDS = 5 * 60;

export function createElectronNotifications(iconPath: string | null): NotificationPort {
  return {
    isSupported: () => Notification.isSupported(),
    show({ title, body, onClick, onClose }) {
      const notification = new Notification({
        title,
        body,
        urgency: 'normal',
        ...(iconPath ? { icon: iconPath } : {}),
      });
      notification.on('click', onClick);
      notification.on('close', onClose);
      notification.show();
      return { close: () => notification.close() };
    },
  };
}

export const electronShell: ShellPort = {
  openExternal: (url) => shell.openExternal(url, { activate: true }),
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
