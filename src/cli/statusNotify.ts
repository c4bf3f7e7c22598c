/**
 * `status --notify`: shows what is due and says what happened (the `notified` field). Steps run
 * in order and the first with an answer wins; a step for reports that need a sign-in (the
 * first-run sign-in prompt) goes ahead of the reminder, which answers for every report.
 */
import type { NotifyOutcome } from '../core/notifyOutcome';
import { reminderOutcomeBeforeShowing } from '../core/notifyOutcome';
import type { StatusReport } from '../core/model';
import type { AssistantEngine } from '../core/ports';
import { reminderContent } from '../core/statusReport';
import type { DesktopNotifier } from '../main/desktopNotifier';
import type { LoadedConfig } from '../main/configLoader';
import { StateFileError } from '../main/store/stateFileAccess';
import { openAllowedPage } from '../main/systemBrowser';

/** One way of telling the user something; null: not this step's report. */
export type NotifyStep = (report: StatusReport) => Promise<NotifyOutcome | null>;

export interface ReminderStepDeps {
  engine: Pick<AssistantEngine, 'claimReminder'>;
  loaded: LoadedConfig;
  timeZone: string;
  err: (text: string) => void;
  /** Loaded only when a reminder is due (the notification backends are not small). */
  notifier: () => Promise<DesktopNotifier>;
}

/** Runs the steps; the reminder step should be last, as it answers for every report. */
export async function runNotifySteps(
  steps: readonly NotifyStep[],
  report: StatusReport,
): Promise<NotifyOutcome> {
  for (const step of steps) {
    const outcome = await step(report);
    if (outcome !== null) return outcome;
  }
  return 'not-due';
}

/**
 * The due reminder, at most once per local day across all processes: the day is claimed before
 * anything is shown (a second process or the tray then stays quiet), given back when the desktop
 * refused it, and recorded once shown. Resolves when the notice is gone and a click's page has
 * opened. The password's state stays the exit code; the reminder's own trouble is said apart.
 */
export function reminderStep(deps: ReminderStepDeps): NotifyStep {
  return async (report) => {
    const early = reminderOutcomeBeforeShowing(report);
    if (early !== null) return early;
    try {
      return await showReminder(deps, report);
    } catch (error) {
      if (!(error instanceof StateFileError)) throw error;
      deps.err(`Could not show the reminder: ${error.message}`);
      return 'could-not-show';
    }
  };
}

async function showReminder(deps: ReminderStepDeps, report: StatusReport): Promise<NotifyOutcome> {
  const { config } = deps.loaded;
  const content = reminderContent(report, deps.timeZone);
  const configured = [
    config.changePasswordUrl,
    config.resetPasswordUrl,
    ...(config.onPremisesChangePasswordUrl === null ? [] : [config.onPremisesChangePasswordUrl]),
  ];
  // Loaded before the day is claimed: the time between "showing" and the notice stays short, so a
  // run killed in between rarely leaves the day taken with nothing shown.
  let notifier: DesktopNotifier;
  try {
    notifier = await deps.notifier();
  } catch (error) {
    deps.err(`Could not show a desktop notification (${(error as Error).message}).`);
    return 'could-not-show';
  }
  const claim = await deps.engine.claimReminder(report, new Date());
  if (!claim) return 'already-shown';
  // From here a crash keeps the day taken (the notification may be on screen already); before,
  // the next run would take the day over.
  await claim.showing();
  let result: { shown: boolean; error?: string };
  try {
    result = await notifier.show({
      title: content.title,
      body: content.body,
      seconds: config.balloonSeconds,
      onClick: () =>
        openAllowedPage(report.changePasswordUrl, configured).catch((error: Error) =>
          deps.err(error.message),
        ),
    });
  } catch (error) {
    result = { shown: false, error: (error as Error).message };
  }
  if (result.shown) {
    await claim.confirm(new Date());
    return 'shown';
  }
  await claim.release();
  deps.err(`Could not show a desktop notification (${result.error ?? 'no notification service'}).`);
  return 'could-not-show';
}
