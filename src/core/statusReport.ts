/**
 * The status report (the `status --json` contract) and the sentences built from it for the status
 * window, the headless command and reminders.
 */
import type { PasswordUrls } from './errorClassification';
import { exitCodeForErrorKind } from './errorClassification';
import { formatLocalDateTime, formatLocalDay, formatLocalTime } from './localCalendar';
import { messages } from './messages';
import type {
  AccountSummary,
  ClassifiedError,
  ExitCodeValue,
  ExpiryEvaluation,
  ReminderDecision,
  StatusReport,
} from './model';
import { ExitCode } from './model';

export interface StatusReportInput {
  account: AccountSummary | null;
  evaluation: ExpiryEvaluation | null;
  reminder: ReminderDecision | null;
  error: ClassifiedError | null;
  urls: PasswordUrls;
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

function passwordOf(
  evaluation: ExpiryEvaluation | null,
  error: ClassifiedError | null,
): StatusReport['password'] {
  const password: StatusReport['password'] =
    evaluation === null
      ? {
          state: 'unknown',
          lastChanged: null,
          expiresAt: null,
          daysLeft: null,
          source: 'policy',
          reason: error?.message ?? messages.reasons.notChecked,
        }
      : {
          state: evaluation.state,
          lastChanged: iso(evaluation.lastChanged),
          expiresAt: iso(evaluation.expiresAt),
          daysLeft: evaluation.daysLeft,
          source: evaluation.source,
          reason: evaluation.reason,
        };
  // Sign-in itself said the password expired: that outranks any computed state.
  if (error?.kind === 'password-expired' && password.state !== 'expired') {
    return { ...password, state: 'expired', reason: null };
  }
  return password;
}

export function buildStatusReport(input: StatusReportInput): StatusReport {
  const { account, evaluation, reminder, error, urls } = input;
  const password = passwordOf(evaluation, error);
  return {
    account: account === null ? null : { username: account.username, tenantId: account.tenantId },
    password,
    reminder: {
      due: reminder?.due ?? false,
      nextAt: iso(reminder?.nextAt ?? null),
    },
    // The page a click opens: a known password is changed, an expired one can only be reset.
    changePasswordUrl:
      password.state === 'expired' ? urls.resetPasswordUrl : urls.changePasswordUrl,
    error:
      error === null ? null : { kind: error.kind, aadsts: error.aadsts, message: error.message },
  };
}

export function exitCodeForReport(report: StatusReport): ExitCodeValue {
  if (report.error !== null) return exitCodeForErrorKind(report.error.kind);
  switch (report.password.state) {
    case 'expiring':
      return ExitCode.expiring;
    case 'expired':
      return ExitCode.expired;
    case 'ok':
    case 'never':
    case 'unknown':
      return ExitCode.ok;
  }
}

/** The plain sentence a person reads about this report, with times in `timeZone`. */
export function describeStatus(report: StatusReport, timeZone: string): string {
  const { status } = messages;
  if (report.error !== null) return report.error.message;
  if (report.account === null && report.password.state === 'unknown') return status.signedOut;
  const user = report.account?.username ?? null;
  const { state, daysLeft, reason } = report.password;
  const expiresAt = report.password.expiresAt === null ? null : new Date(report.password.expiresAt);
  switch (state) {
    case 'never':
      return status.never(user);
    case 'unknown':
      return reason === messages.reasons.managedOnPremises
        ? status.managedOnPremises(user)
        : status.unknown(user, reason);
    case 'ok':
    case 'expiring': {
      if (expiresAt === null || daysLeft === null) return status.unknown(user, reason);
      const when = formatLocalDateTime(expiresAt, timeZone);
      if (daysLeft <= 0)
        return status.expiresToday(user, formatLocalTime(expiresAt, timeZone), timeZone);
      if (daysLeft === 1) return status.expiresTomorrow(user, when, timeZone);
      return status.expiresInDays(user, daysLeft, when, timeZone);
    }
    case 'expired': {
      if (expiresAt === null || daysLeft === null) return status.expired(user);
      const when = formatLocalDateTime(expiresAt, timeZone);
      if (daysLeft >= 0)
        return status.expiredToday(user, formatLocalTime(expiresAt, timeZone), timeZone);
      if (daysLeft === -1) return status.expiredYesterday(user, when, timeZone);
      return status.expiredDaysAgo(user, -daysLeft, when, timeZone);
    }
  }
}

/** Title and body of the reminder balloon / notification for this report. */
export function reminderContent(
  report: StatusReport,
  timeZone: string,
): { title: string; body: string } {
  const { reminder } = messages;
  const { state, daysLeft } = report.password;
  const expiresAt = report.password.expiresAt === null ? null : new Date(report.password.expiresAt);
  if (state === 'expired') {
    return { title: reminder.titleExpired, body: reminder.bodyExpired };
  }
  if (state === 'expiring' && expiresAt !== null && daysLeft !== null) {
    if (daysLeft <= 0) {
      return {
        title: reminder.titleExpiresToday,
        body: reminder.bodyExpiresToday(formatLocalTime(expiresAt, timeZone)),
      };
    }
    const day = formatLocalDay(expiresAt, timeZone);
    if (daysLeft === 1) {
      return { title: reminder.titleExpiresTomorrow, body: reminder.bodyExpiresTomorrow(day) };
    }
    return {
      title: reminder.titleExpiresInDays(daysLeft),
      body: reminder.bodyExpiresInDays(daysLeft, day),
    };
  }
  return { title: messages.appName, body: describeStatus(report, timeZone) };
}
