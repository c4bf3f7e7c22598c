/**
 * How a status report is presented: which tray icon, which button goes with an error. Shared by
 * the main process (tray) and the status window so both always agree.
 */
import type { ErrorKind, StatusReport } from './model';

export type TrayIconState = 'ok' | 'expiring' | 'expired' | 'signed-out' | 'error';

export const TRAY_ICON_STATES: readonly TrayIconState[] = Object.freeze([
  'ok',
  'expiring',
  'expired',
  'signed-out',
  'error',
]);

/** Errors that simply mean "nobody is signed in", not that something is wrong. */
const SIGNED_OUT_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'sign-in-required',
  'cancelled',
]);

/**
 * The tray icon for a report. The grey signed-out icon also stands for "no figure to show" (not
 * checked yet, or an expiry managed elsewhere), which is not an error the user must act on.
 */
export function trayIconStateFor(report: StatusReport | null): TrayIconState {
  if (report === null) return 'signed-out';
  if (report.error?.kind === 'password-expired') return 'expired';
  if (
    report.account === null &&
    (report.error === null || SIGNED_OUT_KINDS.has(report.error.kind))
  ) {
    return 'signed-out';
  }
  if (report.error !== null) return 'error';
  switch (report.password.state) {
    case 'expired':
      return 'expired';
    case 'expiring':
      return 'expiring';
    case 'ok':
    case 'never':
      return 'ok';
    case 'unknown':
      return 'signed-out';
  }
}

/**
 * The one button offered with an error. `change-password` opens the report's changePasswordUrl,
 * which the engine already points at the reset page once the password has expired.
 */
export type ErrorAction = 'change-password' | 'reset-password' | 'sign-in' | 'check-now';

export function errorActionFor(kind: ErrorKind): ErrorAction | null {
  switch (kind) {
    case 'password-expired':
    case 'account-locked':
      return 'reset-password';
    case 'password-change-required':
      return 'change-password';
    case 'password-changed':
    case 'sign-in-required':
    case 'wrong-credentials':
    case 'mfa-required':
    case 'cancelled':
      return 'sign-in';
    case 'network':
    case 'service':
    case 'keyring-unavailable':
    case 'local-storage':
    case 'unknown':
      return 'check-now';
    // Only IT can fix these: a button would invite a loop of failing attempts.
    case 'account-disabled':
    case 'blocked-by-policy':
    case 'consent-required':
    case 'configuration':
    case 'directory-refused':
      return null;
  }
}

/**
 * Whether the menu and window offer "Sign out" (a cloud account is known) or "Sign in" (also
 * beside a figure from the domain logon alone, which has no account to sign out of).
 */
export function isSignedIn(report: StatusReport | null): boolean {
  return report !== null && report.account !== null && report.account.tenantId !== null;
}
