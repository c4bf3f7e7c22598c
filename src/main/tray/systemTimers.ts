import type { TimerHandle, TimerPort } from './desktopPorts';

/** The real timers, behind the port so tests can drive time themselves. */
export const systemTimers: TimerPort = {
  setTimeout(callback, delayMs) {
    return { timerId: setTimeout(callback, delayMs) };
  },
  clearTimeout(handle: TimerHandle) {
    clearTimeout(handle.timerId as NodeJS.Timeout);
  },
};
