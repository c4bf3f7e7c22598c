/**
 * The tray app's composition root: builds the real adapters, the engine, the configuration and
 * the loggers, and hands them to startTrayApp. Nothing else happens here.
 */
import { app, dialog, session } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../core/model';
import { loadConfig } from './configLoader';
import { claimSingleInstance, createAppPort } from './electron/appLifecycle';
import {
  createElectronNotifications,
  electronNetwork,
  electronPowerMonitor,
  electronShell,
} from './electron/desktop';
import { electronIpc } from './electron/ipc';
import { createLoginItems } from './electron/loginItems';
import { createStatusWindowFactory } from './electron/statusWindow';
import { createElectronTray } from './electron/tray';
import { createEngine } from './engine';
import { createLogger, initLogging, logEffectiveConfig } from './logging';
import { userDataHome } from './paths';
import { createPolicySource } from './policy';
import { createExternalOpener } from './tray/externalLinks';
import { systemTimers } from './tray/systemTimers';
import { appIconFile } from './tray/trayIcons';
import { startTrayApp } from './trayApp';

/** The daily refresh lands up to this long after local midnight, spread per install. */
const DAY_CHANGE_SPREAD_MS = 30 * 60_000;

async function main(): Promise<void> {
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

  let resolved;
  try {
    resolved = await loadConfig({
      configPath: null,
      env: process.env,
      policy: createPolicySource({ platform, logger: createLogger('policy') }),
      requireTenant: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error('configuration error', { message });
    dialog.showErrorBox('Sign-In Assistant', message);
    app.exit(ExitCode.configError);
    return;
  }
  logEffectiveConfig(createLogger('config'), resolved);
  const { config } = resolved;

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
    openBrowser: async (url) => {
      if (!(await openSignInPage(url))) throw new Error('The sign-in page address was refused.');
    },
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
    dayChangeJitterMs: Math.floor(Math.random() * DAY_CHANGE_SPREAD_MS),
  });
  log.info('tray ready', { platform, timeZone });
}

main().catch((error: unknown) => {
  createLogger('main').error('the tray app could not start', { error: String(error) });
  dialog.showErrorBox('Sign-In Assistant', 'Sign-In Assistant could not start. See the log.');
  app.exit(1);
});
