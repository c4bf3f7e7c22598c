/**
 * Decides when the user's password expires and whether reminders are due, from what Graph, the
 * ID token and the admin's policy say. Pure: `now` and the time zone are arguments.
 */
import { assertTimeZone, daysBetweenLocalDates, localDate } from './localCalendar';
import { messages } from './messages';
import type {
  ExpiryEvaluation,
  ExpiryInput,
  ExpiryPolicy,
  ExpirySource,
  PasswordState,
} from './model';

export const MS_PER_DAY = 86_400_000;

/** Graph's "never expires" value for passwordValidityPeriodInDays. */
export const NEVER_EXPIRES_DAYS = 2_147_483_647;

/** True when the comma-separated passwordPolicies contain DisablePasswordExpiration. */
export function hasDisablePasswordExpiration(passwordPolicies: string | null): boolean {
  if (passwordPolicies === null) return false;
  return passwordPolicies
    .split(',')
    .some((p) => p.trim().toLowerCase() === 'disablepasswordexpiration');
}

function isValidDate(d: Date | null | undefined): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

function policySource(policy: ExpiryPolicy): ExpirySource {
  return policy.from === 'domain' ? 'graph' : 'policy';
}

export function withoutExpiry(
  state: 'never' | 'unknown',
  source: ExpirySource,
  reason: string,
  lastChanged: Date | null,
): ExpiryEvaluation {
  return {
    state,
    lastChanged,
    expiresAt: null,
    windowStartsAt: null,
    daysLeft: null,
    source,
    reason,
  };
}

export function withExpiry(
  expiresAt: Date,
  windowDays: number,
  lastChanged: Date | null,
  source: ExpirySource,
  now: Date,
  timeZone: string,
): ExpiryEvaluation {
  // The window is an exact span before the instant of expiry, not a count of calendar days.
  const windowStartsAt = new Date(expiresAt.getTime() - Math.max(0, windowDays) * MS_PER_DAY);
  const t = now.getTime();
  const state: PasswordState =
    t >= expiresAt.getTime() ? 'expired' : t >= windowStartsAt.getTime() ? 'expiring' : 'ok';
  return {
    state,
    lastChanged,
    expiresAt,
    windowStartsAt,
    daysLeft: daysBetweenLocalDates(localDate(now, timeZone), localDate(expiresAt, timeZone)),
    source,
    reason: null,
  };
}

export function evaluateExpiry(input: ExpiryInput): ExpiryEvaluation {
  const { facts, claims, policy, now, timeZone } = input;
  assertTimeZone(timeZone);
  if (!isValidDate(now)) throw new RangeError('evaluateExpiry needs a valid `now`.');
  const lastChanged = isValidDate(facts?.lastPasswordChangeDateTime)
    ? facts.lastPasswordChangeDateTime
    : null;

  // The token's pwd_exp is the directory's own answer, so it wins over any computation.
  if (claims && Number.isFinite(claims.pwdExpSeconds) && isValidDate(claims.issuedAt)) {
    const expiresAt = new Date(claims.issuedAt.getTime() + claims.pwdExpSeconds * 1000);
    if (isValidDate(expiresAt)) {
      return withExpiry(expiresAt, policy.windowDays, lastChanged, 'token', now, timeZone);
    }
  }

  if (facts === null) {
    return withoutExpiry('unknown', 'policy', messages.reasons.noPasswordFacts, null);
  }

  if (hasDisablePasswordExpiration(facts.passwordPolicies)) {
    // Directory sync writes this flag for synced users while their AD password still expires.
    if (facts.onPremisesSyncEnabled === true) {
      return withoutExpiry('unknown', 'graph', messages.reasons.managedOnPremises, lastChanged);
    }
    return withoutExpiry('never', 'graph', messages.reasons.accountNeverExpires, lastChanged);
  }

  const source = policySource(policy);
  const { validityDays } = policy;
  if (validityDays === 0 || validityDays >= NEVER_EXPIRES_DAYS) {
    return withoutExpiry('never', source, messages.reasons.policyNeverExpires, lastChanged);
  }
  if (!Number.isInteger(validityDays) || validityDays < 0) {
    return withoutExpiry('unknown', source, messages.reasons.invalidPolicy, lastChanged);
  }

  if (lastChanged === null) {
    return withoutExpiry('unknown', source, messages.reasons.noLastChange, null);
  }

  const expiresAt = new Date(lastChanged.getTime() + validityDays * MS_PER_DAY);
  if (!isValidDate(expiresAt)) {
    // Beyond the representable range of dates: for any practical purpose, never.
    return withoutExpiry('never', source, messages.reasons.policyNeverExpires, lastChanged);
  }
  return withExpiry(expiresAt, policy.windowDays, lastChanged, source, now, timeZone);
}
