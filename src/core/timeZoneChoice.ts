/**
 * Which IANA time zone the user lives in, from the clues the system gives. The runtime's own
 * answer is usually right, but TZ=":/etc/localtime", an empty, unknown or POSIX-style TZ leave it
 * undefined or invalid: then the zone file the system points at is read, and UTC is the last
 * resort. Pure: the file lookups are passed in.
 */

/** True for a zone name the Intl API accepts (ICU's "Etc/Unknown" is a placeholder, not a zone). */
export function isUsableTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) return false;
  if (name === 'Etc/Unknown') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** "Europe/Berlin" from ".../zoneinfo/Europe/Berlin" (or its posix/ and right/ variants). */
export function zoneFromZoneinfoPath(path: string): string | null {
  const marker = '/zoneinfo/';
  const at = path.lastIndexOf(marker);
  if (at < 0) return null;
  const name = path.slice(at + marker.length).replace(/^(posix|right)\//, '');
  return isUsableTimeZone(name) ? name : null;
}

export interface TimeZoneClues {
  /** `Intl.DateTimeFormat().resolvedOptions().timeZone`, which may be undefined or invalid. */
  intlZone: string | undefined;
  /** The TZ environment variable. */
  tz: string | undefined;
  /** Where a path leads after following links, or null when it cannot be followed. */
  resolveLink: (path: string) => string | null;
  /** The first line of /etc/timezone (Debian, Ubuntu), or null. */
  etcTimezone: () => string | null;
}

export interface TimeZoneChoice {
  zone: string;
  /** Why the runtime's own answer was not used; null when it was. */
  note: string | null;
  /** True when nothing named a zone and UTC stands in. */
  fallback: boolean;
}

const SYSTEM_ZONE_LINK = '/etc/localtime';

function fromSystemFiles(clues: TimeZoneClues, link: string): string | null {
  const target = clues.resolveLink(link);
  const fromLink = target === null ? null : zoneFromZoneinfoPath(target);
  if (fromLink) return fromLink;
  if (link !== SYSTEM_ZONE_LINK) return null;
  const named = clues.etcTimezone()?.trim();
  return isUsableTimeZone(named) ? named : null;
}

export function chooseTimeZone(clues: TimeZoneClues): TimeZoneChoice {
  if (isUsableTimeZone(clues.intlZone))
    return { zone: clues.intlZone, note: null, fallback: false };
  const tz = clues.tz?.trim() ?? '';
  const shownTz = JSON.stringify(tz.slice(0, 100));
  // POSIX: ":name" means "the zone in file name"; a leading "/" is a file path too.
  const named = tz.startsWith(':') ? tz.slice(1) : tz;
  if (named === '') {
    const zone = fromSystemFiles(clues, SYSTEM_ZONE_LINK);
    if (zone) return { zone, note: `read from ${SYSTEM_ZONE_LINK}`, fallback: false };
    return {
      zone: 'UTC',
      note: `no time zone set (TZ ${tz === '' && clues.tz === undefined ? 'unset' : shownTz}) and none found in ${SYSTEM_ZONE_LINK}`,
      fallback: true,
    };
  }
  if (named.startsWith('/')) {
    const zone = fromSystemFiles(clues, named);
    if (zone) return { zone, note: `read from ${named.slice(0, 200)}`, fallback: false };
    return { zone: 'UTC', note: `TZ ${shownTz} points at no known zone file`, fallback: true };
  }
  if (isUsableTimeZone(named)) return { zone: named, note: `from TZ ${shownTz}`, fallback: false };
  return { zone: 'UTC', note: `TZ ${shownTz} names no known time zone`, fallback: true };
}
