/**
 * The tray's three kinds of notice, built in one place: the reminder, the one first-run sign-in
 * prompt, and what follows a password change (the new date, the saved sign-ins offer).
 */
import { reminderContent } from '../../core/statusReport';
import { signInPromptContent } from '../../core/signInPrompt';
import { AfterChangeNotices } from './afterChangeNotices';
import { ReminderPresenter } from './reminderPresenter';
import { SignInPromptPresenter } from './signInPromptPresenter';
import type { TrayAppDeps } from './trayAppTypes';

/** What the notices ask of the tray app. */
export interface TrayNoticeHooks {
  /** Opens a change-password page (or the Windows Security screen); false when refused. */
  changePage: (url: string) => Promise<boolean>;
  openStatusWindow: () => void;
  signIn: () => void;
  /** A reminder was not shown after all: ask for it again in `delayMs`. */
  remindAgainLater: (delayMs: number) => void;
  /** The notices' own state changed (saved sign-ins listed or removed). */
  refresh: () => void;
}

export function createTrayNotices(deps: TrayAppDeps, hooks: TrayNoticeHooks) {
  const { config } = deps.resolved;
  const useBalloon = deps.platform === 'win32';
  // The reminder's listeners first, as they always were; it asks the prompt only at a click.
  const presenter = new ReminderPresenter({
    useBalloon,
    tray: deps.tray,
    notifications: deps.notifications,
    notificationState: deps.notificationState,
    power: deps.power,
    timers: deps.timers,
    clock: deps.clock,
    engine: deps.engine,
    // A balloon click while the sign-in prompt shows is the prompt's, not an earlier reminder's.
    openExternal: (url) =>
      signInPrompt.isShowing ? Promise.resolve(false) : hooks.changePage(url),
    balloonSeconds: config.balloonSeconds,
    content: (forReport) => reminderContent(forReport, deps.timeZone),
    logger: deps.loggerFor('reminder'),
    // Suppressed (quiet time, Do Not Disturb): offered again later that day, never in a loop.
    onNotShown: hooks.remindAgainLater,
  });
  const signInPrompt = new SignInPromptPresenter({
    useBalloon,
    tray: deps.tray,
    notifications: deps.notifications,
    power: deps.power,
    timers: deps.timers,
    engine: deps.engine,
    content: signInPromptContent(deps.platform),
    balloonSeconds: config.balloonSeconds,
    logger: deps.loggerFor('signInPrompt'),
    // The status window first: the broker's picker belongs to it and comes to the front.
    onClick: () => {
      hooks.openStatusWindow();
      hooks.signIn();
    },
  });
  const afterChange = new AfterChangeNotices({
    useBalloon,
    tray: deps.tray,
    notifications: deps.notifications,
    timers: deps.timers,
    balloonSeconds: config.balloonSeconds,
    timeZone: deps.timeZone,
    savedSignIns: config.offerCredentialCleanup ? (deps.savedSignIns ?? null) : null,
    openStatusWindow: hooks.openStatusWindow,
    onChange: hooks.refresh,
    logger: deps.loggerFor('afterChange'),
  });
  return { presenter, signInPrompt, afterChange };
}
