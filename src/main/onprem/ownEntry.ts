/**
 * The attributes the reader asks for and how their raw values become a DirectoryEntry. Shared by
 * the Unix (LDAP over GSS-API) and Windows (wldap32) adapters. Pure: unit-tested.
 */
import type { DirectoryEntry } from '../../core/directory';

export const OWN_ENTRY_ATTRIBUTES = [
  'msDS-UserPasswordExpiryTimeComputed',
  'pwdLastSet',
  'userAccountControl',
  'msDS-User-Account-Control-Computed',
  'userPrincipalName',
  'sAMAccountName',
  'msDS-ResultantPSO',
] as const;

export const DOMAIN_HEAD_ATTRIBUTES = ['maxPwdAge'] as const;

/** Attribute values as the directory sent them, keyed by attribute name (any case). */
export type RawAttributes = ReadonlyMap<string, readonly Buffer[]>;

function firstValue(attributes: RawAttributes, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, values] of attributes) {
    if (key.toLowerCase() === wanted) {
      const first = values[0];
      return first === undefined ? null : first.toString('utf8');
    }
  }
  return null;
}

const INTEGER = /^-?\d{1,20}$/;

/** A decimal integer attribute kept as its string (FILETIMEs do not fit a JS number). */
function integerString(attributes: RawAttributes, name: string): string | null {
  const value = firstValue(attributes, name);
  if (value === null) return null;
  if (!INTEGER.test(value)) throw new Error(`${name} is not an integer: ${JSON.stringify(value)}`);
  return value;
}

/** A 32-bit flag field (userAccountControl); AD sends it signed. */
function flags(attributes: RawAttributes, name: string): number | null {
  const value = integerString(attributes, name);
  return value === null ? null : Number(BigInt.asUintN(32, BigInt(value)));
}

export function ownEntryFrom(
  dn: string,
  user: RawAttributes,
  domainHead: RawAttributes | null,
): DirectoryEntry {
  return {
    dn,
    userPrincipalName: firstValue(user, 'userPrincipalName'),
    samAccountName: firstValue(user, 'sAMAccountName'),
    passwordExpiryTimeComputed: integerString(user, 'msDS-UserPasswordExpiryTimeComputed'),
    pwdLastSet: integerString(user, 'pwdLastSet'),
    userAccountControl: flags(user, 'userAccountControl'),
    userAccountControlComputed: flags(user, 'msDS-User-Account-Control-Computed'),
    maxPwdAge: domainHead ? integerString(domainHead, 'maxPwdAge') : null,
    resultantPso: firstValue(user, 'msDS-ResultantPSO'),
  };
}

/**
 * The account name to look up, from a WhoAmI answer ("u:CORP\alice") or else the Kerberos
 * initiator name ("alice@CORP.EXAMPLE.COM"). Null when neither names one.
 */
export function accountNameFrom(whoAmI: string | null, initiator: string | null): string | null {
  const fromWhoAmI = whoAmI ? /^u:[^\\]*\\(.+)$/.exec(whoAmI.trim())?.[1] : undefined;
  if (fromWhoAmI) return fromWhoAmI;
  if (!initiator) return null;
  const at = initiator.lastIndexOf('@');
  const name = at > 0 ? initiator.slice(0, at) : '';
  // A principal with an instance ("host/pc1") is not a user account.
  return name.length > 0 && !name.includes('/') ? name.replace(/\\@/g, '@') : null;
}

/** The DN from a WhoAmI answer in the "dn:" form, when the server uses it. */
export function dnFromWhoAmI(whoAmI: string | null): string | null {
  const match = whoAmI ? /^dn:(.+)$/.exec(whoAmI.trim()) : null;
  return match?.[1] ?? null;
}
