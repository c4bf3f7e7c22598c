/**
 * The security settings of every window the app opens, and the guards that keep it on our own
 * page. Only types come from Electron here, so the settings can be checked by a plain Node test.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** Fixed forever: Windows ties toasts and the Start-menu shortcut to it (see electron-builder.yml). */
export const APP_USER_MODEL_ID = 'com.signinassistant.app';

/** How the app runs: packaged by the installers, or from the sources (`npm start`). */
export interface BuildKind {
  /** Electron's `app.isPackaged`. */
  packaged: boolean;
}

export function statusWindowWebPreferences(preloadPath: string, build: BuildKind): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Developer tools only when run from the sources; never for the people who use the app.
    devTools: !build.packaged,
    safeDialogs: true,
    // Middle-click could otherwise open a link in a new window.
    disableBlinkFeatures: 'Auxclick',
  };
}

/** The status window: created hidden, shown when its page is ready, never at start. */
export function statusWindowOptions(
  preloadPath: string,
  build: BuildKind,
): BrowserWindowConstructorOptions {
  return {
    width: 520,
    height: 640,
    minWidth: 380,
    minHeight: 420,
    show: false,
    title: 'Sign-In Assistant',
    autoHideMenuBar: true,
    webPreferences: statusWindowWebPreferences(preloadPath, build),
  };
}

/** The smallest part of WebContents the guards need (so tests can pass a fake). */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: { preventDefault(): void }, url?: unknown) => void,
  ): unknown;
}

/**
 * Denies every new window and every navigation away from our page. Links are never followed
 * inside the app: the page asks the main process, which checks the allowlist.
 */
export function guardWebContents(
  contents: GuardedContents,
  appPageUrl: string,
  onRefused: (what: string, url: string) => void,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    onRefused('window.open', url);
    return { action: 'deny' };
  });
  const stayOnPage = (what: string) => (event: { preventDefault(): void }, url?: unknown) => {
    if (url === appPageUrl) return;
    event.preventDefault();
    onRefused(what, typeof url === 'string' ? url : '(unknown)');
  };
  contents.on('will-navigate', stayOnPage('navigation'));
  contents.on('will-redirect', stayOnPage('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onRefused('webview', '(webview)');
  });
}
