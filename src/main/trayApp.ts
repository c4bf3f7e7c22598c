/**
 * The tray app, wired from injected parts: the engine, the desktop adapters, the clock. It runs
 * the first check at start (no window), keeps the tray in step, shows the daily reminder, answers
 * the status window, and releases every timer and listener when it ends.
 */
import type { ConfigKey, ResolvedConfig } from '../core/config';
import { sameEffectiveConfig } from '../core/config';
import type {
  BusyState,
  DisplayedSettingKey,
  IpcRequests,
  SettingsView,
  StatusView,
} from '../core/ipcContract';
import type { StatusReport } from '../core/model';
import type { AssistantEngine, Clock, Logger } from '../core/ports';
import { reminderContent } from '../core/statusReport';
import type { DiagnosticsVersions } from './diagnostics';
import { effectiveStartAtLogin } from './startAtLogin';
import type { PreferencesPort, UserPreferences } from './store/preferencesStore';
import { CheckScheduler, nextAfterShown } from './tray/checkScheduler';
import type { CheckOutcome } from './tray/checkScheduler';
import type {
  AppPort,
  DiagnosticsPort,
  DialogPort,
  IpcPort,
  LoginItemsPort,
  NetworkPort,
  NotificationPort,
  PasswordChangeScreenPort,
  NotificationStatePort,
  PowerMonitorPort,
  ShellPort,
  TimerPort,
  TrayPort,
  Unsubscribe,
  WindowFactoryPort,
} from './tray/desktopPorts';
import { DiagnosticsRun, collectDiagnostics } from './tray/diagnosticsCollector';
import { createExternalOpener } from './tray/externalLinks';
import { setupIpcHandlers } from './tray/ipcHandlers';
import type { IpcHandlers } from './tray/ipcHandlers';
import { ReminderPresenter } from './tray/reminderPresenter';
import { SignInPromptPresenter } from './tray/signInPromptPresenter';
import { createPasswordChanger } from './tray/changePassword';
import { signInPromptContent } from '../core/signInPrompt';
import { StatusWindowManager } from './tray/statusWindowManager';
import { TrayController } from './tray/trayController';
import { aboutText } from './tray/trayStrings';
import { AfterChangeNotices } from './tray/afterChangeNotices';
import type { SavedSignIns } from './credentials/savedSignIns';

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

const DISPLAYED_SETTINGS: readonly DisplayedSettingKey[] = [
  'notificationWindowDays',
  'passwordValidityDays',
  'balloonSeconds',
  'changePasswordUrl',
  'resetPasswordUrl',
];

