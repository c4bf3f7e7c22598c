/**
 * A notice that only informs (a new on-premises password arrived): no page to open, nothing
 * recorded. A balloon on Windows, left to the system to time out like the reminder; a
 * notification elsewhere, closed after `balloonSeconds`.
 */
import type {
  NotificationHandle,
  NotificationPort,
  TimerHandle,
  TimerPort,
  TrayPort,
} from './desktopPorts';

export interface InfoNoticeDeps {
  useBalloon: boolean;
  tray: TrayPort;
  notifications: NotificationPort;
  timers: TimerPort;
  balloonSeconds: number;
}

export class InfoNotice {
  private current: { timer: TimerHandle; notification: NotificationHandle | null } | null = null;

  constructor(private readonly deps: InfoNoticeDeps) {}

  /** Shows it; false when there is nowhere to show it. */
  show(title: string, body: string): boolean {
    this.clear();
    let notification: NotificationHandle | null = null;
    if (this.deps.useBalloon) {
      this.deps.tray.displayBalloon({ title, content: body });
    } else if (this.deps.notifications.isSupported()) {
      notification = this.deps.notifications.show({
        title,
        body,
        onClick: () => this.clear(),
        onClose: () => this.clear(),
      });
    } else {
      return false;
    }
    const timer = this.deps.timers.setTimeout(() => this.clear(), this.deps.balloonSeconds * 1000);
    this.current = { timer, notification };
    return true;
  }

  /** Takes it off the screen (elsewhere than Windows) and forgets it. */
  clear(): void {
    const notice = this.current;
    if (notice === null) return;
    this.current = null;
    this.deps.timers.clearTimeout(notice.timer);
    notice.notification?.close();
  }
}
