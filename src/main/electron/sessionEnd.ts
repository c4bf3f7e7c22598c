/**
 * The end of the user's session: log off, shut down, restart. Electron emits no `before-quit`
 * then on Windows (the process is ended with the session), so what the app holds (a reminder
 * claim, the token cache's lock) would wait for the stale rules. Electron's own signals stand in:
 * on Windows a window's `query-session-end` and `session-end` (WM_QUERYENDSESSION and
 * WM_ENDSESSION reach every top-level window, a hidden one too: a window without web contents is
 * kept for them), on macOS and Linux powerMonitor's `shutdown`. Call once the app is ready.
 */
import { BaseWindow, app, powerMonitor } from 'electron';

export function onSessionEnd(listener: () => void): () => void {
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    listener();
    // Also when the user cancels the log-off after the query: the app has released what it held.
    app.quit();
  };
  if (process.platform !== 'win32') {
    powerMonitor.on('shutdown', end);
    return () => powerMonitor.removeListener('shutdown', end);
  }
  const window = new BaseWindow({ show: false, width: 1, height: 1, skipTaskbar: true });
  window.on('query-session-end', end);
  window.on('session-end', end);
  return () => {
    if (!window.isDestroyed()) window.destroy();
  };
}