export function startTrayApp(deps: TrayAppDeps): TrayApp {
  const { resolved, engine, clock, timeZone } = deps;
  const { config } = resolved;
  const log = deps.loggerFor('trayApp');
  const isLocked = (key: ConfigKey): boolean => resolved.locked.includes(key);

  let report: StatusReport | null = null;
  let busy: BusyState = null;
  let checkedAt: string | null = null;
  let disposed: Promise<void> | null = null;
  // Engine operations run one at a time: a check never races a sign-in or sign-out.
  let queue: Promise<unknown> = Promise.resolve();
  const unsubscribers: Unsubscribe[] = [];

  const startAtLoginLocked = isLocked('startAtLogin');
  let startAtLoginChoice = deps.initialPreferences.startAtLogin;
  let preferenceWrites: Promise<void> = Promise.resolve();
  const diagnosticsRun = new DiagnosticsRun();
  if (startAtLoginLocked && config.startAtLogin !== null && deps.loginItems.supported) {
    deps.loginItems.setEnabled(config.startAtLogin);
  }

  const openExternal = createExternalOpener({
    shell: deps.shell,
    configuredUrls: [
      config.changePasswordUrl,
      config.resetPasswordUrl,
      ...(config.onPremisesChangePasswordUrl === null ? [] : [config.onPremisesChangePasswordUrl]),
      config.securityInfoUrl,
    ],
    logger: deps.loggerFor('externalLinks'),
  });
  const windows = new StatusWindowManager(deps.windows, deps.loggerFor('statusWindow'));
  const changePage = createPasswordChanger({
    screen: deps.passwordChangeScreen ?? null,
    onPremisesChangePasswordUrl: config.onPremisesChangePasswordUrl,
    openExternal,
    report: () => report,
  });
  const presenter = new ReminderPresenter({
    useBalloon: deps.platform === 'win32',
    tray: deps.tray,
    notifications: deps.notifications,
    notificationState: deps.notificationState,
    power: deps.power,
    timers: deps.timers,
    clock,
    engine,
    // A balloon click while the sign-in prompt shows is the prompt's, not an earlier reminder's.
    openExternal: (url) => (signInPrompt.isShowing ? Promise.resolve(false) : changePage(url)),
    balloonSeconds: config.balloonSeconds,
    content: (forReport) => reminderContent(forReport, timeZone),
    logger: deps.loggerFor('reminder'),
    // Suppressed (quiet time, Do Not Disturb): offered again later that day, never in a loop.
    onNotShown: (delayMs) => scheduler.remindAgainLater(delayMs),
  });
  const signInPrompt = new SignInPromptPresenter({
    useBalloon: deps.platform === 'win32',
    tray: deps.tray,
    notifications: deps.notifications,
    power: deps.power,
    timers: deps.timers,
    engine,
    content: signInPromptContent(deps.platform),
    balloonSeconds: config.balloonSeconds,
    logger: deps.loggerFor('signInPrompt'),
    // The status window first: the broker's picker belongs to it and comes to the front.
    onClick: () => {
      app.openStatusWindow();
      void app.signIn();
    },
  });

  const afterChange = new AfterChangeNotices({
    useBalloon: deps.platform === 'win32',
    tray: deps.tray,
    notifications: deps.notifications,
    timers: deps.timers,
    balloonSeconds: config.balloonSeconds,
    timeZone,
    savedSignIns: config.offerCredentialCleanup ? (deps.savedSignIns ?? null) : null,
    openStatusWindow: () => app.openStatusWindow(),
    onChange: () => refresh(),
    logger: deps.loggerFor('afterChange'),
  });

  function view(): StatusView {
    return { report, timeZone, busy, checkedAt, savedSignIns: afterChange.view() };
  }

  /** What the app and policy chose, before the system's own start-up settings have their say. */
  function startAtLoginChosen(): boolean {
    // On Windows the installers' Run entry starts the app for everyone and the stored choice
    // decides whether it stays; elsewhere the user's login item is the only way it starts.
    const userChoice = deps.platform === 'win32' ? startAtLoginChoice : deps.loginItems.isEnabled();
    return effectiveStartAtLogin({
      policy: config.startAtLogin,
      locked: startAtLoginLocked,
      userChoice,
    });
  }

  function settings(): SettingsView {
    const supported = deps.loginItems.supported;
    // Turned off in Task Manager, it does not start at sign-in, whatever the app or policy chose.
    const offInSystem = supported && deps.loginItems.disabledBySystem();
    return {
      startAtLogin: {
        enabled: supported && !offInSystem && startAtLoginChosen(),
        locked: startAtLoginLocked,
        supported,
        offInSystem,
      },
      settings: DISPLAYED_SETTINGS.map((key) => ({
        key,
        value: config[key],
        locked: isLocked(key),
      })),
    };
  }

  function refresh(): void {
    if (disposed) return;
    trayController.render({ report, busy, startAtLogin: settings().startAtLogin });
    windows.send('status:changed', view());
  }

  function enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = queue.then(operation, operation);
    queue = run.catch(() => undefined);
    return run;
  }

  /** Runs one engine operation with the busy state shown, then takes in its report. */
  function operate(state: NonNullable<BusyState>, call: () => Promise<StatusReport>) {
    return enqueue(async (): Promise<CheckOutcome> => {
      if (disposed) return { report, reminder: 'not-due' };
      busy = state;
      refresh();
      try {
        const fresh = await call();
        report = fresh;
        checkedAt = clock.now().toISOString();
        let reminder = disposed ? 'not-due' : await presenter.present(fresh);
        // A check that found nobody signed in and no figure may ask once (never a user action).
        if (state === 'checking' && reminder === 'not-due' && !disposed) {
          if ((await signInPrompt.offer(fresh)) === 'user-away') reminder = 'user-away';
        }
        // A reminder on screen goes first; the new password is never due a reminder anyway.
        if (!disposed && reminder !== 'shown') {
          afterChange.take(fresh).catch((error: unknown) => {
            log.error('the new password could not be told', { error: String(error) });
          });
        }
        // The status window's "Next reminder" after this one, before the next check says it.
        if (reminder === 'shown') report = withNextReminder(fresh);
        return { report: fresh, reminder };
      } finally {
        busy = null;
        refresh();
      }
    });
  }

  /** Sign-in and sign-out are user actions: a failure is shown, never retried automatically. */
  async function userOperation(
    state: 'signing-in' | 'signing-out',
    call: () => Promise<StatusReport>,
  ): Promise<StatusView> {
    try {
      scheduler.reportArrived(await operate(state, call));
    } catch (error) {
      log.error(`${state} failed`, { error: String(error) });
    }
    return view();
  }

  const cadence = { finalDays: config.finalDays, everyHours: config.finalDaysEveryHours };
  function withNextReminder(shown: StatusReport): StatusReport {
    const next = nextAfterShown(shown, clock.now(), { timeZone, cadence });
    return { ...shown, reminder: { due: false, nextAt: next?.toISOString() ?? null } };
  }

  const scheduler = new CheckScheduler({
    clock,
    timers: deps.timers,
    power: deps.power,
    network: deps.network,
    timeZone,
    logger: deps.loggerFor('scheduler'),
    dayChangeJitterMs: deps.dayChangeJitterMs,
    cadence,
    check: () =>
      operate('checking', async () => {
        await applyChangedSettings();
        return engine.check();
      }),
  });

  let relaunching = false;
  async function applyChangedSettings(): Promise<void> {
    if (relaunching) return;
    let latest: ResolvedConfig;
    try {
      latest = await deps.reloadConfig();
    } catch (error) {
      log.error('settings could not be read again; keeping the running ones', {
        error: String(error),
      });
      return;
    }
    if (sameEffectiveConfig(resolved, latest)) return;
    relaunching = true;
    log.info('settings changed (policy or settings file); restarting to apply them');
    deps.app.relaunch();
  }

  let started: Promise<void> = Promise.resolve();
  const app: TrayApp = {
    get started() {
      return started;
    },
    view,
    settings,
    async checkNow() {
      await scheduler.trigger('user');
      return view();
    },
    signIn: () => userOperation('signing-in', () => engine.signIn()),
    signOut: () => userOperation('signing-out', () => engine.signOut()),
    changePassword: () => changePage(report?.changePasswordUrl ?? config.changePasswordUrl),
    openStatusWindow: () => {
      if (!disposed) windows.open();
    },
    collectDiagnostics() {
      if (disposed) return Promise.resolve(null);
      return diagnosticsRun.start(() =>
        collectDiagnostics(
          {
            diagnostics: deps.diagnostics,
            shell: deps.shell,
            notifications: deps.notifications,
            clock,
            timeZone,
            resolved,
            versions: deps.versions,
            logger: deps.loggerFor('diagnostics'),
            countSavedSignIns: () => afterChange.count(report?.account?.username ?? null),
          },
          report,
        ),
      );
    },
    showAbout() {
      deps.dialogs.showInfo(aboutText(deps.versions.app)).catch((error: unknown) => {
        log.error('the About box could not be shown', { error: String(error) });
      });
    },
    setStartAtLogin(enabled) {
      if (startAtLoginLocked || !deps.loginItems.supported) {
        log.warn('start at login is decided by policy or unsupported; request ignored');
      } else {
        startAtLoginChoice = enabled;
        // Remembered for the installers' Run entry, which starts the app for every user.
        preferenceWrites = preferenceWrites
          .then(() => deps.preferences.setStartAtLogin(enabled))
          .catch((error: unknown) => {
            log.error('the start at login choice was not saved', { error: String(error) });
          });
        try {
          deps.loginItems.setEnabled(enabled);
        } catch (error) {
          log.error('the login item could not be changed', { error: String(error) });
        }
      }
      refresh();
      return settings();
    },
    async quit() {
      await app.dispose();
      deps.app.quit();
    },
    dispose() {
      disposed ??= (async () => {
        scheduler.dispose();
        presenter.dispose();
        signInPrompt.dispose();
        afterChange.dispose();
        trayController.dispose();
        for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
        windows.dispose();
        deps.tray.destroy();
        await preferenceWrites;
        await diagnosticsRun.pending;
        try {
          await engine.dispose();
        } catch (error) {
          log.error('engine did not close cleanly', { error: String(error) });
        }
      })();
      return disposed;
    },
  };

  const trayController = new TrayController(deps.tray, {
    changePassword: () => void app.changePassword(),
    checkNow: () => void app.checkNow(),
    signIn: () => void app.signIn(),
    signOut: () => void app.signOut(),
    openStatusWindow: () => app.openStatusWindow(),
    collectDiagnostics: () => void app.collectDiagnostics(),
    setStartAtLogin: (enabled) => void app.setStartAtLogin(enabled),
    showAbout: () => app.showAbout(),
    quit: () => void app.quit(),
  });

  const handlers: IpcHandlers = {
    'status:get': () => Promise.resolve(view()),
    'status:check-now': () => app.checkNow(),
    'account:sign-in': () => app.signIn(),
    'account:sign-out': () => app.signOut(),
    'password:change': async () => ({ opened: await app.changePassword() }),
    'settings:get': () => Promise.resolve(settings()),
    'settings:set-start-at-login': (
      payload: IpcRequests['settings:set-start-at-login']['request'],
    ) => Promise.resolve(app.setStartAtLogin(payload.enabled)),
    'saved-sign-ins:remove': async (payload: IpcRequests['saved-sign-ins:remove']['request']) => {
      await enqueue(() => afterChange.remove(payload.targets));
      return view();
    },
    'security-info:open': async () => ({ opened: await openExternal(config.securityInfoUrl) }),
  };
  unsubscribers.push(
    setupIpcHandlers({
      ipc: deps.ipc,
      isAppSender: (sender) => windows.isOwnSender(sender),
      handlers,
      logger: deps.loggerFor('ipc'),
    }),
    deps.app.onSecondInstance(() => app.openStatusWindow()),
    deps.app.onBeforeQuit(() => void app.dispose()),
  );

  refresh();
  started = scheduler.start().then(() => undefined);
  return app;
}
