/**
 * Every word the status window shows, in one catalog. English now; another language is another
 * object of the same shape.
 */
import type { DisplayedSettingKey } from '../core/ipcContract';
import type { ExpirySource, PasswordState } from '../core/model';
import type { ErrorAction } from '../core/statusPresentation';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const strings = {
  locale: 'en-GB',
  documentTitle: 'Sign-In Assistant',
  appName: 'Sign-In Assistant',
  statusHeading: 'Password status',
  detailsHeading: 'Details',
  actionsHeading: 'Actions',
  settingsHeading: 'Settings',
  loading: 'Loading the status…',
  notCheckedYet: 'Not checked yet.',
  busy: {
    checking: 'Checking…',
    'signing-in': 'Signing in: finish in your browser…',
    'signing-out': 'Signing out…',
  },
  fields: {
    account: 'Account',
    state: 'State',
    daysLeft: 'Days left',
    expiresAt: 'Expires',
    lastChanged: 'Last changed',
    source: 'Figure from',
    nextReminder: 'Next reminder',
    checkedAt: 'Last checked',
  },
  notSignedIn: 'Not signed in',
  unknownValue: 'Not known',
  noReminderPlanned: 'None planned',
  reminderDueNow: 'Now',
  states: {
    ok: 'OK',
    expiring: 'Expiring soon',
    expired: 'Expired',
    never: 'Never expires',
    unknown: 'Not known',
  } satisfies Record<PasswordState, string>,
  sources: {
    graph: 'Microsoft Graph (your organisation’s directory)',
    token: 'Your sign-in token (the directory’s own expiry)',
    policy: 'Your organisation’s password policy (configured days)',
    directory: 'Your organisation’s on-premises directory (Active Directory)',
  } satisfies Record<ExpirySource, string>,
  directory: {
    readAt: 'Read from the directory',
    kept: 'kept from the last reading',
    asOf: (when: string) =>
      `As of ${when}: the on-premises directory cannot be reached right now (connect to the office network or VPN to refresh).`,
    syncPending:
      'Your new password reaches Microsoft 365 in a few minutes. Until then, use your old password there.',
    syncArrived: 'Your new password now works in Microsoft 365.',
  },
  summary: {
    signedOut: 'Not signed in. Sign in to see when your password expires.',
    expiresInDays: (n: number) => `Your password expires in ${plural(n, 'day', 'days')}.`,
    expiresTomorrow: 'Your password expires tomorrow.',
    expiresToday: 'Your password expires today.',
    expired: 'Your password has expired.',
    never: 'Your password never expires.',
    unknown: 'When your password expires is not known.',
  },
  daysLeft: (n: number) =>
    n < 0
      ? `Expired ${plural(-n, 'day', 'days')} ago`
      : n === 0
        ? 'Today'
        : plural(n, 'day', 'days'),
  buttons: {
    changePassword: 'Change password',
    resetPassword: 'Reset password',
    checkNow: 'Check now',
    signIn: 'Sign in',
    signOut: 'Sign out',
  },
  errorActions: {
    'change-password': 'Change password',
    'reset-password': 'Reset password',
    'sign-in': 'Sign in again',
    'check-now': 'Try again',
  } satisfies Record<ErrorAction, string>,
  errorHeading: 'Something needs your attention',
  contactIt: 'Please contact your IT department.',
  linkNotOpened: 'The page could not be opened.',
  actionFailed: 'That did not work. Please try again.',
  startAtLogin: 'Start Sign-In Assistant when I sign in to this computer',
  startAtLoginUnsupported: 'Not available on this system',
  /** Says "Startup apps" like the tray menu's "Start at login (turned off in Startup apps)". */
  startAtLoginOffInSystem:
    'Turned off in Startup apps (Windows Settings › Apps › Startup). Turn it on there to start Sign-In Assistant when you sign in.',
  lockedBadge: 'Set by your organisation',
  settings: {
    notificationWindowDays: 'Reminders start (days before expiry)',
    passwordValidityDays: 'Password valid for (days)',
    balloonSeconds: 'Reminder shown for (seconds)',
    changePasswordUrl: 'Change-password page',
    resetPasswordUrl: 'Reset-password page',
  } satisfies Record<DisplayedSettingKey, string>,
  neverExpiresDays: 'Never expires',
  afterChange: {
    newPasswordUntil: (day: string) => `Your new password is good until ${day}.`,
    newPassword: 'Your new password is in place.',
    windowsLogonCatchUp:
      'Windows on this computer still accepts only your old password until it reaches your organisation: connect to the office network or VPN, then lock the computer (Windows key + L) and unlock it with the new password.',
    addResetMethod: 'Add a phone or the Authenticator app',
    savedSignInsHeading: 'Old saved sign-ins',
    savedSignInsIntro:
      'Windows still keeps these copies of your old password. Apps that use them keep asking you to sign in.',
    removeSavedSignIns: (n: number) =>
      `Remove ${n === 1 ? '1 saved sign-in that still holds' : `${n} saved sign-ins that still hold`} your old password`,
    entry: (target: string, userName: string | null) =>
      userName === null ? target : `${target} (${userName})`,
    removed: (names: string) =>
      `Removed: ${names}. Restart Outlook and Teams to sign in with the new password.`,
    failed: (names: string) => `Could not remove: ${names}.`,
    nothingLeft: 'No saved sign-ins hold your old password any more.',
  },
};

export type Strings = typeof strings;
