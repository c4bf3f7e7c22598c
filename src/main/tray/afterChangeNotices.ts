/**
 * After a check saw a new password: says once "Your new password is good until …" (with how
 * Windows' saved logon catches up, where it must), then on Windows offers to remove the account's
 * saved sign-ins that still hold the old password ("Remove 3 saved sign-ins…"; a click opens the
 * status window, where the user removes them). Nothing is removed without that click.
 */
import type { SavedSignInsView } from '../../core/ipcContract';
import { messages } from '../../core/messages';
import type { StatusReport } from '../../core/model';
import type { Logger } from '../../core/ports';
import { passwordChangeNotes } from '../../core/statusReport';
import type { SavedSignIns } from '../credentials/savedSignIns';
import type {
  NotificationHandle,
  NotificationPort,
  TimerHandle,
  TimerPort,
  TrayPort,
  Unsubscribe,
} from './desktopPorts';

export interface AfterChangeDeps {
  /** Balloons on Windows, notifications elsewhere. */
  useBalloon: boolean;
  tray: TrayPort;
  notifications: NotificationPort;
  timers: TimerPort;
  balloonSeconds: number;
  timeZone: string;
  /** The account's saved sign-ins (Windows, `offerCredentialCleanup`); null: none are offered. */
  savedSignIns: SavedSignIns | null;
  openStatusWindow: () => void;
  /** The offer changed (listed, removed): the window shows it again. */
  onChange: () => void;
  logger: Logger;
}

interface Shown {
  timer: TimerHandle;
  notification: NotificationHandle | null;
  onClick: (() => void) | null;
}

export class AfterChangeNotices {
  private offer: SavedSignInsView | null = null;
  private account: string | null = null;
  private shown: Shown | null = null;
  private readonly unsubscribers: Unsubscribe[] = [];
  private disposed = false;

  constructor(private readonly deps: AfterChangeDeps) {
    if (deps.useBalloon) {
      this.unsubscribers.push(deps.tray.on('balloon-click', () => this.shown?.onClick?.()));
    }
  }

  /** What the status window shows (null: nothing to offer). */
  view(): SavedSignInsView | null {
    return this.offer;
  }

  /** Takes in a finished check's report; said once because the report says it once. */
  async take(report: StatusReport): Promise<void> {
    if (this.disposed) return;
    if (report.account?.username.toLowerCase() !== this.account) {
      // Another account (or signed out): an earlier offer no longer applies.
      this.account = report.account?.username.toLowerCase() ?? null;
      if (this.offer !== null) {
        this.offer = null;
        this.deps.onChange();
      }
    }
    if (!report.passwordChanged || report.error !== null || this.account === null) return;
    const body = passwordChangeNotes(report, this.deps.timeZone).join(' ');
    const entries = this.deps.savedSignIns ? await this.deps.savedSignIns.list([this.account]) : [];
    if (this.disposed) return;
    this.deps.logger.info('told the user about the new password', { savedSignIns: entries.length });
    this.offer = entries.length > 0 ? { entries, removed: [], failed: [] } : null;
    this.deps.onChange();
    this.show(messages.afterChange.titleNewPassword, body, null, () => {
      if (this.offer !== null && this.offer.entries.length > 0)
        this.showOffer(this.offer.entries.length);
    });
  }

  /** The user's click in the status window: removes those of the named entries that are the account's. */
  async remove(targets: readonly string[]): Promise<void> {
    const signIns = this.deps.savedSignIns;
    if (signIns === null || this.account === null || this.offer === null) return;
    const result = await signIns.remove([this.account], targets);
    const left = await signIns.list([this.account]);
    this.offer = { entries: left, removed: result.removed, failed: result.failed };
    this.deps.onChange();
  }

  /** How many there are now (for diagnostics); null where none are read. */
  async count(username: string | null): Promise<number | null> {
    if (this.deps.savedSignIns === null || username === null) return null;
    return (await this.deps.savedSignIns.list([username.toLowerCase()])).length;
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  private showOffer(count: number): void {
    if (this.disposed) return;
    this.show(
      messages.afterChange.titleSavedSignIns,
      `${messages.afterChange.removeSavedSignIns(count)}.`,
      () => {
        this.clear();
        this.deps.openStatusWindow();
      },
      null,
    );
  }

  /** Shown for `balloonSeconds`; `then` runs when it leaves the screen. */
  private show(
    title: string,
    body: string,
    onClick: (() => void) | null,
    then: (() => void) | null,
  ): void {
    this.clear();
    let notification: NotificationHandle | null = null;
    if (this.deps.useBalloon) {
      this.deps.tray.displayBalloon({ title, content: body });
    } else if (this.deps.notifications.isSupported()) {
      notification = this.deps.notifications.show({
        title,
        body,
        onClick: () => (onClick ?? (() => this.clear()))(),
        onClose: () => undefined,
      });
    } else {
      then?.();
      return;
    }
    const timer = this.deps.timers.setTimeout(() => {
      this.clear();
      then?.();
    }, this.deps.balloonSeconds * 1000);
    this.shown = { timer, notification, onClick };
  }

  private clear(): void {
    const shown = this.shown;
    if (shown === null) return;
    this.shown = null;
    this.deps.timers.clearTimeout(shown.timer);
    if (this.deps.useBalloon) this.deps.tray.removeBalloon();
    else shown.notification?.close();
  }
}
