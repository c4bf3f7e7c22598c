/**
 * Every English sentence and label the engine shows to a person, in one place so the wording stays
 * consistent between the tray, the status window, reminders and the headless command.
 */

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function whose(username: string | null): string {
  return username === null ? 'Your password' : `Password for ${username}`;
}

function code(aadsts: number | null): string {
  return aadsts === null ? '' : ` (error AADSTS${aadsts})`;
}

export const messages = Object.freeze({
  appName: 'Sign-In Assistant',

  actions: Object.freeze({
    changePassword: 'Change password',
    resetPassword: 'Reset password',
    signIn: 'Sign in',
    signInAgain: 'Sign in again',
    tryAgain: 'Try again',
  }),

  /** Why an evaluation is `unknown` or `never` (the `reason` of the JSON contract). */
  reasons: Object.freeze({
    /** Exact wording relied on by IT scripts: synced users' expiry lives in on-premises AD. */
    managedOnPremises: 'managed on-premises',
    noPasswordFacts: 'the account details could not be read',
    noLastChange: 'the date of the last password change is not available',
    accountNeverExpires: 'the account is set so that its password never expires',
    policyNeverExpires: 'the password policy sets no expiry',
    invalidPolicy: 'the password policy is not valid',
    notChecked: 'not checked yet',
    /** The on-premises directory demands a new password now (pwdLastSet 0). */
    mustChangeNow: 'the on-premises directory requires a new password now',
    directoryPasswordExpired: 'the on-premises domain refused the logon: the password has expired',
    directoryNeverExpires: 'the on-premises directory sets no expiry for this password',
    directoryUnusable: 'the on-premises directory did not say when the password expires',
    /** The logon's AD entry is not the signed-in Microsoft 365 user's (a shared computer). */
    directoryOtherUser: 'the on-premises logon belongs to another user',
    /** No name on both sides to tell whose the logon's AD entry is: it is not taken as theirs. */
    directoryNoOnPremisesNames:
      "the on-premises logon is not taken as this user's: Microsoft 365 names no on-premises account for them",
    directoryEntryUnnamed:
      "the on-premises logon is not taken as this user's: its directory entry has no name to compare",
    /** Mode `on`: the directory could not be read and no earlier reading is kept. */
    directoryFailed: (kind: string) => `the on-premises directory could not be read (${kind})`,
  }),

  /** One sentence per error kind; `aadsts` is shown only where it helps IT. */
  errors: Object.freeze({
    passwordExpired: 'Your password has expired. Reset it to sign in again.',
    onPremisesPasswordExpired:
      'Your Windows (network) password has expired. Reset it to sign in again.',
    passwordChanged: 'Your password changed. Sign in again.',
    passwordChangeRequired: 'You need to change your password now.',
    signInRequired: 'Your sign-in has expired. Sign in again.',
    wrongCredentials: 'The user name or password is not correct. Try again.',
    accountLocked:
      'Your account is locked after too many sign-in attempts. Wait a few minutes or reset your password.',
    accountDisabled: 'Your account is disabled. Contact your IT department.',
    mfaRequired: 'Additional verification is needed. Sign in to continue.',
    blockedByPolicy: (aadsts: number | null) =>
      `Your organisation's access policy blocked this sign-in${code(aadsts)}. Contact your IT department.`,
    consentRequired: (aadsts: number | null) =>
      `Sign-In Assistant needs permission that has not been granted${code(aadsts)}. Contact your IT department.`,
    configuration: (aadsts: number | null) =>
      `Sign-In Assistant is not set up correctly for your organisation${code(aadsts)}. Contact your IT department.`,
    keyringUnavailable:
      "Your sign-in could not be saved because the system's secure storage is not available.",
    localStorage:
      "Sign-In Assistant could not use its files in your user folder. Check the disk and the folder's permissions.",
    network: 'Could not reach the sign-in service. Check your network connection and try again.',
    certificateUntrusted: (tlsCode: string, graph: boolean) =>
      `The certificate of ${graph ? 'Microsoft Graph' : 'the sign-in service'} was not trusted (${tlsCode}), so Sign-In Assistant did not connect. A proxy or security product may be intercepting the connection: contact your IT department.`,
    service: 'The sign-in service did not answer properly. Try again later.',
    graphNetwork:
      'Could not reach Microsoft Graph to read your password details. Check your network connection and try again.',
    graphService:
      'Microsoft Graph sent an answer about your password that cannot be used. Try again later.',
    directoryRefused:
      "Your organisation's directory (Microsoft Graph) refused to let Sign-In Assistant read your password details. Contact your IT department.",
    cancelled: 'Sign-in was cancelled.',
    unknown: (aadsts: number | null) =>
      `Sign-in failed${code(aadsts)}. Try again, or contact your IT department if it keeps happening.`,
  }),

  /** Plain sentences describing the password's state. */
  status: Object.freeze({
    signedOut: 'Not signed in. Sign in to see when your password expires.',
    expiresInDays: (username: string | null, n: number, when: string, zone: string) =>
      `${whose(username)} expires in ${days(n)}, on ${when} (${zone}).`,
    expiresTomorrow: (username: string | null, when: string, zone: string) =>
      `${whose(username)} expires tomorrow, on ${when} (${zone}).`,
    expiresToday: (username: string | null, time: string, zone: string) =>
      `${whose(username)} expires today at ${time} (${zone}).`,
    expiredToday: (username: string | null, time: string, zone: string) =>
      `${whose(username)} expired today at ${time} (${zone}).`,
    expiredYesterday: (username: string | null, when: string, zone: string) =>
      `${whose(username)} expired yesterday, on ${when} (${zone}).`,
    expiredDaysAgo: (username: string | null, n: number, when: string, zone: string) =>
      `${whose(username)} expired ${days(n)} ago, on ${when} (${zone}).`,
    expired: (username: string | null) => `${whose(username)} has expired.`,
    never: (username: string | null) => `${whose(username)} never expires.`,
    managedOnPremises: (username: string | null) =>
      `${whose(username)} is managed on-premises: ask your IT department when it expires.`,
    mustChangeNow: (username: string | null) =>
      `${whose(username)} must be changed now: your organisation requires a new password.`,
    /** Added after the sentence when the figure is the last reading kept from the directory. */
    asOf: (when: string, zone: string) =>
      `As of ${when} (${zone}): the on-premises directory cannot be reached right now.`,
    syncPending:
      'Your new password reaches Microsoft 365 in a few minutes; until then, Microsoft 365 still accepts the old one.',
    syncArrived: 'Your new password now works in Microsoft 365.',
    unknown: (username: string | null, reason: string | null) =>
      `When ${username === null ? 'your password' : `the password for ${username}`} expires is not known${reason ? `: ${reason}` : ''}.`,
  }),

  /** Around the change: a way to reset it, the new password, old saved sign-ins. */
  afterChange: Object.freeze({
    resetNotReady: (url: string) =>
      `You could not reset your password yourself if you forgot it: add a phone or the Authenticator app at ${url}.`,
    titleNewPassword: 'Password changed',
    newPasswordUntil: (day: string) => `Your new password is good until ${day}.`,
    newPassword: 'Your new password is in place.',
    windowsLogonCatchUp:
      'Windows on this computer still accepts only your old password until it reaches your organisation: connect to the office network or VPN, then lock the computer (Windows key + L) and unlock it with the new password.',
    titleSavedSignIns: 'Old saved sign-ins',
    removeSavedSignIns: (n: number) =>
      `Remove ${n === 1 ? '1 saved sign-in that still holds' : `${n} saved sign-ins that still hold`} your old password`,
  }),

  /** The reminder balloon / notification. */
  reminder: Object.freeze({
    titleExpiresInDays: (n: number) => `Password expires in ${days(n)}`,
    titleExpiresTomorrow: 'Password expires tomorrow',
    titleExpiresToday: 'Password expires today',
    titleExpired: 'Password expired',
    bodyExpiresInDays: (n: number, day: string) =>
      `Your password expires in ${days(n)} (${day}). Click to change it now.`,
    bodyExpiresTomorrow: (day: string) =>
      `Your password expires tomorrow (${day}). Click to change it now.`,
    bodyExpiresToday: (time: string) =>
      `Your password expires today at ${time}. Click to change it now.`,
    bodyExpired: 'Your password has expired. Click to reset it now.',
    bodyExpiredOnPremises: 'Your Windows (network) password has expired. Click to change it now.',
    titleSyncArrived: 'New password ready',
  }),

  /** The one first-run notification where no silent sign-in and no domain logon gave a figure. */
  signInPrompt: Object.freeze({
    title: 'Sign in to Sign-In Assistant',
    body: (iconAt: string) =>
      `Sign in to Sign-In Assistant to get a reminder before your password expires. Click here, or use its icon ${iconAt}.`,
    iconAt: (platform: string) =>
      platform === 'win32'
        ? 'in the hidden icons, next to the clock'
        : platform === 'darwin'
          ? 'in the menu bar'
          : 'in the system tray',
  }),
});
