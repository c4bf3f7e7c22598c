/**
 * When the tray checks next: the earliest of the next reminder, the next local day (for the day
 * count), a retry while offline or a re-check while a password is on its way.
 */
import { startOfNextLocalDay } from '../../core/localCalendar';
import type { ErrorKind, StatusReport } from '../../core/model';
import { nextReminderAfterShown } from '../../core/reminderSchedule';
import type { ReminderCadence } from '../../core/reminderSchedule';

/** setTimeout holds a signed 32-bit delay; longer waits are split and re-armed. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** While offline, retry after these waits (the last one repeats). */
export const OFFLINE_RETRY_DELAYS_MS: readonly number[] = Object.freeze([
  60_000, 120_000, 300_000, 600_000, 900_000,
]);

/**
 * While a retry waits, the network is looked at this often (Electron's main process has no event
 * for it, only `net.isOnline()`); going from offline to online checks at once.
 */
export const NETWORK_POLL_MS = 30_000;

/**
 * While a password changed on-premises is on its way to Microsoft 365, check again after these
 * waits (the last one repeats) to confirm it arrived. Sync runs every two minutes.
 */
export const SYNC_RECHECK_DELAYS_MS: readonly number[] = Object.freeze([
  180_000, 300_000, 600_000, 900_000,
]);

/**
 * A reminder due while the user is away, or while the desktop shows no notifications
 * (presentation, a full-screen app), is offered again this much later.
 */
export const AWAY_REMINDER_RETRY_MS = 10 * 60_000;

export type CheckReason =
  | 'start'
  | 'resume'
  | 'unlock-screen'
  | 'due'
  | 'day-change'
  | 'retry'
  | 'reminder-retry'
  | 'network'
  | 'sync-recheck'
  | 'user';

/** What a check produced: the report and what happened to a due reminder. */
export interface CheckOutcome {
  report: StatusReport | null;
  /** `user-away`, `deferred` (the desktop shows no notifications now): offered again later. */
  reminder: 'shown' | 'not-due' | 'user-away' | 'deferred';
}

export interface WakeUp {
  at: Date;
  reason: CheckReason;
}

export const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['network', 'service']);

function parseInstant(iso: string | null): Date | null {
  if (iso === null) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The earliest next event after a check, or null when nothing needs a timer. */
export function nextWakeUp(input: {
  outcome: CheckOutcome;
  now: Date;
  timeZone: string;
  offlineAttempt: number;
  dayChangeJitterMs: number;
  /** How many re-checks already found the on-premises change still on its way. */
  syncAttempt?: number;
  /** The reminder cadence (absent: daily). */
  cadence?: ReminderCadence;
}): WakeUp | null {
  const { outcome, now } = input;
  const candidates: WakeUp[] = [];
  const report = outcome.report;
  const retryDelay =
    OFFLINE_RETRY_DELAYS_MS[Math.min(input.offlineAttempt, OFFLINE_RETRY_DELAYS_MS.length - 1)] ??
    900_000;

  if (report === null || (report.error !== null && RETRYABLE_KINDS.has(report.error.kind))) {
    candidates.push({ at: new Date(now.getTime() + retryDelay), reason: 'retry' });
  }
  if (outcome.reminder === 'user-away' || outcome.reminder === 'deferred') {
    candidates.push({
      at: new Date(now.getTime() + AWAY_REMINDER_RETRY_MS),
      reason: 'reminder-retry',
    });
  }
  if (report?.directory?.passwordSync === 'pending') {
    const attempt = Math.min(input.syncAttempt ?? 0, SYNC_RECHECK_DELAYS_MS.length - 1);
    const delay = SYNC_RECHECK_DELAYS_MS[attempt] ?? 900_000;
    candidates.push({ at: new Date(now.getTime() + delay), reason: 'sync-recheck' });
  }
  if (report !== null) {
    // A nextAt at or before now is the reminder just handled; the engine moves it on next check.
    const nextAt = parseInstant(report.reminder.nextAt);
    if (nextAt !== null && nextAt.getTime() > now.getTime()) {
      candidates.push({ at: nextAt, reason: 'due' });
    }
    const nextDay = startOfNextLocalDay(now, input.timeZone);
    // In the final stretch the next reminder comes before tomorrow's check: wake for it.
    const again = outcome.reminder === 'shown' ? nextAfterShown(report, now, input) : null;
    if (again !== null && again.getTime() < nextDay.getTime()) {
      candidates.push({ at: again, reason: 'due' });
    }
    // "Expires in 9 days" must read 8 tomorrow; the jitter spreads an office's checks apart.
    if (report.account !== null && report.password.daysLeft !== null) {
      candidates.push({
        at: new Date(nextDay.getTime() + input.dayChangeJitterMs),
        reason: 'day-change',
      });
    }
  }
  let earliest: WakeUp | null = null;
  for (const candidate of candidates) {
    if (earliest === null || candidate.at.getTime() < earliest.at.getTime()) earliest = candidate;
  }
  return earliest;
}

/** When the reminder just shown for this report comes back (see nextReminderAfterShown). */
export function nextAfterShown(
  report: StatusReport,
  shownAt: Date,
  options: { timeZone: string; cadence?: ReminderCadence },
): Date | null {
  const timing = {
    state: report.password.state,
    expiresAt: parseInstant(report.password.expiresAt),
  };
  return nextReminderAfterShown({
    timing,
    shownAt,
    timeZone: options.timeZone,
    ...(options.cadence ? { cadence: options.cadence } : {}),
  });
}
