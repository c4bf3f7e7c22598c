/**
 * Asks the Windows shell whether it would show a notification now
 * (`SHQueryUserNotificationState` in shell32, through koffi). Elsewhere the answer is always
 * `accepts`: macOS and Linux report a notification shown or refused themselves.
 */
import type { Logger } from '../../core/ports';
import type { NotificationState, NotificationStatePort } from '../tray/desktopPorts';
import type * as NativeFfi from '../onprem/nativeFfi';

/** QUERY_USER_NOTIFICATION_STATE (shellapi.h), 1-7. */
const QUNS_STATES: Readonly<Record<number, NotificationState>> = Object.freeze({
  1: 'not-present',
  2: 'busy',
  3: 'full-screen',
  4: 'presentation',
  5: 'accepts',
  6: 'quiet-time',
  7: 'app',
});

/** The state for an HRESULT and the value written: `unknown` for a failure or a value not listed. */
export function notificationStateFrom(hresult: number, value: number): NotificationState {
  if (hresult < 0) return 'unknown';
  return QUNS_STATES[value] ?? 'unknown';
}

type QueryState = (out: [number]) => number;

function loadShell32(): QueryState {
  // Loaded at the first question, on Windows only (koffi's native library).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { koffi } = require('../onprem/nativeFfi') as typeof NativeFfi;
  const shell32 = koffi.load('shell32.dll');
  return shell32.func(
    'int32_t __stdcall SHQueryUserNotificationState(_Out_ int32_t *state)',
  ) as QueryState;
}

/** The shell's answer on Windows, `accepts` elsewhere. Never throws: a failure is `unknown`. */
export function createNotificationState(
  platform: NodeJS.Platform,
  logger?: Logger,
  load: () => QueryState = loadShell32,
): NotificationStatePort {
  if (platform !== 'win32') return { current: () => 'accepts' };
  let query: QueryState | null = null;
  let failed = false;
  return {
    current() {
      if (failed) return 'unknown';
      try {
        query ??= load();
        const out: [number] = [0];
        const hresult = query(out);
        const state = notificationStateFrom(hresult, out[0]);
        if (state === 'unknown') {
          logger?.warn('the shell gave no notification state', { hresult, value: out[0] });
        }
        return state;
      } catch (error) {
        // Asked before every reminder: one warning, then the reminder waits for the shell's show.
        failed = true;
        logger?.warn('cannot ask the shell whether it shows notifications', {
          error: String(error),
        });
        return 'unknown';
      }
    },
  };
}
