/**
 * The domain logon's own account, for reminders from the directory alone (no cloud account). Pure.
 */
import type { DirectoryEntry, DirectoryReading } from './directory';
import type { PasswordFacts } from './model';

/**
 * The name the report shows: the entry's userPrincipalName, else DOMAIN\sAMAccountName (the
 * domain's first DNS label, which is its NetBIOS name unless the domain was named otherwise).
 */
export function logonAccountName(reading: DirectoryReading): string | null {
  const { userPrincipalName, samAccountName } = reading.entry;
  if (userPrincipalName?.trim()) return userPrincipalName.trim();
  const domain = reading.domain.split('.')[0]?.trim().toUpperCase();
  return samAccountName?.trim() && domain ? `${domain}\\${samAccountName.trim()}` : null;
}

/**
 * The entry described as the account it belongs to: the logon is the user's own, so the entry is
 * taken as this user's without any cloud name to compare (there is no cloud account), and no
 * cloud date says anything about a change on its way to Microsoft 365.
 */
export function ownEntryFacts(entry: DirectoryEntry, username: string): PasswordFacts {
  return {
    userPrincipalName: entry.userPrincipalName ?? username,
    lastPasswordChangeDateTime: null,
    passwordPolicies: null,
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: null,
    onPremisesUserPrincipalName: entry.userPrincipalName,
    onPremisesSamAccountName: entry.samAccountName,
  };
}
