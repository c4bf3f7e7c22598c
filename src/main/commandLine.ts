/**
 * How the app was launched, read from its command line: a headless command for IT scripts
 * (`"Sign-In Assistant.exe" status --json`), the sign-in entry (`--at-login`), or a plain start.
 * Pure, so the composition root's decisions are tested without Electron.
 */
import { join } from 'node:path';
import { userDataHome } from './paths';

/** The first arguments that make a launch a headless command instead of the tray app. */
export const COMMAND_WORDS: readonly string[] = Object.freeze([
  'sign-in',
  'status',
  'sign-out',
  'diagnostics',
  '--help',
  '--version',
]);

/** Added by the installers' Run entry and the start-at-login item. */
export const AT_LOGIN_ARGUMENT = '--at-login';

/** A launch that opens the status window once running (a click on the command's sign-in prompt). */
export const STATUS_WINDOW_ARGUMENT = '--status-window';

/**
 * The arguments the user passed after the executable (and, when run as `electron .`, after the
 * app path). `defaultApp` is Electron's `process.defaultApp`: true only in development.
 */
export function userArguments(argv: readonly string[], defaultApp: boolean): string[] {
  return argv.slice(defaultApp ? 2 : 1);
}

/**
 * Chromium's own switches that a script may put on the command line of the command, e.g.
 * `--ozone-platform=headless` on Linux without a display (Chromium reads them before the app
 * starts). They may stand anywhere and are never handed to the command.
 */
const CHROMIUM_SWITCH =
  /^--(ozone-platform|disable-gpu|no-sandbox|enable-logging|log-level|v)(=|$)/;

/** Switches the app sets for the headless command: no GPU, no Chromium log on the console. */
export const COMMAND_MODE_SWITCHES: readonly (readonly [string, string?])[] = Object.freeze([
  ['disable-gpu'],
  ['disable-software-rasterizer'],
  ['log-level', '3'],
]);

/** The arguments for the headless command, or null when this launch is the tray app. */
export function commandInvocation(argv: readonly string[], defaultApp: boolean): string[] | null {
  const args = userArguments(argv, defaultApp).filter((arg) => !CHROMIUM_SWITCH.test(arg));
  const first = args[0];
  return first !== undefined && COMMAND_WORDS.includes(first) ? args : null;
}

/**
 * True when the sign-in entry started the app. Chromium may add or reorder switches, so the
 * argument is looked for anywhere. It also reads the argv a second launch hands over, which comes
 * from outside the process: anything but a list (missing, null) counts as a launch by the user.
 */
export function isAtLoginLaunch(argv: unknown): boolean {
  return Array.isArray(argv) && argv.includes(AT_LOGIN_ARGUMENT);
}

/**
 * Chromium's profile folder (Electron's `userData`, which also holds the single-instance lock).
 * The headless command gets its own, apart from the tray app's, which may be running. With
 * SIGNIN_ASSISTANT_HOME (tests, demos) both live under it, away from the user's real ones. On
 * Windows both live in the per-user folder in Local AppData: Electron's default is Roaming
 * AppData, which Folder Redirection and roaming profiles carry to a network share, caches and all.
 */
export function electronUserDataFolder(
  mode: 'tray' | 'command',
  defaultFolder: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  homeDir: string,
): string {
  const own = env.SIGNIN_ASSISTANT_HOME?.trim() || platform === 'win32';
  const base = own ? join(userDataHome(env, platform, homeDir), 'electron') : defaultFolder;
  return mode === 'command' ? join(base, 'command') : base;
}
