/**
 * After the change: whether a check sees a new password (the change date moved on compared with
 * the one kept from the last check, from Graph's lastPasswordChangeDateTime or AD's pwdLastSet),
 * and whether Windows' saved logon still has to catch up with it.
 */
import type { DirectoryStatus } from './model';

/**
 * A later date within this margin is the same change seen from the other side (AD's pwdLastSet,
 * then the cloud's date once hash sync copied it a few minutes later), never a new password:
 * directories require a day between changes anyway.
 */
export const SAME_CHANGE_MARGIN_MS = 60 * 60 * 1000;

export interface SeenChange {
  /** The user name (lower case). */
  account: string;
  lastChanged: Date | null;
}

/** True when `current` is a newer password than `kept` for the same account. */
export function passwordChangedSince(kept: SeenChange | null, current: SeenChange): boolean {
  if (kept === null || kept.account !== current.account) return false;
  if (kept.lastChanged === null || current.lastChanged === null) return false;
  return current.lastChanged.getTime() - kept.lastChanged.getTime() > SAME_CHANGE_MARGIN_MS;
}

export interface LogonCatchUpInput {
  platform: string;
  /** Graph's onPremisesSyncEnabled: a domain account. */
  synced: boolean;
  /** The figure's on-premises reading, null when the figure is the cloud's. */
  directory: DirectoryStatus | null;
}

/**
 * A domain account whose new password came from the cloud (written back to AD) while no domain
 * controller answers this computer: Windows keeps signing in with the old one until it reaches
 * the office network (or VPN) and the user locks and unlocks.
 */
export function logonCatchUpNeeded(input: LogonCatchUpInput): boolean {
  if (input.platform !== 'win32' || !input.synced) return false;
  return input.directory === null || input.directory.cached;
}
