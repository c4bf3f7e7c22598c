/**
 * Shows the daily reminder: a tray balloon on Windows (removed after `balloonSeconds`, because
 * Windows ignores a requested timeout), a notification elsewhere (closed after the same time).
 * A click opens the report's change-password page (the reset page once expired). Once shown it
 * is recorded through the engine, so closing it or letting it time out means no more that day.
 */
import { messages } from '../../core/messages';
import type { StatusReport } from '../../core/model';
import type { AssistantEngine, Clock, Logger } from '../../core/ports';
import type {
  NotificationHandle,
  NotificationPort,
  PowerMonitorPort,
  TimerHandle,
  TimerPort,
  TrayPort,
  Unsubscribe,
} from './desktopPorts';

export interface ReminderContent {
  title: string;
  body: string;
}

export interface ReminderPresenterDeps {
  /** Balloons on Windows, notifications elsewhere. */
  useBalloon: boolean;
  tray: TrayPort;
  notifications: NotificationPort;
  power: Pick<PowerMonitorPort, 'isUserActive'>;
  timers: TimerPort;
  clock: Clock;
  engine: Pick<AssistantEngine, 'markReminderShown'>;
  /** Opens a page after checking it against the allowlist; false when refused. */
  openExternal: (url: string) => Promise<boolean>;
  balloonSeconds: number;
  content: (report: StatusReport) => ReminderContent;
  logger: Logger;
}

export type PresentResult = 'shown' | 'not-due' | 'user-away';

interface Showing {
  /** The page a click opens; null for a notice that only informs. */
  url: string | null;
  removalTimer: TimerHandle;
  notification: NotificationHandle | null;
}

export class ReminderPresenter {
  private showing: Showing | null = null;
  private readonly unsubscribers: Unsubscribe[] = [];
  private disposed = false;

  constructor(private readonly deps: ReminderPresenterDeps) {
    if (deps.useBalloon) {
      this.unsubscribers.push(
        deps.tray.on('balloon-click', () => this.clicked()),
        deps.tray.on('balloon-closed', () => this.finished()),
      );
    }
  }

  /** Shows the reminder when the report says it is due, then records it. */
  async present(report: StatusReport): Promise<PresentResult> {
    if (this.disposed) return 'not-due';
    if (!report.reminder.due) {
      // The engine says "arrived" once: a new on-premises password now works in Microsoft 365.
      if (report.directory?.passwordSync === 'arrived' && this.deps.power.isUserActive()) {
        this.show(messages.reminder.titleSyncArrived, messages.status.syncArrived, null);
        this.deps.logger.info('new on-premises password arrived in Microsoft 365; told the user');
      }
      return 'not-due';
    }
    // Shown to an empty or locked screen it would count as seen; wait for the user instead.
    if (!this.deps.power.isUserActive()) {
      this.deps.logger.info('reminder due while the user is away; offered again later');
      return 'user-away';
    }
    const { title, body } = this.deps.content(report);
    this.show(title, body, report.changePasswordUrl);
    this.deps.logger.info('reminder shown', { state: report.password.state });
    try {
      await this.deps.engine.markReminderShown(report, this.deps.clock.now());
    } catch (error) {
      this.deps.logger.error('could not record the reminder', { error: String(error) });
    }
    return 'shown';
  }

  /** A balloon or notification for `balloonSeconds`; a click opens `url` when there is one. */
  private show(title: string, body: string, url: string | null): void {
    this.timedOut();
    let notification: NotificationHandle | null = null;
    if (this.deps.useBalloon) {
      this.deps.tray.displayBalloon({ title, content: body });
    } else if (this.deps.notifications.isSupported()) {
      notification = this.deps.notifications.show({
        title,
        body,
        onClick: () => this.clicked(),
        onClose: () => this.finished(),
      });
    } else {
      this.deps.logger.warn('notifications are not supported here; the tray shows the status');
    }
    const removalTimer = this.deps.timers.setTimeout(
      () => this.timedOut(),
      this.deps.balloonSeconds * 1000,
    );
    this.showing = { url, removalTimer, notification };
  }

  /** Whether a reminder is on screen now. */
  get isShowing(): boolean {
    return this.showing !== null;
  }

  dispose(): void {
    this.disposed = true;
    this.timedOut();
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  private clicked(): void {
    const showing = this.showing;
    if (showing === null) return;
    this.timedOut();
    if (showing.url !== null) void this.deps.openExternal(showing.url);
  }

  /** Time is up (or the app ends): take it off the screen. */
  private timedOut(): void {
    const showing = this.showing;
    if (showing === null) return;
    this.finished();
    if (this.deps.useBalloon) this.deps.tray.removeBalloon();
    else showing.notification?.close();
  }

  /** The user closed it, or it is gone: forget it. */
  private finished(): void {
    const showing = this.showing;
    if (showing === null) return;
    this.showing = null;
    this.deps.timers.clearTimeout(showing.removalTimer);
  }
}
