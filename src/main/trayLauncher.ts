/**
 * The tray app's start-up, before and around startTrayApp. The second-launch listener comes
 * first and the tray icon shows "Checking…" at once; the settings are read, a start at sign-in
 * that this user (or policy) turned off ends quietly, and only then does the slow part run (the
 * engine, which may wait on the network). Settings that are not valid never block the session
 * with a dialog: the tray shows the problem (icon, tooltip, a menu line, Collect diagnostics,
 * Quit) and reads them again every minute, starting properly once they are valid.
 */
import type { ResolvedConfig } from '../core/config';
import type { Clock, Logger } from '../core/ports';
import type { DiagnosticsVersions } from './diagnostics';
import { shouldRunAtLogin } from './startAtLogin';
import type { PreferencesPort, UserPreferences } from './store/preferencesStore';
import type {
  AppPort,
  DiagnosticsPort,
  DialogPort,
  MenuItemSpec,
  NotificationPort,
  ShellPort,
  TimerHandle,
  TimerPort,
  TrayPort,
  Unsubscribe,
} from './tray/desktopPorts';
import { DiagnosticsRun, collectDiagnostics } from './tray/diagnosticsCollector';
import { TOOLTIP_MAX, oneLine, trayStrings } from './tray/trayStrings';
import type { TrayApp } from './trayApp';

/** How often settings that are not valid are read again. */
export const CONFIG_RETRY_MS = 60_000;

/** After a failed start, try again after these waits (the last one repeats). */
export const START_RETRY_DELAYS_MS: readonly number[] = Object.freeze([
  60_000, 120_000, 300_000, 600_000, 900_000,
]);

export type LaunchState = 'starting' | 'config-error' | 'start-failed' | 'running' | 'ended';

export interface TrayLauncherDeps {
  /** Started by the sign-in entry (`--at-login`). */
  atLoginLaunch: boolean;
  app: AppPort;
  timers: TimerPort;
  clock: Clock;
  timeZone: string;
  loggerFor: (module: string) => Logger;
  /** Makes the tray icon; called once, when the app is going to stay. */
  createTray: () => TrayPort;
  /** The effective settings (file and policy); rejects with the message when not valid. */
  readConfig: () => Promise<ResolvedConfig>;
  /** `startAtLogin` as policy enforces it, read on its own (null: not set, or unreadable). */
  enforcedStartAtLogin: () => Promise<boolean | null>;
  preferences: PreferencesPort;
  dialogs: DialogPort;
  diagnostics: DiagnosticsPort;
  shell: ShellPort;
  notifications: NotificationPort;
  versions: DiagnosticsVersions;
  /** Builds the engine and starts the tray app on the tray already shown. */
  startApp: (input: {
    resolved: ResolvedConfig;
    initialPreferences: UserPreferences;
    tray: TrayPort;
  }) => Promise<TrayApp>;
}

