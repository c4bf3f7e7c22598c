/**
 * The app-level pieces: the Windows identity (first, before anything can show a toast), the
 * single-instance lock, and staying alive in the tray when the window closes.
 */
import { homedir } from 'node:os';
import { Menu, app } from 'electron';
import { COMMAND_MODE_SWITCHES, electronUserDataFolder, isAtLoginLaunch } from '../commandLine';
import type { AppPort } from '../tray/desktopPorts';
import { onSessionEnd } from './sessionEnd';
import { APP_USER_MODEL_ID } from './windowSecurity';

function profileFolder(mode: 'tray' | 'command', env: NodeJS.ProcessEnv): string {
  return electronUserDataFolder(mode, app.getPath('userData'), env, process.platform, homedir());
}

/** The tray app's Chromium profile; call before anything else (the lock lives in it). */
export function prepareTrayMode(env: NodeJS.ProcessEnv): void {
  app.setPath('userData', profileFolder('tray', env));
}

/**
 * The headless command: its own Chromium profile, no GPU or hardware acceleration, no Chromium
 * log on the console, no Dock icon. Must run before ready (synchronously at start).
 */
export function prepareCommandMode(env: NodeJS.ProcessEnv): void {
  app.setPath('userData', profileFolder('command', env));
  app.disableHardwareAcceleration();
  for (const [name, value] of COMMAND_MODE_SWITCHES) app.commandLine.appendSwitch(name, value);
  if (process.platform === 'darwin') app.dock?.hide();
}

/** Returns false when another instance runs: it is told to open its window, and we leave. */
export function claimSingleInstance(): boolean {
  app.setAppUserModelId(APP_USER_MODEL_ID);
  return app.requestSingleInstanceLock();
}

/**
 * A packaged app has no application menu: Electron's default one offers Reload, Toggle Developer
 * Tools and Help › Learn More (a web page opened past the address allowlist). Call once ready,
 * before any window exists. Run from the sources, the default menu stays for development.
 */
export function removeDefaultMenu(): void {
  if (app.isPackaged) Menu.setApplicationMenu(null);
}

export function createAppPort(): AppPort {
  // A tray app keeps running with no window; listening stops Electron's default quit.
  app.on('window-all-closed', () => undefined);
  return {
    onSecondInstance(listener) {
      // A second start at sign-in (the installers' entry and the user's login item) stays quiet;
      // a launch by the user opens the status window.
      // Electron passes argv, but an emitter (a test driver, a future Electron) may leave it out.
      const onSecond = (_event: unknown, argv?: unknown) => {
        if (!isAtLoginLaunch(argv)) listener();
      };
      app.on('second-instance', onSecond);
      return () => app.removeListener('second-instance', onSecond);
    },
    onBeforeQuit(listener) {
      app.on('before-quit', listener);
      // Log-off and shutdown, which send no before-quit on Windows (see sessionEnd).
      let stopSessionEnd: (() => void) | null = null;
      let removed = false;
      void app.whenReady().then(() => {
        if (!removed) stopSessionEnd = onSessionEnd(listener);
      });
      return () => {
        removed = true;
        app.removeListener('before-quit', listener);
        stopSessionEnd?.();
      };
    },
    quit: () => app.quit(),
    relaunch: () => {
      app.relaunch();
      app.quit();
    },
  };
}
