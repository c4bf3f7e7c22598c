/**
 * Decodes the password attributes of the user's own Active Directory entry into an expiry. Pure:
 * the entry holds raw values as the directory sent them; nothing here reads the clock.
 *
 * AD times are FILETIME: 100 ns ticks since 1601-01-01 UTC, as 64-bit integers that do not fit a
 * JS number, so they are decoded with BigInt and only the millisecond result becomes a Date.
 */
import type { DirectoryEntry } from './directory';

/** The largest signed 64-bit value: "never" for msDS-UserPasswordExpiryTimeComputed. */
export const FILETIME_NEVER = 9_223_372_036_854_775_807n;
/** The smallest signed 64-bit value: maxPwdAge "never". */
export const INTERVAL_NEVER = -9_223_372_036_854_775_808n;
/** Milliseconds from 1601-01-01 to 1970-01-01 (both UTC). */
export const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;
const TICKS_PER_MS = 10_000n;

/** userAccountControl: the password never expires for this account. */
export const UF_DONT_EXPIRE_PASSWD = 0x10000;
/** msDS-User-Account-Control-Computed: the password has expired. */
export const UF_PASSWORD_EXPIRED = 0x800000;

export type FileTime =
  | { kind: 'instant'; at: Date }
  /** 0x7FFFFFFFFFFFFFFF. */
  | { kind: 'never' }
  /** 0: for the computed expiry "must change now", for pwdLastSet "must change at next logon". */
  | { kind: 'zero' }
  /** Missing, not a decimal integer, negative, or beyond 64 bits. */
  | { kind: 'unusable' };

/** Parses a signed decimal integer string that fits 64 bits; null for anything else. */
function parseInt64(value: string | null): bigint | null {
  if (value === null || !/^-?\d{1,19}$/.test(value)) return null;
  const n = BigInt(value);
  return n > FILETIME_NEVER || n < INTERVAL_NEVER ? null : n;
}

/** A FILETIME decimal string as an instant, "never", zero, or unusable. */
export function decodeFileTime(value: string | null): FileTime {
  const ticks = parseInt64(value);
  if (ticks === null || ticks < 0n) return { kind: 'unusable' };
  if (ticks === 0n) return { kind: 'zero' };
  if (ticks === FILETIME_NEVER) return { kind: 'never' };
  // BigInt division truncates toward zero: for non-negative ticks that is the floor.
  const ms = ticks / TICKS_PER_MS - FILETIME_EPOCH_OFFSET_MS;
  const at = new Date(Number(ms));
  return Number.isNaN(at.getTime()) ? { kind: 'unusable' } : { kind: 'instant', at };
}

export type PasswordAge =
  /** The longest a password may be used, in whole milliseconds. */
  | { kind: 'interval'; ms: number }
  /** No maximum: -0x8000000000000000 (or 0). */
  | { kind: 'never' }
  | { kind: 'unusable' };

/** The domain's maxPwdAge: a negative 100 ns interval; the minimum 64-bit value (or 0) = never. */
export function decodeMaxPwdAge(value: string | null): PasswordAge {
  const ticks = parseInt64(value);
  if (ticks === null || ticks > 0n) return { kind: 'unusable' };
  if (ticks === 0n || ticks === INTERVAL_NEVER) return { kind: 'never' };
  return { kind: 'interval', ms: Number(-ticks / TICKS_PER_MS) };
}

export type DirectoryExpiryKind =
  /** A date: `expiresAt` (which may already have passed). */
  | 'expires'
  /** Never expires (DONT_EXPIRE_PASSWD, smart card required, or no maximum age). */
  | 'never'
  /** The directory demands a new password now (pwdLastSet 0: "must change at next logon"). */
  | 'must-change'
  /** The entry does not say (attributes missing or not readable). */
  | 'unusable';

export interface DirectoryExpiry {
  kind: DirectoryExpiryKind;
  expiresAt: Date | null;
  /** The last change on-premises (pwdLastSet), when it is a date. */
  lastSet: Date | null;
  /** The directory itself says the password has expired (computed 0x800000). */
  expiredFlag: boolean;
  /** The domain's maximum age in days (for the explanation); null when never or not readable. */
  maxAgeDays: number | null;
  /** Which attribute gave the answer, for the log. */
  basis: 'computed' | 'pwdLastSet+maxPwdAge' | 'userAccountControl' | 'none';
}

const MS_PER_DAY = 86_400_000;

function hasFlag(value: number | null, flag: number): boolean {
  return value !== null && Number.isInteger(value) && (value & flag) !== 0;
}

/**
 * The user's password expiry from the entry. msDS-UserPasswordExpiryTimeComputed (which already
 * applies fine-grained policies) decides; when it is missing, pwdLastSet + |maxPwdAge|.
 */
export function decodeDirectoryExpiry(entry: DirectoryEntry): DirectoryExpiry {
  const lastSetValue = decodeFileTime(entry.pwdLastSet);
  const lastSet = lastSetValue.kind === 'instant' ? lastSetValue.at : null;
  const maxAge = decodeMaxPwdAge(entry.maxPwdAge);
  const maxAgeDays = maxAge.kind === 'interval' ? maxAge.ms / MS_PER_DAY : null;
  const expiredFlag = hasFlag(entry.userAccountControlComputed, UF_PASSWORD_EXPIRED);
  const base = { lastSet, expiredFlag, maxAgeDays };

  if (hasFlag(entry.userAccountControl, UF_DONT_EXPIRE_PASSWD)) {
    return { ...base, kind: 'never', expiresAt: null, basis: 'userAccountControl' };
  }
  const computed = decodeFileTime(entry.passwordExpiryTimeComputed);
  switch (computed.kind) {
    case 'instant':
      return { ...base, kind: 'expires', expiresAt: computed.at, basis: 'computed' };
    case 'never':
      return { ...base, kind: 'never', expiresAt: null, basis: 'computed' };
    case 'zero':
      return { ...base, kind: 'must-change', expiresAt: null, basis: 'computed' };
    case 'unusable':
      break;
  }

  const fallback = 'pwdLastSet+maxPwdAge' as const;
  if (lastSetValue.kind === 'zero') {
    return { ...base, kind: 'must-change', expiresAt: null, basis: fallback };
  }
  if (lastSet !== null && maxAge.kind === 'never') {
    return { ...base, kind: 'never', expiresAt: null, basis: fallback };
  }
  if (lastSet !== null && maxAge.kind === 'interval') {
    const expiresAt = new Date(lastSet.getTime() + maxAge.ms);
    if (!Number.isNaN(expiresAt.getTime())) {
      return { ...base, kind: 'expires', expiresAt, basis: fallback };
    }
  }
  return { ...base, kind: 'unusable', expiresAt: null, basis: 'none' };
}
