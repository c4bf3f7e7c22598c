/**
 * Combines the cloud's answer with the user's own on-premises AD entry. For a user synced from
 * AD the cloud says "never expires" while AD decides, so a usable directory reading wins. Pure:
 * `now` and the time zone are arguments.
 */
import type { DirectoryEntry, DirectoryFailureKind, DirectoryReading } from './directory';
import { decodeDirectoryExpiry } from './directoryExpiry';
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

const same = (a: string | null | undefined, b: string | null | undefined): boolean | null =>
  a && b ? a.trim().toLowerCase() === b.trim().toLowerCase() : null;

/**
 * Whether the AD entry (the computer's logon) is the signed-in Microsoft 365 user's: a matching
 * on-premises user principal name or sAMAccountName. Names that can be compared and all differ
 * mean another user (a shared computer); with nothing to compare it is taken as the same.
 */
export function isSameUser(entry: DirectoryEntry, facts: PasswordFacts | null): boolean {
  if (facts === null) return true;
  const byUpn = same(
    entry.userPrincipalName,
    facts.onPremisesUserPrincipalName ?? facts.userPrincipalName,
  );
  const bySam = same(entry.samAccountName, facts.onPremisesSamAccountName);
  if (byUpn === true || bySam === true) return true;
  return byUpn === null && bySam === null;
}

function withReason(cloud: ExpiryEvaluation, reason: string): ExpiryEvaluation {
  // Only a cloud answer that does not know the expiry takes the directory's reason.
  return cloud.state === 'unknown' ? { ...cloud, reason } : cloud;
}

export function combineWithDirectory(input: HybridInput): HybridResult {
  const { cloud, facts, directory, failure, now, timeZone } = input;
  // The domain itself said the password expired: that outranks any reading kept from before.
  if (failure === 'password-expired') {
    return {
      evaluation: {
        ...withoutExpiry(
          'unknown',
          'directory',
          messages.reasons.directoryPasswordExpired,
          cloud.lastChanged,
        ),
        state: 'expired',
      },
      directory: null,
      pendingChange: null,
    };
  }
  if (directory === null) {
    const evaluation =
      input.reportFailure && failure !== null
        ? withReason(cloud, messages.reasons.directoryFailed(failure))
        : cloud;
    return { evaluation, directory: null, pendingChange: null };
  }

  if (!isSameUser(directory.reading.entry, facts)) {
    return {
      evaluation: withReason(cloud, messages.reasons.directoryOtherUser),
      directory: null,
      pendingChange: null,
    };
  }
  const decoded = decodeDirectoryExpiry(directory.reading.entry);
  if (decoded.kind === 'unusable') {
    return {
      evaluation: withReason(cloud, messages.reasons.directoryUnusable),
      directory: null,
      pendingChange: null,
    };
  }

  const lastChanged = decoded.lastSet ?? cloud.lastChanged;
  let evaluation: ExpiryEvaluation;
  switch (decoded.kind) {
    case 'never':
      evaluation = withoutExpiry(
        'never',
        'directory',
        decoded.basis === 'userAccountControl'
          ? messages.reasons.accountNeverExpires
          : messages.reasons.directoryNeverExpires,
        lastChanged,
      );
      break;
    case 'must-change':
      evaluation = {
        ...withoutExpiry('unknown', 'directory', messages.reasons.mustChangeNow, lastChanged),
        state: 'expired',
      };
      break;
    case 'expires': {
      const expiresAt = decoded.expiresAt ?? now;
      evaluation = withExpiry(expiresAt, input.windowDays, lastChanged, 'directory', now, timeZone);
      // The directory's own flag outranks the clock (a DC's clock may differ from ours).
      if (decoded.expiredFlag) evaluation = { ...evaluation, state: 'expired' };
      break;
    }
  }

  const sync = decidePasswordSync({
    lastSet: decoded.lastSet,
    cloudLastChanged: facts?.lastPasswordChangeDateTime ?? null,
    pendingChange: input.pendingChange,
    now,
  });
  const { reading } = directory;
  return {
    evaluation,
    directory: {
      domain: reading.domain,
      server: reading.server,
      readAt: reading.readAt.toISOString(),
      cached: directory.cached,
      passwordSync: sync.passwordSync,
    },
    pendingChange: sync.pendingChange,
  };
}
