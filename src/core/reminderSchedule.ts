/**
 * The reminder rule: once the notification window opens, one reminder per local calendar day, also
 * after expiry, until the password changes. A new password resets the rule.
 */
import { compareLocalDates, localDate, startOfNextLocalDay } from './localCalendar';
import type { ExpiryEvaluation, ReminderDecision, ReminderRecord } from './model';

/** The value to store in ReminderRecord.passwordLastChanged for this evaluation. */
export function reminderKey(evaluation: ExpiryEvaluation): string | null {
  return evaluation.lastChanged?.toISOString() ?? null;
}

export interface ReminderInput {
  evaluation: ExpiryEvaluation;
  last: ReminderRecord | null;
  now: Date;
  timeZone: string;
}

export function decideReminder(input: ReminderInput): ReminderDecision {
  const { evaluation, last, now, timeZone } = input;
  switch (evaluation.state) {
    case 'ok':
      return { due: false, nextAt: evaluation.windowStartsAt };
    case 'never':
    case 'unknown':
      return { due: false, nextAt: null };
    case 'expiring':
    case 'expired': {
      if (last !== null && alreadyShownToday(last, reminderKey(evaluation), now, timeZone)) {
        return { due: false, nextAt: startOfNextLocalDay(now, timeZone) };
      }
      return { due: true, nextAt: now };
    }
  }
}

function alreadyShownToday(
  last: ReminderRecord,
  key: string | null,
  now: Date,
  timeZone: string,
): boolean {
  if (last.passwordLastChanged !== key) return false;
  if (!(last.shownAt instanceof Date) || Number.isNaN(last.shownAt.getTime())) return false;
  // Equality, not "on or after": a record from a clock set in the future must not mute reminders.
  return compareLocalDates(localDate(last.shownAt, timeZone), localDate(now, timeZone)) === 0;
}
