/**
 * Combines the cloud's answer with the user's own on-premises AD entry. For a user synced from
 * AD the cloud says "never expires" while AD decides, so a usable directory reading wins. Pure:
 * `now` and the time zone are arguments.
 */
import type { DirectoryFailureKind, DirectoryReading } from './directory';
import { decodeDirectoryExpiry, type DirectoryExpiry } from './directoryExpiry';
import { domainSpelling, matchDirectoryUser, type UserMatch } from './directoryMatch';
import { withExpiry, withoutExpiry } from './expiry';
import { messages } from './messages';
import type { DirectoryStatus, ExpiryEvaluation, PasswordFacts } from './model';

/**
 * An on-premises change newer than this is "on its way" to Microsoft 365 (password hash sync
 * runs every two minutes; older setups took up to 15). Past it, a cloud date that stays older is
 * not a sync in progress (pass-through or federated sign-in, or sync stopped), so nothing is said.
 */
export const SYNC_PENDING_WINDOW_MS = 60 * 60 * 1000;

export interface DirectoryUse {
  /** This check's reading, or the last good one kept from earlier checks. */
  reading: DirectoryReading;
  /** True when this check could not read the directory and `reading` is the kept one. */
  cached: boolean;
}

export interface HybridInput {
  /** evaluateExpiry's answer from the cloud. */
  cloud: ExpiryEvaluation;
  facts: PasswordFacts | null;
  /** null: no reading, now or kept. */
  directory: DirectoryUse | null;
  /** Why this check's read failed, when it did. */
  failure: DirectoryFailureKind | null;
  /** Say a failure in the reason (mode `on`); in `auto` the cloud answer stands quietly. */
  reportFailure: boolean;
  /** The on-premises change (pwdLastSet) the previous check found still on its way, if any. */
  pendingChange: Date | null;
  windowDays: number;
  now: Date;
  timeZone: string;
}

export interface HybridResult {
  evaluation: ExpiryEvaluation;
  directory: DirectoryStatus | null;
  /** Keep for the next check: the on-premises change still on its way to Microsoft 365. */
  pendingChange: Date | null;
  /**
   * Why a reading there was is not used (another user's, nothing to compare, unusable), for the
   * log: the status says it only where the cloud does not know the expiry either.
   */
  ignored: string | null;
}

function isValidDate(d: Date | null | undefined): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** Graph reports whole seconds, AD 100 ns: instants are compared on Graph's grain. */
function wholeSecond(d: Date): number {
  return Math.floor(d.getTime() / 1000) * 1000;
}

/** What the status says about a change made on-premises reaching Microsoft 365. */
export function decidePasswordSync(input: {
  /** AD's pwdLastSet. */
  lastSet: Date | null;
  /** Graph's lastPasswordChangeDateTime. */
  cloudLastChanged: Date | null;
  pendingChange: Date | null;
  now: Date;
}): { passwordSync: DirectoryStatus['passwordSync']; pendingChange: Date | null } {
  const { lastSet, cloudLastChanged, pendingChange, now } = input;
  if (!isValidDate(cloudLastChanged)) return { passwordSync: null, pendingChange: null };
  if (
    isValidDate(lastSet) &&
    wholeSecond(lastSet) > wholeSecond(cloudLastChanged) &&
    now.getTime() - lastSet.getTime() < SYNC_PENDING_WINDOW_MS
  ) {
    return { passwordSync: 'pending', pendingChange: lastSet };
  }
  if (isValidDate(pendingChange) && wholeSecond(cloudLastChanged) >= wholeSecond(pendingChange)) {
    return { passwordSync: 'arrived', pendingChange: null };
  }
  return { passwordSync: null, pendingChange: null };
}

/**
 * Whether a kept reading still describes the current password: a change that reached the cloud
 * after the reading (and is not the on-premises change the reading already saw, on its way) makes
 * it obsolete.
 */
export function isKeptReadingCurrent(
  reading: DirectoryReading,
  facts: PasswordFacts | null,
): boolean {
  const cloudChanged = facts?.lastPasswordChangeDateTime ?? null;
  if (!isValidDate(cloudChanged)) return true;
  if (cloudChanged.getTime() <= reading.readAt.getTime()) return true;
  const lastSet = decodeDirectoryExpiry(reading.entry).lastSet;
  return lastSet !== null && cloudChanged.getTime() - lastSet.getTime() < SYNC_PENDING_WINDOW_MS;
}

/** Why the reading is not this user's, in words (the status reason or the log's). */
function notTheUser(match: UserMatch): string | null {
  switch (match.kind) {
    case 'same':
      return null;
    case 'other':
      return messages.reasons.directoryOtherUser;
    case 'nothing-to-compare':
      return match.missing === 'account'
        ? messages.reasons.directoryNoOnPremisesNames
        : messages.reasons.directoryEntryUnnamed;
  }
}