export interface TrayLaunch {
  /** Resolves when this attempt has ended: running, showing a problem, or quit. */
  readonly settled: Promise<LaunchState>;
  state(): LaunchState;
  /** The running tray app, once there is one. */
  trayApp(): TrayApp | null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function launchTray(deps: TrayLauncherDeps): TrayLaunch {
  const log = deps.loggerFor('launch');
  let state: LaunchState = 'starting';
  let tray: TrayPort | null = null;
  let running: TrayApp | null = null;
  let problem: string | null = null;
  /** The settings once read and valid (for diagnostics collected while the engine starts). */
  let settings: ResolvedConfig | null = null;
  let retry: TimerHandle | null = null;
  let startFailures = 0;
  let openWhenRunning = false;
  const diagnosticsRun = new DiagnosticsRun();
  const unsubscribers: Unsubscribe[] = [];

  // First of all: a second launch while starting must not be lost.
  unsubscribers.push(
    deps.app.onSecondInstance(() => {
      if (state === 'starting') openWhenRunning = true;
      else if (state === 'config-error' || state === 'start-failed') showProblemBox();
    }),
    deps.app.onBeforeQuit(() => end()),
  );

  function showTray(): TrayPort {
    tray ??= deps.createTray();
    return tray;
  }

  function tooltip(line: string): string {
    const text = `${trayStrings.appName}: ${line}`;
    return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
  }

  function menu(statusLine: string): MenuItemSpec[] {
    return [
      { id: 'status', type: 'normal', label: statusLine, enabled: false },
      { id: 'separator-1', type: 'separator', label: '', enabled: true },
      {
        id: 'collect-diagnostics',
        type: 'normal',
        label: trayStrings.menu.collectDiagnostics,
        enabled: true,
        click: () => void collect(),
      },
      { id: 'separator-2', type: 'separator', label: '', enabled: true },
      {
        id: 'quit',
        type: 'normal',
        label: trayStrings.menu.quit,
        enabled: true,
        click: () => quit('quit from the tray menu'),
      },
    ];
  }

  function renderChecking(): void {
    const shown = showTray();
    shown.setIcon('signed-out');
    shown.setToolTip(tooltip(trayStrings.busy.checking));
    shown.setMenu(menu(trayStrings.busy.checking));
  }

  function renderProblem(message: string): void {
    const line = oneLine(message);
    const shown = showTray();
    shown.setIcon('error');
    shown.setToolTip(tooltip(line));
    shown.setMenu(menu(line));
  }

  function showProblemBox(): void {
    // Only for a launch by the user (Start menu, shortcut): never at sign-in, never modal.
    const { title, detail } = trayStrings.problem;
    deps.dialogs
      .showInfo({ title, message: problem ?? title, detail })
      .catch((error: unknown) =>
        log.error('the problem could not be shown', { error: String(error) }),
      );
  }

  function collect(): Promise<string | null> {
    return diagnosticsRun.start(() =>
      collectDiagnostics(
        {
          diagnostics: deps.diagnostics,
          shell: deps.shell,
          notifications: deps.notifications,
          clock: deps.clock,
          timeZone: deps.timeZone,
          resolved: state === 'config-error' ? null : settings,
          configError: state === 'config-error' ? problem : null,
          versions: deps.versions,
          logger: deps.loggerFor('diagnostics'),
        },
        null,
      ),
    );
  }

  function end(): void {
    if (state === 'ended') return;
    state = 'ended';
    if (retry !== null) deps.timers.clearTimeout(retry);
    retry = null;
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
    // Once running, the tray belongs to the tray app, which ends it itself.
    if (running === null) tray?.destroy();
  }

  function quit(why: string): void {
    log.info(why);
    end();
    deps.app.quit();
  }

  function configProblem(message: string): void {
    if (message !== problem)
      log.error('configuration error; the tray waits for valid settings', { message });
    problem = message;
    state = 'config-error';
    renderProblem(message);
    retry = deps.timers.setTimeout(() => {
      retry = null;
      void run();
    }, CONFIG_RETRY_MS);
  }

  /** Start-up failed (the engine, the state folder): shown, and tried again with backoff. */
  function startFailed(): void {
    const delay =
      START_RETRY_DELAYS_MS[Math.min(startFailures, START_RETRY_DELAYS_MS.length - 1)] ?? 900_000;
    startFailures += 1;
    problem = trayStrings.problem.startFailed(Math.round(delay / 60_000));
    state = 'start-failed';
    renderProblem(problem);
    retry = deps.timers.setTimeout(() => {
      retry = null;
      void run();
    }, delay);
  }

  function run(): Promise<LaunchState> {
    return attempt().catch((error: unknown) => {
      log.error('start-up failed', { error: messageOf(error) });
      if (!hasEnded() && running === null) startFailed();
      return state;
    });
  }

  // A function, so the checks after each await are not narrowed away by the compiler.
  const hasEnded = (): boolean => state === 'ended';

  async function attempt(): Promise<LaunchState> {
    const initialPreferences = await deps.preferences.read();
    let resolved: ResolvedConfig;
    try {
      resolved = await deps.readConfig();
    } catch (error) {
      if (hasEnded()) return state;
      // An "off" from the user or from policy is honoured first: a start at sign-in that was not
      // wanted stays quiet, broken settings or not (they cannot run the app anyway).
      const enforced = deps.atLoginLaunch
        ? await deps.enforcedStartAtLogin().catch(() => null)
        : null;
      if (deps.atLoginLaunch && (initialPreferences.startAtLogin === false || enforced === false)) {
        quit('started at sign-in, but start at login is off for this user; quitting');
        return state;
      }
      configProblem(messageOf(error));
      return state;
    }
    if (hasEnded()) return state;
    // Turned off by policy: no icon, no reminders, at sign-in and on a launch by the user alike.
    if (!resolved.config.enabled) {
      quit(`turned off by policy (enabled = false, from ${resolved.sources.enabled}); quitting`);
      return state;
    }
    const stays = shouldRunAtLogin({
      launchedAtLogin: deps.atLoginLaunch,
      policy: resolved.config.startAtLogin,
      locked: resolved.locked.includes('startAtLogin'),
      userChoice: initialPreferences.startAtLogin,
    });
    if (!stays) {
      quit('started at sign-in, but start at login is off for this user; quitting');
      return state;
    }
    if (problem !== null) log.info('the settings are valid now; starting');
    problem = null;
    settings = resolved;
    state = 'starting';
    renderChecking();
    let started: TrayApp;
    try {
      started = await deps.startApp({ resolved, initialPreferences, tray: showTray() });
    } catch (error) {
      if (hasEnded()) return state;
      log.error('the tray app could not start', { error: messageOf(error) });
      startFailed();
      return state;
    }
    running = started;
    if (hasEnded()) {
      // Quit while the engine was being made: release what was just built.
      await started.dispose();
      return state;
    }
    state = 'running';
    // The tray app answers second launches and quits from here on.
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
    if (openWhenRunning) started.openStatusWindow();
    return state;
  }

  // Started by the user: the tray at once. At sign-in: only once it is known to stay.
  if (!deps.atLoginLaunch) renderChecking();
  const settled = run();

  return {
    settled,
    state: () => state,
    trayApp: () => running,
  };
}
