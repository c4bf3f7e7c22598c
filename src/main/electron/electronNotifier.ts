/**
 * `status --notify` inside the packaged app: Electron's Notification, attributed to the installed
 * app (its Application User Model ID and Start-menu shortcut), not to a helper program.
 */
import { Notification, app } from 'electron';
import type { DesktopNotifier, NoticeResult } from '../desktopNotifier';
import { APP_USER_MODEL_ID } from './windowSecurity';

/** Seconds a notice that never reports `show` is given before it counts as not shown. */
const SHOW_WAIT_SECONDS = 10;

export function createElectronDesktopNotifier(iconPath: string | null): DesktopNotifier {
  return {
    async show(notice) {
      await app.whenReady();
      app.setAppUserModelId(APP_USER_MODEL_ID);
      if (!Notification.isSupported()) {
        return { shown: false, error: 'notifications are not supported here' };
      }
      return new Promise<NoticeResult>((resolve) => {
        const notification = new Notification({
          title: notice.title,
          body: notice.body,
          urgency: 'normal',
          ...(iconPath ? { icon: iconPath } : {}),
        });
        let shown = false;
        let clicking: Promise<void> | null = null;
        const timers: NodeJS.Timeout[] = [];
        const finish = (result: NoticeResult): void => {
          for (const timer of timers) clearTimeout(timer);
          void (clicking ?? Promise.resolve()).then(() => resolve(result));
        };
        notification.on('show', () => {
          shown = true;
          // Taken off the screen after the configured time; a click before that still counts.
          timers.push(
            setTimeout(() => {
              notification.close();
              finish({ shown: true });
            }, notice.seconds * 1000),
          );
        });
        notification.on('failed', (_event, error) => finish({ shown: false, error }));
        notification.on('click', () => {
          clicking ??= notice.onClick().catch(() => undefined);
          finish({ shown: true });
        });
        notification.on('close', () => finish({ shown }));
        timers.push(
          setTimeout(() => {
            if (!shown)
              finish({ shown: false, error: 'the desktop did not show the notification' });
          }, SHOW_WAIT_SECONDS * 1000),
        );
        notification.show();
      });
    },
  };
}
