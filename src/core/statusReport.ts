/**
 * The status report (the `status --json` contract) and the sentences built from it for the status
 * window, the headless command and reminders.
 */
import type { PasswordUrls } from './errorClassification';
import { exitCodeForErrorKind } from './errorClassification';
import { formatLocalDateTime, formatLocalDay, formatLocalTime, localDate } from './localCalendar';
import { DEFAULT_CONFIG } from './config';
import { messages } from './messages';
import type {
  AccountSummary,
  ClassifiedError,
  DirectoryStatus,
  ExitCodeValue,
  ExpiryEvaluation,
  PasswordChangeStatus,
  ReminderDecision,
  ResetReport,
  ResetStatus,
  StatusReport,
} from './model';
import { ExitCode } from './model';

export interface StatusReportInput {
  account: AccountSummary | null;
  evaluation: ExpiryEvaluation | null;
  reminder: ReminderDecision | null;
  error: ClassifiedError | null;
  urls: PasswordUrls;
  /** The on-premises reading behind a `directory` figure (null or absent for cloud figures). */
  directory?: DirectoryStatus | null;
  /** Where users whose password lives on-premises change it (onPremisesChangePasswordUrl). */
  onPremisesChangePasswordUrl?: string | null;
  /** Whether a self-service reset is possible; absent: the report has no `reset` (older shape). */
  reset?: ResetStatus;
  /** Where methods are added (securityInfoUrl); the page named in the not-ready sentence. */
  securityInfoUrl?: string;
  /** A new password seen by this check (absent or null: none). */
  passwordChanged?: PasswordChangeStatus | null;
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

/** The page a click opens for this password. */
function changePageFor(input: StatusReportInput, password: StatusReport['password']): string {
  const { urls, error } = input;
  const onPremises = input.onPremisesChangePasswordUrl ?? null;
  // A password that lives on-premises is changed (or, once expired, reset) on the organisation's
  // own page: the cloud pages cannot change it without writeback.
  const fromDirectory =
    password.source === 'directory' ||
    (error?.kind === 'password-expired' && error.aadsts === 50144);
  if (onPremises !== null && fromDirectory) return onPremises;
  // A known password is changed, an expired one can only be reset.
  return password.state === 'expired' ? urls.resetPasswordUrl : urls.changePasswordUrl;
}

function resetReportOf(reset: ResetStatus, securityInfoUrl: string): ResetReport {
  return {
    ready: reset.ready,
    methods: [...reset.methods],
    message: reset.ready === false ? messages.afterChange.resetNotReady(securityInfoUrl) : null,
    securityInfoUrl,
  };
}

export function buildStatusReport(input: StatusReportInput): StatusReport {
  const { account, evaluation, reminder, error } = input;
  const password = passwordOf(evaluation, error);
  return {
    account: account === null ? null : { username: account.username, tenantId: account.tenantId },
    password,
    reminder: {
      due: reminder?.due ?? false,
      nextAt: iso(reminder?.nextAt ?? null),
    },
    changePasswordUrl: changePageFor(input, password),
    error:
      error === null ? null : { kind: error.kind, aadsts: error.aadsts, message: error.message },
    directory: password.source === 'directory' ? (input.directory ?? null) : null,
    ...(input.reset === undefined
      ? {}
      : {
          reset: resetReportOf(
            input.reset,
            input.securityInfoUrl ?? DEFAULT_CONFIG.securityInfoUrl,
          ),
        }),
    ...(input.passwordChanged === undefined ? {} : { passwordChanged: input.passwordChanged }),
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

/**
 * What the on-premises reading adds to the sentence: "as of" for a kept reading, and where a
 * change made on-premises stands in Microsoft 365. Empty for cloud figures.
 */
export function directoryNotes(report: StatusReport, timeZone: string): string[] {
  const { status } = messages;
  const directory = report.directory ?? null;
  if (directory === null || report.error !== null) return [];
  const notes: string[] = [];
  const readAt = new Date(directory.readAt);
  if (directory.cached && !Number.isNaN(readAt.getTime())) {
    notes.push(status.asOf(formatLocalDateTime(readAt, timeZone), timeZone));
  }
  if (directory.passwordSync === 'pending') notes.push(status.syncPending);
  if (directory.passwordSync === 'arrived') notes.push(status.syncArrived);
  return notes;
}

/** "Tue 3 Mar 2027" in `timeZone`. */
function dayWithYear(instant: Date, timeZone: string): string {
  return `${formatLocalDay(instant, timeZone)} ${localDate(instant, timeZone).year}`;
}

/** The new password's date (said once) and how Windows' saved logon catches up with it. */
export function passwordChangeNotes(report: StatusReport, timeZone: string): string[] {
  const { afterChange } = messages;
  const changed = report.passwordChanged ?? null;
  if (changed === null || report.error !== null) return [];
  const expiresAt = changed.expiresAt === null ? null : new Date(changed.expiresAt);
  const notes = [
    expiresAt === null || Number.isNaN(expiresAt.getTime())
      ? afterChange.newPassword
      : afterChange.newPasswordUntil(dayWithYear(expiresAt, timeZone)),
  ];
  if (changed.windowsLogonCatchUp) notes.push(afterChange.windowsLogonCatchUp);
  return notes;
}

/** The plain sentence a person reads about this report, with times in `timeZone`. */
export function describeStatus(report: StatusReport, timeZone: string): string {
  return [
    describePassword(report, timeZone),
    ...passwordChangeNotes(report, timeZone),
    ...directoryNotes(report, timeZone),
    ...(report.error === null && report.reset?.message ? [report.reset.message] : []),
  ].join(' ');
}

function describePassword(report: StatusReport, timeZone: string): string {
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
      if (reason === messages.reasons.mustChangeNow) return status.mustChangeNow(user);
      if (expiresAt === null || daysLeft === null) return status.expired(user);
      const when = formatLocalDateTime(expiresAt, timeZone);
      if (daysLeft >= 0)
        return status.expiredToday(user, formatLocalTime(expiresAt, timeZone), timeZone);
      if (daysLeft === -1) return status.expiredYesterday(user, when, timeZone);
      return status.expiredDaysAgo(user, -daysLeft, when, timeZone);
    }
  }
}

/**
 * Title and body of the reminder balloon / notification for this report; a user who could not
 * reset a forgotten password alone is told so after the reminder's own words.
 */
export function reminderContent(
  report: StatusReport,
  timeZone: string,
): { title: string; body: string } {
  const content = reminderWords(report, timeZone);
  const followUp = report.reset?.message ?? null;
  // Any other state's body is describeStatus, which already ends with it.
  const reminding = report.password.state === 'expiring' || report.password.state === 'expired';
  return followUp === null || !reminding
    ? content
    : { ...content, body: `${content.body} ${followUp}` };
}

function reminderWords(report: StatusReport, timeZone: string): { title: string; body: string } {
  const { reminder } = messages;
  const { state, daysLeft } = report.password;
  const expiresAt = report.password.expiresAt === null ? null : new Date(report.password.expiresAt);
  if (state === 'expired') {
    const onPremises = report.password.source === 'directory';
    return {
      title: reminder.titleExpired,
      body: onPremises ? reminder.bodyExpiredOnPremises : reminder.bodyExpired,
    };
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
