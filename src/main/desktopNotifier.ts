import notifier from 'node-notifier';
import type NotificationCenter from 'node-notifier/notifiers/notificationcenter';
import type WindowsToaster from 'node-notifier/notifiers/toaster';
import { APP_USER_MODEL_ID } from './electron/windowSecurity';

export interface DesktopNotice {
  title: string;
  body: string;
  /** Closed after this many seconds where the platform allows it. */
  seconds: number;
  /** Opens the page; the notifier waits for it before it reports the notice finished. */
  onClick: () => Promise<void>;
}

export interface NoticeResult {
  /** False when the desktop refused it or has no notification service (then `error` says why). */
  shown: boolean;
  error?: string;
}

/**
 * The headless command's notification port: node-notifier from a plain Node.js install, Electron's
 * Notification inside the packaged app (see electron/electronNotifier.ts). `show` resolves only
 * once the notice was closed, timed out or clicked and the click's page has been opened, so the
 * process does not end under it.
 */
export interface DesktopNotifier {
  show(notice: DesktopNotice): Promise<NoticeResult>;
}

/** How long after the notice's own time a silent backend is given before the command goes on. */
const GRACE_SECONDS = 5;

/**
 * node-notifier: notify-send on Linux, Notification Center on macOS, toasts on Windows (with the
 * app's ID, so they do not show as another program's).
 */
export function createNodeNotifier(appId: string = APP_USER_MODEL_ID): DesktopNotifier {
  return {
    show(notice) {
      return new Promise((resolve) => {
        let clicking: Promise<void> | null = null;
        const click = (): void => {
          clicking ??= notice.onClick().catch(() => undefined);
        };
        let settled = false;
        const settle = (value: NoticeResult): void => {
          if (settled) return;
          settled = true;
          clearTimeout(guard);
          notifier.removeListener('click', click);
          // A click's page must have opened before the command may end.
          void (clicking ?? Promise.resolve()).then(() => resolve(value));
        };
        // The notifier backends wait for the user; never let that hold the command for long.
        const guard = setTimeout(
          () => settle({ shown: true }),
          (notice.seconds + GRACE_SECONDS) * 1000,
        );
        try {
          notifier.on('click', click);
          // `timeout` is read on macOS and Linux, `appID` by the Windows toaster.
          const options: NotificationCenter.Notification & WindowsToaster.Notification = {
            title: notice.title,
            message: notice.body,
            wait: true,
            timeout: notice.seconds,
            appID: appId,
          };
          notifier.notify(options as NotificationCenter.Notification, (error, response) => {
            if (error) settle({ shown: false, error: error.message });
            else {
              const answer = String(response).toLowerCase();
              if (answer.includes('activate') || answer.includes('clicked')) click();
              settle({ shown: true });
            }
          });
        } catch (error) {
          settle({ shown: false, error: (error as Error).message });
        }
      });
    },
  };
}
