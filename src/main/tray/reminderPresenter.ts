/**
 * Shows the daily reminder: a tray balloon on Windows (removed after `balloonSeconds`, because
 * Windows ignores a requested timeout), a notification elsewhere (closed after the same time).
 * A click opens the report's change-password page (the reset page once expired), also a click in
 * the notification centre after it left the screen.
 *
 * Once per local day across processes: the day is claimed through the engine before anything is
 * shown, confirmed only when the desktop reports it on screen (`balloon-show`, the notification's
 * `show`), and given back when that does not happen within SHOW_CONFIRM_MS (Do Not Disturb, quiet
 * time, no notification service), so it is offered again later that day.
 */
import { messages } from '../../core/messages';
import type { StatusReport } from '../../core/model';
import type { AssistantEngine, Clock, Logger, ReminderClaim } from '../../core/ports';
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
  engine: Pick<AssistantEngine, 'claimReminder'>;
  /** A reminder was not shown after all (suppressed, refused): ask for it again in `delayMs`. */
  onNotShown?: (delayMs: number) => void;
  /** Opens a page after checking it against the allowlist; false when refused. */
  openExternal: (url: string) => Promise<boolean>;
  balloonSeconds: number;
  content: (report: StatusReport) => ReminderContent;
  logger: Logger;
}

export type PresentResult = 'shown' | 'not-due' | 'user-away';

/** How long the desktop has to report the reminder on screen before the day is given back. */
export const SHOW_CONFIRM_MS = 15_000;

/**
 * Waits before offering an unconfirmed reminder again (10, 20, 40, 80 minutes). After that many
 * unconfirmed attempts in a row the day counts as done: a desktop that shows reminders but never
 * says so must not get one every few minutes.
 */
export const NOT_SHOWN_RETRY_MS: readonly number[] = Object.freeze([
  10 * 60_000,
  20 * 60_000,
  40 * 60_000,
  80 * 60_000,
]);

interface Showing {
  claim: ReminderClaim;
  /** False until the desktop reports it on screen. */
  onScreen: boolean;
  /** The confirmation deadline, then the removal timer. */
  timer: TimerHandle;
  notification: NotificationHandle | null;
}

/** A notice that only informs: no page to open, nothing recorded. */
interface Notice {
  timer: TimerHandle;
  notification: NotificationHandle | null;
}

export class ReminderPresenter {
  private showing: Showing | null = null;
  private notice: Notice | null = null;
  /** Unconfirmed attempts in a row (reset once one is confirmed). */
  private unconfirmed = 0;
  /** The page a click opens, kept after the reminder left the screen (notification centre). */
  private clickUrl: string | null = null;
  private readonly unsubscribers: Unsubscribe[] = [];
  private disposed = false;

  constructor(private readonly deps: ReminderPresenterDeps) {
    if (deps.useBalloon) {
      this.unsubscribers.push(
        deps.tray.on('balloon-show', () => this.onScreen()),
        deps.tray.on('balloon-click', () => this.clicked()),
        deps.tray.on('balloon-closed', () => this.closedByUser()),
      );
    }
  }

  /**
   * Shows the reminder when the report says it is due and no process has shown it today.
   * 'shown' means it was handed to the desktop; it counts for the day once the desktop confirms.
   */
  async present(report: StatusReport): Promise<PresentResult> {
    if (this.disposed) return 'not-due';
    if (!report.reminder.due) {
      // The engine says "arrived" once: a new on-premises password now works in Microsoft 365.
      if (report.directory?.passwordSync === 'arrived' && this.deps.power.isUserActive()) {
        this.inform(messages.reminder.titleSyncArrived, messages.status.syncArrived);
        this.deps.logger.info('new on-premises password arrived in Microsoft 365; told the user');
      }
      return 'not-due';
    }
    // Shown to an empty or locked screen it would count as seen; wait for the user instead.
    if (!this.deps.power.isUserActive()) {
      this.deps.logger.info('reminder due while the user is away; offered again later');
      return 'user-away';
    }
    if (!this.deps.useBalloon && !this.deps.notifications.isSupported()) {
      this.deps.logger.warn('notifications are not supported here; the tray shows the status');
      return 'not-due';
    }
    let claim: ReminderClaim | null;
    try {
      claim = await this.deps.engine.claimReminder(report, this.deps.clock.now());
    } catch (error) {
      this.deps.logger.error('could not claim the reminder', { error: String(error) });
      return 'not-due';
    }
    if (claim === null) {
      this.deps.logger.info('reminder already shown today (here or by another process)');
      return 'not-due';
    }
    try {
      await claim.showing();
    } catch (error) {
      // Shown all the same: at worst a crash in the next seconds lets the day be offered again.
      this.deps.logger.warn('could not mark the reminder as being shown', { error: String(error) });
    }
    if (this.disposed) {
      await this.release(claim);
      return 'not-due';
    }
    this.takeOffScreen();
    this.clearNotice();
    const { title, body } = this.deps.content(report);
    this.clickUrl = report.changePasswordUrl;
    const showing: Showing = {
      claim,
      onScreen: false,
      timer: this.deps.timers.setTimeout(() => this.notShown(showing), SHOW_CONFIRM_MS),
      notification: null,
    };
    this.showing = showing;
    if (this.deps.useBalloon) {
      this.deps.tray.displayBalloon({ title, content: body });
    } else {
      const url = report.changePasswordUrl;
      showing.notification = this.deps.notifications.show({
        title,
        body,
        onShow: () => this.onScreen(showing),
        onFailed: () => this.notShown(showing),
        // This notification's own page, also after it left the screen.
        onClick: () => this.open(url, showing),
        onClose: () => this.closedByUser(showing),
      });
    }
    this.deps.logger.info('reminder handed to the desktop', { state: report.password.state });
    return 'shown';
  }

