import type {
  AccountSummary,
  ClassifiedError,
  DirectoryStatus,
  ExpiryEvaluation,
  ReminderDecision,
  PasswordChangeStatus,
  ReminderRecord,
  ResetStatus,
  StatusReport,
} from '../../core/model';
import { RESET_UNKNOWN } from '../../core/resetReadiness';
import type { Clock, Logger, ReminderStore } from '../../core/ports';
import { decideReminder, reminderSlot } from '../../core/reminderSchedule';
import type { ReminderCadence } from '../../core/reminderSchedule';
import { buildStatusReport } from '../../core/statusReport';
import type { JsonFileStore } from '../store/jsonFileStore';
import type { ReminderClaims } from '../store/reminderClaims';
import type { PasswordUrls } from './errorClassifier';

/** A report as far as it is news: a due reminder's nextAt is always "now", so not that. */
function statusKey(report: StatusReport): string {
  return JSON.stringify({ ...report, reminder: report.reminder.due ? null : report.reminder });
}

export interface ReportBuilderOptions {
  clock: Clock;
  logger: Logger;
  timeZone: string;
  /** Daily, or every few hours in the final stretch (finalDays, finalDaysEveryHours). */
  cadence: ReminderCadence;
  urls: PasswordUrls;
  onPremisesChangePasswordUrl: string | null;
  securityInfoUrl: string;
  reminders: ReminderStore;
  claims: ReminderClaims;
  lastStatus: JsonFileStore<StatusReport>;
  classify: (error: unknown) => ClassifiedError;
}

export interface ReportInput {
  account: AccountSummary | null;
  evaluation: ExpiryEvaluation | null;
  error: ClassifiedError | null;
  directory?: DirectoryStatus | null;
  /** The reminder record, when its reading was started earlier (alongside the request). */
  lastReminder?: Promise<ReminderRecord | null> | undefined;
  /** Whether a self-service reset is possible (not known when absent). */
  reset?: ResetStatus;
  passwordChanged?: PasswordChangeStatus | null;
}

/** A refresh refused for an expired password still deserves the daily reminder. */
function effectiveEvaluation(
  evaluation: ExpiryEvaluation | null,
  error: ClassifiedError | null,
): ExpiryEvaluation | null {
  if (evaluation || error?.kind !== 'password-expired') return evaluation;
  return {
    state: 'expired',
    lastChanged: null,
    expiresAt: null,
    windowStartsAt: null,
    daysLeft: null,
    source: 'policy',
    reason: error.message,
  };
}

/**
 * Turns a check's outcome into the status report (with the reminder decision), and keeps the
 * last report for diagnostics: written in order, off the check's path, only when it is news.
 */
export function createReportBuilder(options: ReportBuilderOptions) {
  const { clock, logger, timeZone, cadence, reminders, claims, lastStatus } = options;
  let pendingWrite: Promise<void> = Promise.resolve();
  // What the file already says (read now, alongside the setup): a new process whose report
  // says nothing new does not rewrite it.
  let lastKey: Promise<string | null> = lastStatus.read().then(
    (kept) => (kept ? statusKey(kept) : null),
    () => null,
  );

  async function decide(
    evaluation: ExpiryEvaluation,
    lastReminder: Promise<ReminderRecord | null> | undefined,
    now: Date,
  ): Promise<ReminderDecision> {
    const reminder = decideReminder({
      evaluation,
      last: await (lastReminder ?? reminders.read()),
      now,
      timeZone,
      cadence,
    });
    if (!reminder.due) return reminder;
    // Another process may have claimed (and be showing) this day's or slot's reminder already.
    const slot = reminderSlot({ timing: evaluation, now, timeZone, cadence });
    if (await claims.isClaimed(slot.day, slot.fromHour)) return { due: false, nextAt: slot.endsAt };
    return reminder;
  }

  function remember(report: StatusReport, key: string): void {
    lastKey = Promise.resolve(key);
    pendingWrite = pendingWrite
      .then(() => lastStatus.write(report))
      .catch((writeError: unknown) => {
        lastKey = Promise.resolve(null);
        logger.warn('Could not record the last status', { error: (writeError as Error).message });
      });
  }

  async function build(input: ReportInput): Promise<StatusReport> {
    const now = clock.now();
    const evaluation = effectiveEvaluation(input.evaluation, input.error);
    let error = input.error;
    let reminder: ReminderDecision = { due: false, nextAt: null };
    if (evaluation) {
      try {
        reminder = await decide(evaluation, input.lastReminder, now);
      } catch (readError) {
        error ??= options.classify(readError);
      }
    }
    const report = buildStatusReport({
      account: input.account,
      evaluation,
      reminder,
      error,
      urls: options.urls,
      directory: input.directory ?? null,
      onPremisesChangePasswordUrl: options.onPremisesChangePasswordUrl,
      reset: input.reset ?? RESET_UNKNOWN,
      securityInfoUrl: options.securityInfoUrl,
      passwordChanged: input.passwordChanged ?? null,
    });
    const key = statusKey(report);
    if (key !== (await lastKey)) remember(report, key);
    return report;
  }

  return { build, flush: () => pendingWrite };
}
