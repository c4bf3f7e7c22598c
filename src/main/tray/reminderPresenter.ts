/**
 * Shows the reminder: a tray balloon on Windows, a notification elsewhere; a click opens the
 * report's change-password page (the reset page once expired). A Windows balloon is left to the
 * system, which shows it for its own time (5 s by default) and keeps it in the Action Center,
 * where a later click still opens the page (removing it would take it out of there too);
 * elsewhere the notification is closed after `balloonSeconds`.
 *
 * Once per slot (the local day, or part of it in the final stretch) across processes: claimed
 * through the engine before anything is shown. While the Windows shell says it would show no
 * notification (presentation, a full-screen app, quiet time) nothing is claimed: deferred. Once
 * it accepts, a balloon handed over counts. Where it cannot be asked (and on other platforms) it
 * counts when the desktop reports it on screen (`balloon-show`, `show`) and is given back when
 * that does not happen within SHOW_CONFIRM_MS (Do Not Disturb), so it is offered again later.
 */
import { messages } from '../../core/messages';
import type { StatusReport } from '../../core/model';
import type { AssistantEngine, Clock, Logger, ReminderClaim } from '../../core/ports';
import type {
  NotificationHandle,
  NotificationPort,
  NotificationStatePort,
  PowerMonitorPort,
  TimerHandle,
  TimerPort,
  TrayPort,
  Unsubscribe,
} from './desktopPorts';
import { InfoNotice } from './infoNotice';

export interface ReminderContent {
  title: string;
  body: string;
}

export interface ReminderPresenterDeps {
  /** Balloons on Windows, notifications elsewhere. */
  useBalloon: boolean;
  tray: TrayPort;
  notifications: NotificationPort;
  /** Whether the desktop would show a notification now (Windows' shell; elsewhere `accepts`). */
  notificationState: NotificationStatePort;
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

/** `deferred`: the shell said it would not show a notification now; nothing was claimed. */
export type PresentResult = 'shown' | 'not-due' | 'user-away' | 'deferred';

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
  /** False until the desktop reports it on screen (or the shell accepted it). */
  onScreen: boolean;
  /** The confirmation deadline, then the end of its time on screen. */
  timer: TimerHandle;
  notification: NotificationHandle | null;
}

export class ReminderPresenter {
  private showing: Showing | null = null;
  private readonly notice: InfoNotice;
  /** Unconfirmed attempts in a row (reset once one is confirmed). */
  private unconfirmed = 0;
  /** The page a click opens, kept after the reminder left the screen (notification centre). */
  private clickUrl: string | null = null;
  private readonly unsubscribers: Unsubscribe[] = [];
  private disposed = false;

  constructor(private readonly deps: ReminderPresenterDeps) {
    this.notice = new InfoNotice(deps);
    if (deps.useBalloon) {
      this.unsubscribers.push(
        deps.tray.on('balloon-show', () => this.onScreen()),
        deps.tray.on('balloon-click', () => this.clicked()),
        deps.tray.on('balloon-closed', () => this.closedByUser()),
      );
    }
  }

  /**
   * Shows the reminder when the report says it is due and no process has shown it in this slot.
   * 'shown' means it was handed to the desktop; it counts once the desktop (or the shell) says so.
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
    const state = this.deps.notificationState.current();
    if (state !== 'accepts' && state !== 'unknown') {
      this.deps.logger.info(
        'the desktop shows no notifications now; reminder offered again later',
        {
          state,
        },
      );
      return 'deferred';
    }
    const claim = await this.claim(report);
    if (claim === null) return 'not-due';
    if (this.disposed) {
      await this.release(claim);
      return 'not-due';
    }
    this.hand(report, claim, this.deps.useBalloon && state === 'accepts');
    return 'shown';
  }

  /** Whether a reminder is on screen (or waiting to be) now. */
  get isShowing(): boolean {
    return this.showing !== null;
  }

  dispose(): void {
    this.disposed = true;
    this.notice.clear();
    const showing = this.showing;
    if (showing && !showing.onScreen) this.notShown(showing, false);
    this.takeOffScreen();
    this.clickUrl = null;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /** Claims the slot and commits to showing; null when taken (here or elsewhere) or failed. */
  private async claim(report: StatusReport): Promise<ReminderClaim | null> {
    let claim: ReminderClaim | null;
    try {
      claim = await this.deps.engine.claimReminder(report, this.deps.clock.now());
    } catch (error) {
      this.deps.logger.error('could not claim the reminder', { error: String(error) });
      return null;
    }
    if (claim === null) {
      this.deps.logger.info('reminder already shown in this slot (here or by another process)');
      return null;
    }
    try {
      await claim.showing();
    } catch (error) {
      // Shown all the same: at worst a crash in the next seconds lets the slot be offered again.
      this.deps.logger.warn('could not mark the reminder as being shown', { error: String(error) });
    }
    return claim;
  }

  /** Hands it to the desktop; `accepted`: the shell said it shows notifications, so it counts. */
  private hand(report: StatusReport, claim: ReminderClaim, accepted: boolean): void {
    this.takeOffScreen();
    this.notice.clear();
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
    // `balloon-show` may never come for a balloon Windows renders as a toast.
    if (accepted) this.onScreen(showing, 'the shell accepts notifications now');
  }

  /** On screen (or accepted by the shell): it counts; its time on screen starts. */
  private onScreen(showing: Showing | null = this.showing, why = 'shown'): void {
    if (showing === null || showing !== this.showing || showing.onScreen) return;
    showing.onScreen = true;
    this.unconfirmed = 0;
    this.deps.timers.clearTimeout(showing.timer);
    showing.timer = this.deps.timers.setTimeout(
      () => this.takeOffScreen(),
      this.deps.balloonSeconds * 1000,
    );
    this.deps.logger.info('reminder counted', { why });
    showing.claim.confirm(this.deps.clock.now()).catch((error: unknown) => {
      this.deps.logger.error('could not record the reminder', { error: String(error) });
    });
  }

  /** Not shown in time, or refused: give the slot back and ask again later (never at once). */
  private notShown(showing: Showing, retry = true): void {
    if (showing !== this.showing || showing.onScreen) return;
    this.showing = null;
    this.deps.timers.clearTimeout(showing.timer);
    // Withdrawn, so that a suppressed one does not turn up beside the next attempt.
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
      this.deps.logger.warn('reminder never confirmed on screen; counting it as done');
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
    if (showing !== null) this.onScreen(showing, 'clicked');
    this.takeOffScreen();
    void this.deps.openExternal(url);
  }

  /**
   * Its time is up (or the app ends). A notification is closed; a Windows balloon is left to
   * the system, which keeps it in the Action Center. A later click still opens the page.
   */
  private takeOffScreen(): void {
    const showing = this.showing;
    if (showing === null) return;
    this.showing = null;
    this.deps.timers.clearTimeout(showing.timer);
    if (!this.deps.useBalloon) showing.notification?.close();
  }

  /** The user closed it: seen, so no more in this slot. */
  private closedByUser(showing: Showing | null = this.showing): void {
    if (showing === null || showing !== this.showing) return;
    if (!showing.onScreen) this.onScreen(showing, 'closed');
    this.showing = null;
    this.deps.timers.clearTimeout(showing.timer);
  }

  /** Shown unless a reminder is on screen; a click opens nothing. */
  private inform(title: string, body: string): void {
    if (this.showing !== null) return;
    this.clickUrl = null;
    this.notice.show(title, body);
  }
}
