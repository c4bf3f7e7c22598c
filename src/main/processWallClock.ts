import type { ZoneWallClock } from '../core/localCalendar';
import { canonicalZoneName } from '../core/timeZoneChoice';

/**
 * The process's own local time as the wall clock of `zone`, for a process of its own (the
 * headless command): TZ is set to the zone, and Date's local fields then come from the same ICU
 * zone data Intl uses, without the locale tables Intl's first formatter loads. Only a name the
 * runtime lists as canonical is used (a Date falls back to UTC for a name it does not know);
 * for any other, null, and Intl reads the zone as before.
 */
export function processWallClock(
  zone: string,
  env: NodeJS.ProcessEnv = process.env,
): ZoneWallClock | null {
  if (canonicalZoneName(zone) !== zone) return null;
  // Node.js tells V8 when process.env.TZ is assigned, and Date's local time follows at once.
  env.TZ = zone;
  return {
    zone,
    read: (instant) => ({
      year: instant.getFullYear(),
      month: instant.getMonth() + 1,
      day: instant.getDate(),
      hour: instant.getHours(),
      minute: instant.getMinutes(),
      second: instant.getSeconds(),
    }),
  };
}
