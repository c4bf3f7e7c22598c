/**
 * Whether an on-premises AD entry (the one the computer's logon reads) is the signed-in Microsoft
 * 365 user's. Pure. A match needs the same name on both sides; where no name can be compared (a
 * shared desk account without a user principal name, a cloud-only user, a Graph record without
 * the on-premises names) the entry is never taken as the user's.
 */
import type { DirectoryEntry } from './directory';
import type { PasswordFacts } from './model';

/** Which names decided. */
export type MatchBasis =
  /** The entry's userPrincipalName and Graph's onPremisesUserPrincipalName. */
  | 'on-premises-upn'
  /** The entry's userPrincipalName and the Microsoft 365 user principal name. */
  | 'cloud-upn'
  /** The entry's sAMAccountName and Graph's onPremisesSamAccountName (in the same domain). */
  | 'sam-account-name'
  /** The same sAMAccountName, but in another domain than Graph's onPremisesDomainName. */
  | 'domain';

export type UserMatch =
  | { kind: 'same'; by: MatchBasis }
  /** Names were compared and differ: another person's entry. */
  | { kind: 'other'; by: MatchBasis }
  /**
   * No name present on both sides. `account`: Microsoft 365 names no on-premises account and its
   * user principal name does not match the entry's; `entry`: the entry lacks the names Graph has.
   */
  | { kind: 'nothing-to-compare'; missing: 'account' | 'entry' };

/** Names compare without case and surrounding blanks (AD and Entra ID ignore case); "" is none. */
function name(value: string | null | undefined): string | null {
  const trimmed = value?.trim().toLowerCase() ?? '';
  return trimmed.length > 0 ? trimmed : null;
}

/**
 * The DNS domain an entry lives in, from the DC= parts of its distinguished name
 * ("CN=x,OU=Staff,DC=corp,DC=contoso,DC=com" is corp.contoso.com); null without any.
 */
export function domainOfDn(dn: string): string | null {
  const parts = dn
    .split(/(?<!\\),/)
    .map((rdn) => /^\s*dc\s*=\s*(.+?)\s*$/i.exec(rdn)?.[1])
    .filter((label): label is string => label !== undefined);
  return parts.length > 0 ? domainSpelling(parts.join('.')) : null;
}

/**
 * A DNS domain or Kerberos realm in one spelling: lower case, without a trailing dot (the ticket
 * says CORP.EXAMPLE.COM, the configuration or DNS corp.example.com. for the same domain).
 */
export function domainSpelling(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

function domainName(value: string | null | undefined): string | null {
  const spelled = domainSpelling(value ?? '');
  return spelled.length > 0 ? spelled : null;
}

/**
 * The rules, in order:
 * 1. Both UPNs on-premises (the entry's, Graph's onPremisesUserPrincipalName): they decide, equal
 *    or not. Another account with the same sAMAccountName (another domain) is not the user.
 * 2. The entry's UPN equal to the Microsoft 365 UPN: the same user (cloud-only or a record without
 *    on-premises names, same UPN both sides). Unequal proves nothing: with an alternate login ID
 *    the cloud UPN differs from the on-premises one.
 * 3. Both sAMAccountNames: they decide, within one domain (a sAMAccountName is unique only in its
 *    domain): when Graph names the domain (onPremisesDomainName), the entry's must be that one.
 * 4. Otherwise nothing to compare: not the user's.
 */
export function matchDirectoryUser(entry: DirectoryEntry, facts: PasswordFacts | null): UserMatch {
  const entryUpn = name(entry.userPrincipalName);
  const entrySam = name(entry.samAccountName);
  const onPremisesUpn = name(facts?.onPremisesUserPrincipalName);
  const onPremisesSam = name(facts?.onPremisesSamAccountName);

  if (entryUpn !== null && onPremisesUpn !== null) {
    return { kind: entryUpn === onPremisesUpn ? 'same' : 'other', by: 'on-premises-upn' };
  }
  if (entryUpn !== null && entryUpn === name(facts?.userPrincipalName)) {
    return { kind: 'same', by: 'cloud-upn' };
  }
  if (entrySam !== null && onPremisesSam !== null) {
    if (entrySam !== onPremisesSam) return { kind: 'other', by: 'sam-account-name' };
    const domain = domainName(facts?.onPremisesDomainName);
    const entryDomain = domainOfDn(entry.dn);
    if (domain !== null && entryDomain !== null && domain !== entryDomain) {
      return { kind: 'other', by: 'domain' };
    }
    return { kind: 'same', by: 'sam-account-name' };
  }
  const accountHasNames = onPremisesUpn !== null || onPremisesSam !== null;
  return { kind: 'nothing-to-compare', missing: accountHasNames ? 'entry' : 'account' };
}