  /** Whether a reminder is on screen (or waiting to be) now. */
  get isShowing(): boolean {
    return this.showing !== null;
  }

  dispose(): void {
    this.disposed = true;
    this.clearNotice();
    const showing = this.showing;
    if (showing && !showing.onScreen) this.notShown(showing, false);
    this.takeOffScreen();
    this.clickUrl = null;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /** The desktop put it on screen: the day is taken; remove it after `balloonSeconds`. */
  private onScreen(showing: Showing | null = this.showing): void {
    if (showing === null || showing !== this.showing || showing.onScreen) return;
    showing.onScreen = true;
    this.unconfirmed = 0;
    this.deps.timers.clearTimeout(showing.timer);
    showing.timer = this.deps.timers.setTimeout(
      () => this.takeOffScreen(),
      this.deps.balloonSeconds * 1000,
    );
    this.deps.logger.info('reminder shown');
    showing.claim.confirm(this.deps.clock.now()).catch((error: unknown) => {
      this.deps.logger.error('could not record the reminder', { error: String(error) });
    });
  }

  /** Not shown in time, or refused: give the day back and ask again later (never at once). */
  private notShown(showing: Showing, retry = true): void {
    if (showing !== this.showing || showing.onScreen) return;
    this.showing = null;
    this.deps.timers.clearTimeout(showing.timer);
    if (this.deps.useBalloon) this.deps.tray.removeBalloon();
    else showing.notification?.close();
    this.clickUrl = null;
    if (!retry) {
      void this.release(showing.claim);
      return;
    }
    const delayMs = NOT_SHOWN_RETRY_MS[this.unconfirmed];
    this.unconfirmed += 1;
    if (delayMs === undefined) {
      this.unconfirmed = 0;
      this.deps.logger.warn('reminder never confirmed on screen; counting the day as done');
      return;
    }
    this.deps.logger.info('reminder was not shown (quiet time, Do Not Disturb or refused)');
    void this.release(showing.claim);
    this.deps.onNotShown?.(delayMs);
  }

  private async release(claim: ReminderClaim): Promise<void> {
    try {
      await claim.release();
    } catch (error) {
      this.deps.logger.error('could not give the reminder back', { error: String(error) });
    }
  }

  private clicked(): void {
    if (this.clickUrl !== null) this.open(this.clickUrl, this.showing);
  }

  private open(url: string, showing: Showing | null): void {
    // A click proves it was seen, even if the show event never came.
    if (showing !== null) this.onScreen(showing);
    this.takeOffScreen();
    void this.deps.openExternal(url);
  }

  /** Time is up (or the app ends): take it off the screen; a later click still opens the page. */
  private takeOffScreen(): void {
    const showing = this.showing;
    if (showing === null) return;
    this.showing = null;
    this.deps.timers.clearTimeout(showing.timer);
    if (this.deps.useBalloon) this.deps.tray.removeBalloon();
    else showing.notification?.close();
  }

  /** The user closed it: seen, so no more that day. */
  private closedByUser(showing: Showing | null = this.showing): void {
    if (showing === null || showing !== this.showing) return;
    if (!showing.onScreen) this.onScreen(showing);
    this.showing = null;
    this.deps.timers.clearTimeout(showing.timer);
  }

  /** Shown for `balloonSeconds` unless a reminder is on screen; a click opens nothing. */
  private inform(title: string, body: string): void {
    if (this.showing !== null) return;
    this.clearNotice();
    this.clickUrl = null;
    let notification: NotificationHandle | null = null;
    if (this.deps.useBalloon) {
      this.deps.tray.displayBalloon({ title, content: body });
    } else if (this.deps.notifications.isSupported()) {
      notification = this.deps.notifications.show({
        title,
        body,
        onClick: () => this.clearNotice(),
        onClose: () => this.clearNotice(),
      });
    } else {
      return;
    }
    const timer = this.deps.timers.setTimeout(
      () => this.clearNotice(),
      this.deps.balloonSeconds * 1000,
    );
    this.notice = { timer, notification };
  }

  private clearNotice(): void {
    const notice = this.notice;
    if (notice === null) return;
    this.notice = null;
    this.deps.timers.clearTimeout(notice.timer);
    if (this.deps.useBalloon) {
      if (this.showing === null) this.deps.tray.removeBalloon();
    } else {
      notice.notification?.close();
    }
  }
}
