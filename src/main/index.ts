/**
 * The tray app's composition root: builds the real adapters, the engine, the configuration and
 * the loggers, and hands them to startTrayApp. Nothing else happens here. A launch with a command
 * (`"Sign-In Assistant.exe" status --json`) runs the headless command instead and exits.
 */
import { BrowserWindow, app, dialog, session } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/signinAssistant';
import { ExitCode } from '../core/model';
import { commandInvocation, isAtLoginLaunch, userArguments } from './commandLine';
import { loadConfig } from './configLoader';
import { claimSingleInstance, createAppPort } from './electron/appLifecycle';
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
import { createEngine } from './engine';
import { createLogger, initLogging, logEffectiveConfig } from './logging';
import { userDataHome } from './paths';
import { createPolicySource } from './policy';
import { shouldRunAtLogin } from './startAtLogin';
import { createPreferencesStore } from './store/preferencesStore';
import { createExternalOpener } from './tray/externalLinks';
import { systemTimers } from './tray/systemTimers';
import { appIconFile } from './tray/trayIcons';
import { startTrayApp } from './trayApp';

/** The daily refresh lands up to this long after local midnight, spread per install. */
const DAY_CHANGE_SPREAD_MS = 30 * 60_000;

/** Resolves once what was written to the stream has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** The headless command inside the packaged app: no tray, no window, no single-instance lock. */
async function runCommand(args: string[]): Promise<void> {
  if (process.platform === 'darwin') app.dock?.hide();
  let code: number;
  try {
    // Chromium's network stack (system proxy, OS trust store) is there once the app is ready.
    await app.whenReady();
    code = await runCli(
      args,
      {
        out: (text) => process.stdout.write(`${text}\n`),
        err: (text) => process.stderr.write(`${text}\n`),
      },
      process.env,
      electronTransport,
    );
  } catch (error) {
    process.stderr.write(
      `Unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    code = ExitCode.authError;
  }
  // app.exit does not wait for pending output (asynchronous on some pipes and terminals).
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  app.exit(code);
}

async function main(): Promise<void> {
  const launchArgs = userArguments(process.argv, process.defaultApp === true);
  // The Windows identity comes first; a second launch hands over to the running one and leaves.
  if (!claimSingleInstance()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const platform = process.platform;
  const home = userDataHome(process.env, platform, homedir());
  await initLogging({ runtime: 'electron' });
  const log = createLogger('main');

  // The status window needs no camera, notifications from the page, or any other permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) =>
    grant(false),
  );

  const policy = createPolicySource({ platform, logger: createLogger('policy') });
  const readConfig = () =>
    loadConfig({ configPath: null, env: process.env, policy, requireTenant: true });
  let resolved;
  try {
    resolved = await readConfig();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error('configuration error', { message });
    dialog.showErrorBox('Sign-In Assistant', message);
    app.exit(ExitCode.configError);
    return;
  }
  logEffectiveConfig(createLogger('config'), resolved);
  const { config } = resolved;

  // The installers start the app for every user at sign-in; it stays only if this user wants it.
  const preferences = createPreferencesStore(home, createLogger('preferences'));
  const initialPreferences = await preferences.read();
  if (
    !shouldRunAtLogin({
      launchedAtLogin: isAtLoginLaunch(launchArgs),
      policy: config.startAtLogin,
      locked: resolved.locked.includes('startAtLogin'),
      userChoice: initialPreferences.startAtLogin,
    })
  ) {
    log.info('started at sign-in, but start at login is off for this user; quitting');
    app.exit(ExitCode.ok);
    return;
  }

  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const clock = { now: () => new Date() };
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
  });

  const assetsDir = join(app.getAppPath(), 'assets');
  const distDir = join(__dirname, '..');
  const appIcon = appIconFile(assetsDir, platform);
  startTrayApp({
    platform,
    resolved,
    engine,
    clock,
    timeZone,
    loggerFor: createLogger,
    tray: createElectronTray(assetsDir, platform),
    notifications: createElectronNotifications(appIcon),
    shell: electronShell,
    power: electronPowerMonitor,
    network: electronNetwork,
    timers: systemTimers,
    loginItems: createLoginItems({ platform, env: process.env, homeDir: homedir() }),
    windows: createStatusWindowFactory({
      indexHtmlPath: join(distDir, 'renderer', 'index.html'),
      preloadPath: join(distDir, 'preload', 'preload.js'),
      iconPath: platform === 'darwin' ? null : appIcon,
      logger: createLogger('statusWindow'),
    }),
    ipc: electronIpc,
    app: createAppPort(),
    reloadConfig: readConfig,
    preferences,
    initialPreferences,
    diagnostics: electronDiagnostics,
    dialogs: electronDialogs,
    versions: {
      app: app.getVersion(),
      electron: process.versions.electron,
      node: process.versions.node,
    },
    dayChangeJitterMs: Math.floor(Math.random() * DAY_CHANGE_SPREAD_MS),
  });
  log.info('tray ready', { platform, timeZone });
}

const command = commandInvocation(process.argv, process.defaultApp === true);
if (command) {
  void runCommand(command);
} else {
  main().catch((error: unknown) => {
    createLogger('main').error('the tray app could not start', { error: String(error) });
    dialog.showErrorBox('Sign-In Assistant', 'Sign-In Assistant could not start. See the log.');
    app.exit(1);
  });
}
