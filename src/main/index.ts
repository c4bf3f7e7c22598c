/**
 * The tray app's composition root: builds the real adapters, the engine, the configuration and
 * the loggers, and hands them to launchTray (the tray first) and startTrayApp. Nothing else
 * happens here. A launch with a command (`"Sign-In Assistant.exe" status --json`) runs the
 * headless command instead and exits.
 */
import { BrowserWindow, app, dialog, session } from 'electron';
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/signinAssistant';
import { processOutput } from '../cli/processOutput';
import { ExitCode } from '../core/model';
import {
  STATUS_WINDOW_ARGUMENT,
  commandInvocation,
  isAtLoginLaunch,
  userArguments,
} from './commandLine';
import { keepOutputForTheCommand } from './commandOutput';
import { loadConfig } from './configLoader';
import {
  claimSingleInstance,
  createAppPort,
  prepareCommandMode,
  prepareTrayMode,
  removeDefaultMenu,
} from './electron/appLifecycle';
import {
  createElectronNotifications,
  electronDialogs,
  electronDiagnostics,
  electronNetwork,
  electronPowerMonitor,
  electronShell,
} from './electron/desktop';
import { electronIpc } from './electron/ipc';
import { createLoginItems } from './electron/loginItems';
import { electronTransport } from './electron/netTransport';
import { createStatusWindowFactory } from './electron/statusWindow';
import { createElectronTray } from './electron/tray';
import { createElectronDesktopNotifier } from './electron/electronNotifier';
import { createEngine } from './engine';
import { createDirectorySource } from './onprem';
import { createLogger, initLogging, logEffectiveConfig } from './logging';
import { userDataHome } from './paths';
import { createPolicySource } from './policy';
import { enforcedStartAtLogin } from './startAtLogin';
import { createPreferencesStore } from './store/preferencesStore';
import { moveRoamingState } from './store/roamingState';
import { createExternalOpener } from './tray/externalLinks';
import { systemTimers } from './tray/systemTimers';
import { appIconFile } from './tray/trayIcons';
import { startTrayApp } from './trayApp';
import { createSavedSignIns, savedCredentialStoreFor } from './credentials/savedSignIns';
import { systemTimeZone } from './systemTimeZone';
import { launchTray } from './trayLauncher';
import { createPasswordChangeScreen } from './windowsSecurityScreen';
import { createNotificationState } from './windows/notificationState';
import type { TrayLauncherDeps } from './trayLauncher';

/** The daily refresh lands up to this long after local midnight, spread per install. */
const DAY_CHANGE_SPREAD_MS = 30 * 60_000;

/**
 * The headless command inside the packaged app: no tray, no window, no single-instance lock, and
 * nothing on stdout and stderr but its own output.
 */
