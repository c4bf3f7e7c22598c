/**
 * Sanity checks for instants a server sends. A date from before the service existed or from the
 * future is not an answer to act on: it would turn into "expired 155,000 days ago" or "never".
 * Pure: `now` is an argument.
 */
import type { TokenPasswordClaims } from './model';
import { shortened } from './inputLimits';

/** Nothing a directory reports about a password can be older than this. */
export const EARLIEST_PLAUSIBLE_INSTANT = new Date(Date.UTC(1990, 0, 1));

/** Clocks disagree a little; more than a day ahead is not a clock difference. */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/** The longest `pwd_exp` taken at its word: the longest password validity a policy allows. */
export const MAX_PWD_EXP_SECONDS = 730 * 24 * 60 * 60;

/** ISO 8601 with a date, a time and an explicit offset, as Graph writes them. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/i;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Whether every field names something that exists: `new Date` rolls 30 February over to
 * 2 March and 24:00 to the next day instead of refusing them.
 */
function fieldsExist(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [
    match[1],
    match[2],
    match[3],
    match[4],
    match[5],
    match[6] ?? '0',
    match[9] ?? '0',
    match[10] ?? '0',
  ].map(Number) as [number, number, number, number, number, number, number, number];
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

export type InstantCheck = { ok: true; date: Date } | { ok: false; problem: string };

function plausible(date: Date, now: Date): string | null {
  if (date.getTime() < EARLIEST_PLAUSIBLE_INSTANT.getTime()) return 'is before 1990';
  if (date.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return 'is in the future';
  return null;
}

/** A server's ISO 8601 instant, if it is one and lies between 1990 and a day from now. */
export function checkServerInstant(value: string, now: Date): InstantCheck {
  const shown = JSON.stringify(shortened(value));
  const match = ISO_INSTANT.exec(value);
  if (!match) return { ok: false, problem: `${shown} is not an ISO 8601 date` };
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !fieldsExist(match)) {
    return { ok: false, problem: `${shown} is not a valid date` };
  }
  const problem = plausible(date, now);
  return problem === null ? { ok: true, date } : { ok: false, problem: `${shown} ${problem}` };
}

/** Why the ID token's `pwd_exp` / `iat` cannot be used, or null when they can. */
export function passwordClaimsProblem(claims: TokenPasswordClaims, now: Date): string | null {
  const { pwdExpSeconds, issuedAt } = claims;
  if (!Number.isFinite(pwdExpSeconds) || pwdExpSeconds < 0 || pwdExpSeconds > MAX_PWD_EXP_SECONDS) {
    return `pwd_exp ${shortened(String(pwdExpSeconds))} is out of range (0 to ${MAX_PWD_EXP_SECONDS} seconds)`;
  }
  if (Number.isNaN(issuedAt.getTime())) return 'iat is not a valid time';
  const problem = plausible(issuedAt, now);
  return problem === null ? null : `iat ${issuedAt.toISOString()} ${problem}`;
}
