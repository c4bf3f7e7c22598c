/**
 * Which IANA time zone the user lives in, from the clues the system gives. The runtime's own
 * answer is usually right, but TZ=":/etc/localtime", an empty, unknown or POSIX-style TZ leave it
 * undefined or invalid: then the zone file the system points at is read, and UTC is the last
 * resort. The runtime's answer is read from the clue it reads itself (TZ, else the system's zone
 * link) when that names a canonical zone, so a short-lived process needs no Intl formatter.
 * Pure: the file lookups are passed in.
 */

// The runtime's canonical zone names, each of which it reports as itself; and the names it
// reports as "UTC". Asking for the list costs nothing: the first Intl formatter loads ICU's
// locale tables (about 7 MiB and tens of milliseconds), which a short-lived process avoids.
let canonicalZones: ReadonlySet<string> | null = null;
const UTC_NAMES: ReadonlySet<string> = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/GMT',
  'GMT',
  'Etc/Universal',
]);

/**
 * The name the runtime itself reports for `name` ("UTC" for its aliases), when that is known
 * without building a formatter; null otherwise (the name may still be a zone: ask Intl).
 */
export function canonicalZoneName(name: string): string | null {
  if (UTC_NAMES.has(name)) return 'UTC';
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  return canonicalZones.has(name) ? name : null;
}

/** True for a zone name the Intl API accepts (ICU's "Etc/Unknown" is a placeholder, not a zone). */
export function isUsableTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) return false;
  if (name === 'Etc/Unknown') return false;
  if (canonicalZoneName(name) !== null) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** "Europe/Berlin" from ".../zoneinfo/Europe/Berlin" (or its posix/ and right/ variants). */
export function zoneFromZoneinfoPath(path: string): string | null {
  const name = zoneinfoName(path);
  return isUsableTimeZone(name) ? name : null;
}

function zoneinfoName(path: string): string | null {
  const marker = '/zoneinfo/';
  const at = path.lastIndexOf(marker);
  return at < 0 ? null : path.slice(at + marker.length).replace(/^(posix|right)\//, '');
}

export interface TimeZoneClues {
  /**
   * `Intl.DateTimeFormat().resolvedOptions().timeZone`, which may be undefined or invalid. Asked
   * only when TZ or the system's zone link do not already name a canonical zone.
   */
  intlZone: () => string | undefined;
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

/**
 * What the runtime would answer, read from the same clue it reads (a TZ naming a zone, else the
 * zone the system link points at), when that names a canonical zone; null otherwise.
 */
function runtimeZoneWithoutIntl(clues: TimeZoneClues): string | null {
  if (clues.tz === undefined) {
    const target = clues.resolveLink(SYSTEM_ZONE_LINK);
    const name = target === null ? null : zoneinfoName(target);
    return name === null ? null : canonicalZoneName(name);
  }
  return /^[A-Za-z]/.test(clues.tz) ? canonicalZoneName(clues.tz) : null;
}

export function chooseTimeZone(clues: TimeZoneClues): TimeZoneChoice {
  const known = runtimeZoneWithoutIntl(clues);
  if (known !== null) return { zone: known, note: null, fallback: false };
  const intlZone = clues.intlZone();
  if (isUsableTimeZone(intlZone)) return { zone: intlZone, note: null, fallback: false };
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
