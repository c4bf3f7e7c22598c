import type { Logger } from '../../core/ports';
import type { SettingsView } from '../../core/ipcContract';
import { effectiveStartAtLogin } from '../startAtLogin';
import type { PreferencesPort } from '../store/preferencesStore';
import type { LoginItemsPort } from './desktopPorts';

export interface StartAtLoginSettingDeps {
  platform: NodeJS.Platform;
  loginItems: LoginItemsPort;
  preferences: PreferencesPort;
  /** The user's stored choice when the app started. */
  initialChoice: boolean | null;
  /** The admin's value (null: the user decides) and whether policy locks it. */
  policy: boolean | null;
  locked: boolean;
  logger: Logger;
}

/** The tray's "Start at login": the user's choice, the policy, and the system's own switch. */
export class StartAtLoginSetting {
  private choice: boolean | null;
  /** The choice's writes, in order; awaited when the app ends. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StartAtLoginSettingDeps) {
    this.choice = deps.initialChoice;
    if (deps.locked && deps.policy !== null && deps.loginItems.supported) {
      deps.loginItems.setEnabled(deps.policy);
    }
  }

  get pending(): Promise<void> {
    return this.writes;
  }

  /** What the app and policy chose, before the system's own start-up settings have their say. */
  private chosen(): boolean {
    const { deps } = this;
    // On Windows the installers' Run entry starts the app for everyone and the stored choice
    // decides whether it stays; elsewhere the user's login item is the only way it starts.
    const userChoice = deps.platform === 'win32' ? this.choice : deps.loginItems.isEnabled();
    return effectiveStartAtLogin({ policy: deps.policy, locked: deps.locked, userChoice });
  }

  view(): SettingsView['startAtLogin'] {
    const { loginItems, locked } = this.deps;
    const supported = loginItems.supported;
    // Turned off in Task Manager, it does not start at sign-in, whatever the app or policy chose.
    const offInSystem = supported && loginItems.disabledBySystem();
    return { enabled: supported && !offInSystem && this.chosen(), locked, supported, offInSystem };
  }

  set(enabled: boolean): void {
    const { deps } = this;
    if (deps.locked || !deps.loginItems.supported) {
      deps.logger.warn('start at login is decided by policy or unsupported; request ignored');
      return;
    }
    this.choice = enabled;
    // Remembered for the installers' Run entry, which starts the app for every user.
    this.writes = this.writes
      .then(() => deps.preferences.setStartAtLogin(enabled))
      .catch((error: unknown) => {
        deps.logger.error('the start at login choice was not saved', { error: String(error) });
      });
    try {
      deps.loginItems.setEnabled(enabled);
    } catch (error) {
      deps.logger.error('the login item could not be changed', { error: String(error) });
    }
  }
}