function withReason(cloud: ExpiryEvaluation, reason: string): ExpiryEvaluation {
  // Only a cloud answer that does not know the expiry takes the directory's reason.
  return cloud.state === 'unknown' ? { ...cloud, reason } : cloud;
}

function statusOf(
  reading: DirectoryReading,
  cached: boolean,
  passwordSync: DirectoryStatus['passwordSync'],
): DirectoryStatus {
  return {
    domain: domainSpelling(reading.domain),
    server: reading.server,
    readAt: reading.readAt.toISOString(),
    cached,
    passwordSync,
  };
}

/** A Kerberos KDC accepts clocks 5 minutes apart: a date that close to now may have passed there. */
export const KERBEROS_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * The domain refused the logon because the password expired: that outranks any reading kept from
 * before, but the reading's exact date is the answer when it has passed (by the domain's clock).
 */
function refusedAsExpired(input: HybridInput, match: UserMatch | null): HybridResult {
  const { cloud, directory, now } = input;
  const decoded =
    directory && match?.kind === 'same' ? decodeDirectoryExpiry(directory.reading.entry) : null;
  const expiresAt = decoded?.kind === 'expires' ? decoded.expiresAt : null;
  if (directory && expiresAt && expiresAt.getTime() <= now.getTime() + KERBEROS_CLOCK_SKEW_MS) {
    const lastChanged = decoded?.lastSet ?? cloud.lastChanged;
    const evaluation = withExpiry(
      expiresAt,
      input.windowDays,
      lastChanged,
      'directory',
      now,
      input.timeZone,
    );
    return {
      evaluation: { ...evaluation, state: 'expired' },
      // The domain answered in this check: not "as of"; the date was read at `readAt`.
      directory: statusOf(directory.reading, false, null),
      pendingChange: null,
      ignored: null,
    };
  }
  // No date to show, and no entry behind the figure: `directory` is null (README, status --json).
  const expired = withoutExpiry(
    'unknown',
    'directory',
    messages.reasons.directoryPasswordExpired,
    cloud.lastChanged,
  );
  return {
    evaluation: { ...expired, state: 'expired' },
    directory: null,
    pendingChange: null,
    ignored: null,
  };
}

/** The figure from an entry of this user's; null when the entry does not say. */
function directoryFigure(decoded: DirectoryExpiry, input: HybridInput): ExpiryEvaluation | null {
  const { cloud, now } = input;
  const lastChanged = decoded.lastSet ?? cloud.lastChanged;
  switch (decoded.kind) {
    case 'never':
      return withoutExpiry(
        'never',
        'directory',
        decoded.basis === 'userAccountControl'
          ? messages.reasons.accountNeverExpires
          : messages.reasons.directoryNeverExpires,
        lastChanged,
      );
    case 'must-change':
      return {
        ...withoutExpiry('unknown', 'directory', messages.reasons.mustChangeNow, lastChanged),
        state: 'expired',
      };
    case 'unusable':
      return null;
    case 'expires': {
      const expiresAt = decoded.expiresAt ?? now;
      const evaluation = withExpiry(
        expiresAt,
        input.windowDays,
        lastChanged,
        'directory',
        now,
        input.timeZone,
      );
      // The directory's own flag outranks the clock (a DC's clock may differ from ours).
      return decoded.expiredFlag ? { ...evaluation, state: 'expired' } : evaluation;
    }
  }
}

export function combineWithDirectory(input: HybridInput): HybridResult {
  const { cloud, facts, directory, failure } = input;
  const match = directory ? matchDirectoryUser(directory.reading.entry, facts) : null;
  if (failure === 'password-expired') return refusedAsExpired(input, match);
  const unused = (reason: string): HybridResult => ({
    evaluation: withReason(cloud, reason),
    directory: null,
    pendingChange: null,
    ignored: reason,
  });
  if (directory === null || match === null) {
    const evaluation =
      input.reportFailure && failure !== null
        ? withReason(cloud, messages.reasons.directoryFailed(failure))
        : cloud;
    return { evaluation, directory: null, pendingChange: null, ignored: null };
  }
  const otherUser = notTheUser(match);
  if (otherUser !== null) return unused(otherUser);
  const decoded = decodeDirectoryExpiry(directory.reading.entry);
  const evaluation = directoryFigure(decoded, input);
  if (evaluation === null) return unused(messages.reasons.directoryUnusable);

  const sync = decidePasswordSync({
    lastSet: decoded.lastSet,
    cloudLastChanged: facts?.lastPasswordChangeDateTime ?? null,
    pendingChange: input.pendingChange,
    now: input.now,
  });
  return {
    evaluation,
    directory: statusOf(directory.reading, directory.cached, sync.passwordSync),
    pendingChange: sync.pendingChange,
    ignored: null,
  };
}
