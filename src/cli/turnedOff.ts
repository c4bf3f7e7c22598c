/**
 * The `enabled` policy set to false: `status` and `sign-in` check nothing, sign no one in and
 * exit 6, saying so (sign-out and diagnostics still work, for clean-up and support).
 */
import type { LoadedConfig } from '../main/configLoader';
import type { NotifyOutcome } from '../core/notifyOutcome';

/** The sentence, naming where the setting came from; null when the assistant is on. */
export function turnedOffMessage(loaded: LoadedConfig): string | null {
  if (loaded.config.enabled) return null;
  return `Sign-In Assistant is turned off by your organisation (enabled = false, from ${loaded.sources.enabled}): nothing was checked.`;
}

/** `status --json` when turned off: one object, like every status answer. */
export function turnedOffJson(message: string, notify: boolean): string {
  const notified: NotifyOutcome | null = notify ? 'not-due' : null;
  return JSON.stringify({ disabled: true, message, notified });
}