async function runCommand(args: string[]): Promise<void> {
  keepOutputForTheCommand(process, console, createLogger('command'));
  // A full disk or a closed pipe on stdout never crashes the command (see processOutput).
  const output = processOutput();
  let code: number;
  try {
    // Chromium's network stack (system proxy, OS trust store) is there once the app is ready.
    await app.whenReady();
    code = await runCli(args, output.io, process.env, {
      // `status --notify` shows Electron's notification, attributed to the installed app.
      notifier: createElectronDesktopNotifier(
        appIconFile(join(app.getAppPath(), 'assets'), process.platform),
      ),
      // Chromium's network stack: the system proxy and the OS trust store.
      transport: electronTransport,
      // A click on the sign-in prompt: the tray app with its status window (a running one
      // opens its window on the second launch).
      openTrayApp: () => {
        const appPath = process.defaultApp ? [app.getAppPath()] : [];
        spawn(process.execPath, [...appPath, STATUS_WINDOW_ARGUMENT], {
          detached: true,
          stdio: 'ignore',
        }).unref();
        return Promise.resolve();
      },
    });
  } catch (error) {
    output.io.err(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    code = ExitCode.authError;
  }
  // app.exit does not wait for pending output (asynchronous on some pipes and terminals).
  await output.finish(code, (value) => app.exit(value));
}

async function main(): Promise<void> {
  const launchArgs = userArguments(process.argv, process.defaultApp === true);
  prepareTrayMode(process.env);
  // The Windows identity comes first; a second launch hands over to the running one and leaves.
  if (!claimSingleInstance()) {
    app.quit();
    return;
  }
  await initLogging({ runtime: 'electron' });
  const platform = process.platform;
  const home = userDataHome(process.env, platform, homedir());
  // Before anything reads the folder, and before ready (nothing may wait after it): an earlier
  // version's state, moved once from Roaming AppData (after that: one look at the local folder).
  await moveRoamingState({
    platform,
    env: process.env,
    homeDir: homedir(),
    logger: createLogger('state'),
  });
  await app.whenReady();
  // From here to launchTray nothing waits: a second launch (only ever emitted once ready) is heard.
  removeDefaultMenu();
  const log = createLogger('main');

  // The status window needs no camera, notifications from the page, or any other permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) =>
    grant(false),
  );

  const policy = createPolicySource({ platform, logger: createLogger('policy') });
  const readConfig = () =>
    loadConfig({ configPath: null, env: process.env, policy, requireTenant: true });
  const timeZone = systemTimeZone(process.env, createLogger('timeZone'));
  const clock = { now: () => new Date() };
  const assetsDir = join(app.getAppPath(), 'assets');
  const distDir = join(__dirname, '..');
  const appIcon = appIconFile(assetsDir, platform);
  const appPort = createAppPort();
  const notifications = createElectronNotifications(appIcon);
  const notificationState = createNotificationState(platform, createLogger('notificationState'));
  const versions = {
    app: app.getVersion(),
    electron: process.versions.electron,
    node: process.versions.node,
  };

  // Everything that needs valid settings; the engine may wait on the network (metadata, 15 s).
  const preferences = createPreferencesStore(home, createLogger('preferences'));
  const startApp: TrayLauncherDeps['startApp'] = async (input) => {
    const { resolved } = input;
    logEffectiveConfig(createLogger('config'), resolved);
    const { config } = resolved;
    // Sign-in pages live on the configured authority (national clouds, the local demo tenant).
    const openSignInPage = createExternalOpener({
      shell: electronShell,
      configuredUrls: [config.authority, config.changePasswordUrl, config.resetPasswordUrl],
      logger: createLogger('signInBrowser'),
    });
    const engine = await createEngine({
      config,
      home,
      timeZone,
      clock,
      logger: createLogger('engine'),
      http: { transport: electronTransport },
      openBrowser: async (url) => {
        if (!(await openSignInPage(url))) throw new Error('The sign-in page address was refused.');
      },
      // The Windows broker's sign-in dialog belongs to the status window when one is open.
      windowHandle: () =>
        (
          BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
        )?.getNativeWindowHandle(),
      directory: createDirectorySource({
        platform,
        env: process.env,
        logger: createLogger('directory'),
      }),
    });

    const credentialStore = savedCredentialStoreFor(platform);
    return startTrayApp({
      platform,
      savedSignIns:
        credentialStore && createSavedSignIns(credentialStore, createLogger('savedSignIns')),
      resolved,
      engine,
      clock,
      timeZone,
      loggerFor: createLogger,
      tray: input.tray,
      notifications,
      notificationState,
      shell: electronShell,
      power: electronPowerMonitor,
      network: electronNetwork,
      timers: systemTimers,
      loginItems: createLoginItems({
        platform,
        env: process.env,
        homeDir: homedir(),
        logger: createLogger('loginItems'),
      }),
      windows: createStatusWindowFactory({
        indexHtmlPath: join(distDir, 'renderer', 'index.html'),
        preloadPath: join(distDir, 'preload', 'preload.js'),
        iconPath: platform === 'darwin' ? null : appIcon,
        packaged: app.isPackaged,
        logger: createLogger('statusWindow'),
      }),
      ipc: electronIpc,
      app: appPort,
      reloadConfig: readConfig,
      preferences,
      initialPreferences: input.initialPreferences,
      diagnostics: electronDiagnostics,
      dialogs: electronDialogs,
      versions,
      dayChangeJitterMs: Math.floor(Math.random() * DAY_CHANGE_SPREAD_MS),
      passwordChangeScreen: createPasswordChangeScreen(
        platform,
        process.env,
        createLogger('passwordChange'),
      ),
    });
  };

  // The tray shows at once; the installers start the app for every user at sign-in, and it stays
  // only if this user wants it (decided before any icon shows).
  const launch = launchTray({
    atLoginLaunch: isAtLoginLaunch(launchArgs),
    app: appPort,
    timers: systemTimers,
    clock,
    timeZone,
    loggerFor: createLogger,
    createTray: () => createElectronTray(assetsDir, platform),
    readConfig,
    enforcedStartAtLogin: async () => enforcedStartAtLogin(await policy.read()),
    preferences,
    dialogs: electronDialogs,
    diagnostics: electronDiagnostics,
    shell: electronShell,
    notifications,
    versions,
    startApp,
  });
  const state = await launch.settled;
  if (state === 'running') log.info('tray ready', { platform, timeZone });
  if (state === 'running' && launchArgs.includes(STATUS_WINDOW_ARGUMENT)) {
    launch.trayApp()?.openStatusWindow();
  } else log.info('tray not started', { state });
}

const command = commandInvocation(process.argv, process.defaultApp === true);
if (command) {
  prepareCommandMode(process.env);
  void runCommand(command);
} else {
  main().catch((error: unknown) => {
    createLogger('main').error('the tray app could not start', { error: String(error) });
    dialog.showErrorBox('Sign-In Assistant', 'Sign-In Assistant could not start. See the log.');
    app.exit(1);
  });
}
