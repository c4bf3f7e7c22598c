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
import { StartAtLoginSetting } from './tray/startAtLoginSetting';
import { CheckScheduler, nextAfterShown } from './tray/checkScheduler';
import type { CheckOutcome } from './tray/checkScheduler';
import type { Unsubscribe } from './tray/desktopPorts';
import { DiagnosticsRun, collectDiagnostics } from './tray/diagnosticsCollector';
import { createExternalOpener } from './tray/externalLinks';
import { setupIpcHandlers } from './tray/ipcHandlers';
import type { IpcHandlers } from './tray/ipcHandlers';
import { createPasswordChanger } from './tray/changePassword';
import { StatusWindowManager } from './tray/statusWindowManager';
import { TrayController } from './tray/trayController';
import { aboutText } from './tray/trayStrings';
import { createTrayNotices } from './tray/trayNotices';
import type { TrayApp, TrayAppDeps } from './tray/trayAppTypes';

export type { TrayApp, TrayAppDeps } from './tray/trayAppTypes';

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

  const startAtLogin = new StartAtLoginSetting({
    platform: deps.platform,
    loginItems: deps.loginItems,
    preferences: deps.preferences,
    initialChoice: deps.initialPreferences.startAtLogin,
    policy: config.startAtLogin,
    locked: isLocked('startAtLogin'),
    logger: log,
  });
  const diagnosticsRun = new DiagnosticsRun();

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
  const { presenter, signInPrompt, afterChange } = createTrayNotices(deps, {
    changePage,
    openStatusWindow: () => app.openStatusWindow(),
    signIn: () => void app.signIn(),
    remindAgainLater: (delayMs) => scheduler.remindAgainLater(delayMs),
    refresh: () => refresh(),
  });

  function view(): StatusView {
    return { report, timeZone, busy, checkedAt, savedSignIns: afterChange.view() };
  }

  function settings(): SettingsView {
    return {
      startAtLogin: startAtLogin.view(),
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
      startAtLogin.set(enabled);
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
        await startAtLogin.pending;
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
