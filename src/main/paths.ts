import { join } from 'node:path';

/**
 * The per-user folder for the token cache lock, the reminder record and other state:
 * %LOCALAPPDATA%\SignInAssistant, ~/Library/Application Support/SignInAssistant or
 * $XDG_CONFIG_HOME/signin-assistant. SIGNIN_ASSISTANT_HOME overrides it (tests, demos, IT).
 *
 * On Windows it is Local, not Roaming, AppData: Folder Redirection and roaming profiles never move
 * Local AppData to a network share, and the token cache is DPAPI-protected for this device. It
 * shares the folder with the command's code cache (`Cache`, see src/cli/launcher.ts) and the logs
 * (`logs`, see logging/logPaths.ts); earlier versions' state is moved here from Roaming AppData
 * once (see store/roamingState.ts).
 */
export function userDataHome(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  homeDir: string,
): string {
  const override = env.SIGNIN_ASSISTANT_HOME?.trim();
  if (override) return override;
  if (platform === 'win32') {
    return join(env.LOCALAPPDATA ?? join(homeDir, 'AppData', 'Local'), 'SignInAssistant');
  }
  if (platform === 'darwin') {
    return join(homeDir, 'Library', 'Application Support', 'SignInAssistant');
  }
  const xdg = env.XDG_CONFIG_HOME?.trim();
  return join(xdg ? xdg : join(homeDir, '.config'), 'signin-assistant');
}

/**
 * Where versions before the move to Local AppData kept the per-user state on Windows, logs
 * included: %APPDATA%\SignInAssistant. Its files are moved once (see store/roamingState.ts).
 */
export function roamingDataHome(env: NodeJS.ProcessEnv, homeDir: string): string {
  return join(env.APPDATA ?? join(homeDir, 'AppData', 'Roaming'), 'SignInAssistant');
}

/** The file names inside the per-user folder, in one place. */
export const stateFiles = Object.freeze({
  tokenCache: 'token-cache.json',
  reminder: 'reminder.json',
  domainPolicy: 'domain-policy.json',
  authorityMetadata: 'authority-metadata.json',
  lastStatus: 'last-status.json',
  preferences: 'preferences.json',
  directoryReading: 'directory-reading.json',
  signInState: 'sign-in-state.json',
  resetReadiness: 'reset-readiness.json',
  passwordSeen: 'password-seen.json',
});
