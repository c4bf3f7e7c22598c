/** The tray's own words (menu labels, tooltip), English for now, in one place. */
import { messages } from '../../core/messages';
import type { StatusReport } from '../../core/model';
import type { BusyState } from '../../core/ipcContract';

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

export const trayStrings = Object.freeze({
  appName: messages.appName,
  menu: Object.freeze({
    changePassword: 'Change password…',
    resetPassword: 'Reset password…',
    checkNow: 'Check now',
    collectDiagnostics: 'Collect diagnostics…',
    signIn: 'Sign in…',
    signOut: 'Sign out',
    statusWindow: 'Status window',
    startAtLogin: 'Start at login',
    startAtLoginLocked: 'Start at login (set by your organisation)',
    startAtLoginOffInSystem: 'Start at login (turned off in Startup apps)',
    about: `About ${messages.appName}`,
    quit: 'Quit',
  }),
  busy: Object.freeze({
    checking: 'Checking…',
    'signing-in': 'Signing in… (finish in your browser)',
    'signing-out': 'Signing out…',
  } satisfies Record<NonNullable<BusyState>, string>),
  diagnosticsFailed: Object.freeze({
    title: 'Diagnostics not collected',
    body: (folder: string) =>
      `The diagnostics file could not be written to ${folder}. Details are in the log.`,
  }),
  notCheckedYet: 'Not checked yet',
  /** The tray while the app cannot run: the settings are not valid, or start-up failed. */
  problem: Object.freeze({
    startFailed: (minutes: number) =>
      `Sign-In Assistant could not start; it tries again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}. Details are in the log.`,
    title: 'Sign-In Assistant is not set up correctly',
    detail:
      'It starts by itself once your IT department fixes the settings. Collect diagnostics from the tray menu to send them the details.',
  }),
  signedOut: 'Not signed in',
});

/** The About box: the version, and that IT, not the app, installs updates. */
export function aboutText(version: string): { title: string; message: string; detail: string } {
  return {
    title: trayStrings.menu.about,
    message: `${trayStrings.appName} ${version}`,
    detail: [
      `Version ${version}`,
      'Updates: your IT department installs new versions (no self-update).',
    ].join('\n'),
  };
}

/** Windows refuses tooltips longer than 127 characters. */
export const TOOLTIP_MAX = 127;

/** The one short line for the tooltip and the menu's status item: "Password expires in 9 days". */
export function shortStatusLine(report: StatusReport | null, busy: BusyState): string {
  if (busy !== null) return trayStrings.busy[busy];
  if (report === null) return trayStrings.notCheckedYet;
  if (report.error !== null) return report.error.message;
  if (report.account === null) return trayStrings.signedOut;
  const { state, daysLeft } = report.password;
  // A figure kept from the last on-premises reading says so (the window says as of when).
  const kept = report.directory?.cached === true ? ' (last known)' : '';
  switch (state) {
    case 'ok':
    case 'expiring':
      if (daysLeft === null) break;
      if (daysLeft <= 0) return `Password expires today${kept}`;
      if (daysLeft === 1) return `Password expires tomorrow${kept}`;
      return `Password expires in ${days(daysLeft)}${kept}`;
    case 'expired':
      if (report.password.reason === messages.reasons.mustChangeNow) {
        return 'Password must be changed now';
      }
      return daysLeft !== null && daysLeft < 0
        ? `Password expired ${days(-daysLeft)} ago`
        : 'Password expired';
    case 'never':
      return 'Password never expires';
    case 'unknown':
      break;
  }
  return report.password.reason === messages.reasons.managedOnPremises
    ? 'Password managed on-premises'
    : 'Password expiry not known';
}

export function tooltipFor(report: StatusReport | null, busy: BusyState): string {
  const text = `${trayStrings.appName}: ${shortStatusLine(report, busy)}`;
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}

/** The first line of a message, shortened for a menu line; further lines are counted. */
export function oneLine(message: string, max = 120): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const first = lines[0] ?? '';
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : '';
  const room = Math.max(1, max - more.length);
  return (first.length <= room ? first : `${first.slice(0, room - 1)}…`) + more;
}
