/** What the tray app is given (its injected parts) and what it offers the composition root. */
import type { ResolvedConfig } from '../../core/config';
import type { SettingsView, StatusView } from '../../core/ipcContract';
import type { AssistantEngine, Clock, Logger } from '../../core/ports';
import type { DiagnosticsVersions } from '../diagnostics';
import type { PreferencesPort, UserPreferences } from '../store/preferencesStore';
import type { SavedSignIns } from '../credentials/savedSignIns';
import type {
  AppPort,
  DiagnosticsPort,
  DialogPort,
  IpcPort,
  LoginItemsPort,
  NetworkPort,
  NotificationPort,
  NotificationStatePort,
  PasswordChangeScreenPort,
  PowerMonitorPort,
  ShellPort,
  TimerPort,
  TrayPort,
  WindowFactoryPort,
} from './desktopPorts';

export interface TrayAppDeps {
  platform: NodeJS.Platform;
  resolved: ResolvedConfig;
  engine: AssistantEngine & { dispose(): Promise<void> };
  clock: Clock;
  timeZone: string;
  loggerFor: (module: string) => Logger;
  tray: TrayPort;
  notifications: NotificationPort;
  /** Whether the desktop would show a notification now (Windows' shell; elsewhere `accepts`). */
  notificationState: NotificationStatePort;
  shell: ShellPort;
  power: PowerMonitorPort;
  network: NetworkPort;
  timers: TimerPort;
  loginItems: LoginItemsPort;
  windows: WindowFactoryPort;
  ipc: IpcPort;
  app: AppPort;
  /**
   * Reads the effective configuration again (file and policy), before every check: a policy
   * change is applied by restarting the app, a bad one is logged and the running settings kept.
   */
  reloadConfig: () => Promise<ResolvedConfig>;
  /** Keeps the user's "Start at login" choice across launches. */
  preferences: PreferencesPort;
  /** What the preferences held when the app started. */
  initialPreferences: UserPreferences;
  diagnostics: DiagnosticsPort;
  dialogs: DialogPort;
  /** The app, Electron and Node.js versions, for the About box and diagnostics. */
  versions: DiagnosticsVersions;
  /** Offset past local midnight for the daily refresh, so an office does not check at once. */
  dayChangeJitterMs: number;
  /** Windows: the Windows Security screen, for passwords that live in the domain. */
  passwordChangeScreen?: PasswordChangeScreenPort | null;
  /** The account's saved sign-ins in Windows Credential Manager; absent or null elsewhere. */
  savedSignIns?: SavedSignIns | null;
}

export interface TrayApp {
  /** Resolves when the first check has finished. */
  readonly started: Promise<void>;
  view(): StatusView;
  checkNow(): Promise<StatusView>;
  signIn(): Promise<StatusView>;
  signOut(): Promise<StatusView>;
  changePassword(): Promise<boolean>;
  openStatusWindow(): void;
  /** Writes the diagnostics zip and shows it; the file, or null when it failed (logged, shown). */
  collectDiagnostics(): Promise<string | null>;
  showAbout(): void;
  settings(): SettingsView;
  setStartAtLogin(enabled: boolean): SettingsView;
  /** Releases everything, then ends the app. */
  quit(): Promise<void>;
  /** Releases every timer, listener, window and the tray; safe to call more than once. */
  dispose(): Promise<void>;
}
