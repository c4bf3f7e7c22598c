/**
 * `status --notify`'s answer to "what did the user see?", the `notified` field of `status --json`
 * (null without --notify). IT scripts report it (deploy/intune/Remediate-PasswordExpiry.ps1).
 */
import type { StatusReport } from './model';

export const NOTIFY_OUTCOMES = Object.freeze([
  /** The reminder is on screen (and recorded for the day). */
  'shown',
  /** Nothing is due today: password fine, never expires, unknown, or the check failed. */
  'not-due',
  /** Today's reminder (or the sign-in prompt) was already shown, by the tray or an earlier run. */
  'already-shown',
  /** The one first-run sign-in prompt was shown. */
  'sign-in-prompt',
  /** Something was due, but the desktop refused it or a state file could not be used. */
  'could-not-show',
] as const);

export type NotifyOutcome = (typeof NOTIFY_OUTCOMES)[number];

/**
 * What the report alone decides before anything is shown: null when a reminder is due (then the
 * desktop decides), otherwise why nothing will be shown. The reminder rule keeps an expiring or
 * expired password due every day until that day's reminder is recorded, so "not due" for such a
 * password means it was shown today already.
 */
export function reminderOutcomeBeforeShowing(report: StatusReport): NotifyOutcome | null {
  if (report.reminder.due) return null;
  const state = report.password.state;
  if (report.error === null && (state === 'expiring' || state === 'expired')) {
    return 'already-shown';
  }
  return 'not-due';
}
