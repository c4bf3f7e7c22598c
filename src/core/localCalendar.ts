/**
 * Calendar arithmetic in the user's IANA time zone. Reminders and "days left" follow the wall
 * calendar the user sees, so every day boundary is found through Intl, never by adding 24 hours.
 */

/** A date on the local wall calendar (month 1-12). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A moment on the local wall clock (hour 0-23). */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

/**
 * Reads one zone's wall clock without Intl: the process's own local time once it has been set
 * to that zone (see src/main/processWallClock.ts). Intl's first formatter costs a short-lived
 * process about 7 MiB and tens of milliseconds; every other zone still goes through Intl.
 */
export interface ZoneWallClock {
  readonly zone: string;
  read(instant: Date): LocalDateTime;
}

let ownZone: ZoneWallClock | null = null;

/** From now on `clock.zone` is read through `clock`; null goes back to Intl for every zone. */
export function useWallClock(clock: ZoneWallClock | null): void {
  ownZone = clock;
}

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

// Fixed English names: ICU versions disagree on abbreviations (en-GB "Sept" vs "Sep").
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

// Building a formatter is far slower than using one; the set of zones in use is tiny.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  let created: Intl.DateTimeFormat;
  try {
    created = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
  } catch (cause) {
    throw new RangeError(
      `Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA name such as "Europe/Berlin" or "UTC".`,
      { cause },
    );
  }
  formatters.set(timeZone, created);
  return created;
}

/** Throws a RangeError naming the zone when it is not a known IANA time zone. */
export function assertTimeZone(timeZone: string): void {
  if (ownZone !== null && timeZone === ownZone.zone) return;
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new RangeError(
      `Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA name such as "Europe/Berlin" or "UTC".`,
    );
  }
  formatterFor(timeZone);
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Expected a valid Date instant.');
  }
}

function localDateTime(instant: Date, timeZone: string): LocalDateTime {
  assertValidInstant(instant);
  if (ownZone !== null && timeZone === ownZone.zone) return ownZone.read(instant);
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? NaN,
    month: fields.month ?? NaN,
    day: fields.day ?? NaN,
    // Some ICU versions print midnight as 24 even with h23.
    hour: (fields.hour ?? NaN) % 24,
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
  };
}

/** The local calendar date of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = localDateTime(instant, timeZone);
  return { year, month, day };
}

function utcMidnight(date: LocalDate): number {
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const ms = new Date(Date.UTC(2000, date.month - 1, date.day));
  ms.setUTCFullYear(date.year);
  return ms.getTime();
}

function fromUtcMidnight(ms: number): LocalDate {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Negative when a is before b, 0 when equal, positive when after. */
export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetweenLocalDates(from: LocalDate, to: LocalDate): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / MS_PER_DAY);
}

/** The calendar date `days` after `date` (before, when negative). */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMidnight(utcMidnight(date) + days * MS_PER_DAY);
}

/** Offset of the zone's wall clock from UTC at `ms`, in ms (whole seconds). */
function offsetAt(ms: number, timeZone: string): number {
  const wall = localDateTime(new Date(ms), timeZone);
  const wallMs =
    utcMidnight(wall) + wall.hour * MS_PER_HOUR + wall.minute * 60_000 + wall.second * 1000;
  return wallMs - Math.floor(ms / 1000) * 1000;
}

function isOnOrAfter(ms: number, date: LocalDate, timeZone: string): boolean {
  return compareLocalDates(localDate(new Date(ms), timeZone), date) >= 0;
}

/**
 * The earliest instant whose local date is `date`. When local midnight does not exist (DST
 * starting at midnight) this is the first instant of that day; when the whole day was skipped
 * (a zone crossing the date line) it is the start of the first later day that exists.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  assertTimeZone(timeZone);
  const nominal = utcMidnight(date);
  // Fast path: local midnight exists and the offset around it is stable.
  const guess = nominal - offsetAt(nominal - offsetAt(nominal, timeZone), timeZone);
  if (isOnOrAfter(guess, date, timeZone) && !isOnOrAfter(guess - 1, date, timeZone)) {
    return new Date(guess);
  }
  // Slow path: binary search for the first instant on or after `date`. UTC offsets lie within
  // about ±15 h and a skipped day adds 24 h, so these bounds always bracket the answer.
  let lo = nominal - 48 * MS_PER_HOUR;
  let hi = nominal + 72 * MS_PER_HOUR;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (isOnOrAfter(mid, date, timeZone)) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The first instant of the local day after the one containing `instant`. */
export function startOfNextLocalDay(instant: Date, timeZone: string): Date {
  return startOfLocalDay(addLocalDays(localDate(instant, timeZone), 1), timeZone);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function weekdayOf(date: LocalDate): string {
  return WEEKDAYS[new Date(utcMidnight(date)).getUTCDay()] ?? '';
}

function monthName(month: number): string {
  return MONTHS[month - 1] ?? '';
}

/** "Tue 1 Dec 2026 at 09:14" in `timeZone`. */
export function formatLocalDateTime(instant: Date, timeZone: string): string {
  const t = localDateTime(instant, timeZone);
  return `${weekdayOf(t)} ${t.day} ${monthName(t.month)} ${t.year} at ${formatLocalTime(instant, timeZone)}`;
}

/** "Thu 3 Dec" in `timeZone`. */
export function formatLocalDay(instant: Date, timeZone: string): string {
  const t = localDateTime(instant, timeZone);
  return `${weekdayOf(t)} ${t.day} ${monthName(t.month)}`;
}

/** "09:14" (24-hour clock) in `timeZone`. */
export function formatLocalTime(instant: Date, timeZone: string): string {
  const t = localDateTime(instant, timeZone);
  return `${pad2(t.hour)}:${pad2(t.minute)}`;
}
