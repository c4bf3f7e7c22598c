/**
 * Whether Sign-In Assistant starts when the user signs in. The installers add one Run entry for
 * every user, so the app decides at start (launched with `--at-login`) whether to stay: the
 * `startAtLogin` policy when it is enforced, otherwise the user's own choice from the tray menu.
 */
import type { ConfigLayer } from '../core/config';

export interface StartAtLoginInput {
  /** The `startAtLogin` setting (policy or configuration file); null when not set. */
  policy: boolean | null;
  /** True when an enforced policy decides it (the tray menu item is greyed out). */
  locked: boolean;
  /** What the user chose in the tray menu; null when they never chose. */
  userChoice: boolean | null;
}

/** On unless turned off: the installers register the start for everyone on purpose. */
export function effectiveStartAtLogin(input: StartAtLoginInput): boolean {
  if (input.locked && input.policy !== null) return input.policy;
  return input.userChoice ?? input.policy ?? true;
}

/** False when the sign-in entry started the app but start at login is off for this user. */
export function shouldRunAtLogin(input: StartAtLoginInput & { launchedAtLogin: boolean }): boolean {
  return !input.launchedAtLogin || effectiveStartAtLogin(input);
}

/**
 * The `startAtLogin` an admin enforces, read from the policy layers alone (the strongest last),
 * so a start at sign-in can honour it even when other settings are not valid. Null when no policy
 * sets it to a boolean.
 */
export function enforcedStartAtLogin(layers: readonly ConfigLayer[]): boolean | null {
  let enforced: boolean | null = null;
  for (const layer of layers) {
    if (layer.enforced !== true || typeof layer.values !== 'object' || layer.values === null) {
      continue;
    }
    const value = (layer.values as Record<string, unknown>).startAtLogin;
    if (typeof value === 'boolean') enforced = value;
  }
  return enforced;
}
