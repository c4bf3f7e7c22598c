/**
 * Start at login on Windows, where the installers add a Run entry of their own: the MSI (and the
 * all-users NSIS install) under HKLM for every user, a per-user NSIS install under HKCU. While such
 * an entry exists the app never adds a Run value of its own (that would start it twice per
 * sign-in, and no uninstaller could remove it for every user): the user's choice lives in
 * preferences.json, read by the `--at-login` start. A value the app wrote before is removed.
 * Without an installer entry (a copy run from a folder) the app's own HKCU value is the setting.
 * Task Manager's and Settings' Startup switch is read back, never overridden.
 */
import type { Logger } from '../core/ports';
import type { LoginItemsPort } from './tray/desktopPorts';

/** The value name both installers write under the Run key (deploy/msiProjectCreated.mjs). */
export const INSTALLER_RUN_VALUE_NAME = 'SignInAssistant';

/** The value name of the app's own per-user entry: Electron's default, the app user model ID. */
export const OWN_RUN_VALUE_NAME = 'com.signinassistant.app';

/** One Run entry that starts this executable at sign-in. */
export interface RunEntry {
  /** The value name under the Run key. */
  name: string;
  /** `user`: HKCU; `machine`: HKLM. */
  scope: 'user' | 'machine';
  /** False when turned off in Task Manager or Settings › Apps › Startup (StartupApproved). */
  enabled: boolean;
}

/** The Run entries of this executable, and the app's own per-user value. */
export interface RunEntriesPort {
  list(): readonly RunEntry[];
  /** Writes (true) or removes (false) the app's own HKCU Run value. */
  setOwnEntry(enabled: boolean): void;
}

export function createWindowsLoginItems(entries: RunEntriesPort, logger: Logger): LoginItemsPort {
  /** The two entries that matter, or null when the Run keys could not be read (logged). */
  const read = () => {
    let all: readonly RunEntry[];
    try {
      all = entries.list();
    } catch (error) {
      logger.error('the start-up entries could not be read', { error: String(error) });
      return null;
    }
    return {
      installer: all.find((entry) => entry.name === INSTALLER_RUN_VALUE_NAME) ?? null,
      own: all.find((entry) => entry.name === OWN_RUN_VALUE_NAME && entry.scope === 'user') ?? null,
    };
  };

  /** Removes the app's own value where an installer entry already starts the app. */
  const removeDuplicate = (): void => {
    const { installer, own } = read() ?? { installer: null, own: null };
    if (installer === null || own === null) return;
    entries.setOwnEntry(false);
    logger.info('removed the per-user start-up entry: the installer entry starts the app', {
      installerScope: installer.scope,
    });
  };

  try {
    removeDuplicate();
  } catch (error) {
    logger.error('the start-up entries could not be tidied', { error: String(error) });
  }

  return {
    supported: true,
    isEnabled() {
      const found = read();
      if (found === null) return false;
      if (found.installer !== null) return found.installer.enabled;
      return found.own !== null && found.own.enabled;
    },
    setEnabled(enabled) {
      const found = read();
      // Unknown entries: writing one could start the app twice; the choice is still saved.
      if (found === null) return;
      if (found.installer !== null) {
        // The choice is in preferences.json; the installer entry stays as IT deployed it.
        removeDuplicate();
        return;
      }
      entries.setOwnEntry(enabled);
    },
    disabledBySystem() {
      const found = read();
      return found !== null && (found.installer ?? found.own)?.enabled === false;
    },
  };
}
