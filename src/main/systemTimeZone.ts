import { readFileSync, realpathSync } from 'node:fs';
import { chooseTimeZone } from '../core/timeZoneChoice';
import type { TimeZoneClues } from '../core/timeZoneChoice';
import type { Logger } from '../core/ports';

function resolveLink(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function etcTimezone(): string | null {
  try {
    return readFileSync('/etc/timezone', 'utf8').slice(0, 200).split('\n')[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The user's IANA time zone for reminders and dates, used by the tray app and the headless
 * command alike. Never fails: when nothing names a usable zone it logs why and uses UTC.
 */
export function systemTimeZone(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  clues: Partial<TimeZoneClues> = {},
): string {
  const choice = chooseTimeZone({
    intlZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    tz: env.TZ,
    resolveLink,
    etcTimezone,
    ...clues,
  });
  if (choice.fallback) logger.warn('Time zone not known; using UTC', { reason: choice.note });
  else if (choice.note) logger.info('Time zone found', { zone: choice.zone, from: choice.note });
  return choice.zone;
}
