/**
 * The on-premises directory (Active Directory) as the engine sees it: the signed-in user's own
 * entry, read with the user's existing logon (Kerberos ticket or Windows session). Pure data: the
 * adapters in src/main/onprem fill it, core code decodes and combines it.
 */

/**
 * The user's own entry, attribute values as the directory sent them. Large integers (FILETIME
 * instants and intervals, 100 ns ticks) stay decimal strings: they do not fit a JS number.
 */
export interface DirectoryEntry {
  /** distinguishedName of the user's entry. */
  dn: string;
  userPrincipalName: string | null;
  samAccountName: string | null;
  /**
   * msDS-UserPasswordExpiryTimeComputed: FILETIME (100 ns since 1601-01-01 UTC), already applying
   * fine-grained policies. "9223372036854775807" = never; "0" = must change now.
   */
  passwordExpiryTimeComputed: string | null;
  /** pwdLastSet: FILETIME; "0" = must change at next logon. */
  pwdLastSet: string | null;
  /** userAccountControl bit field (0x10000 = DONT_EXPIRE_PASSWD, 0x2 = disabled). */
  userAccountControl: number | null;
  /** msDS-User-Account-Control-Computed (0x800000 = password expired, 0x10 = locked out). */
  userAccountControlComputed: number | null;
  /** The domain head's maxPwdAge: a negative 100 ns interval; "-9223372036854775808" = never. */
  maxPwdAge: string | null;
  /** msDS-ResultantPSO: the DN of the fine-grained policy in force, when readable. */
  resultantPso: string | null;
}

/** One successful read. */
export interface DirectoryReading {
  entry: DirectoryEntry;
  /** The domain controller that answered (its DNS name). */
  server: string;
  /** The AD domain / Kerberos realm, e.g. "CORP.EXAMPLE.COM". */
  domain: string;
  readAt: Date;
}

/** Why a read gave no entry. */
export type DirectoryFailureKind =
  /** No on-premises domain known for this machine or user (not joined, no realm, not set). */
  | 'not-configured'
  /** No Kerberos ticket / Windows logon credentials for the domain. */
  | 'no-credentials'
  /** No domain controller found: SRV record missing and no servers configured. */
  | 'no-server'
  /** Domain controllers not reachable in time (off the corporate network or VPN). */
  | 'unreachable'
  /** The bind was refused (signing, service principal, authentication). */
  | 'refused'
  /**
   * The domain refused the logon because its password has expired (the KDC's "password has
   * expired" when a service ticket is asked with only the logon ticket).
   */
  | 'password-expired'
  /** Bound, but the user's own entry was not found or not readable. */
  | 'not-found'
  /** This platform cannot do it (no GSS-API library, unsupported OS). */
  | 'unavailable'
  /** The directory's answer could not be used. */
  | 'protocol';

export interface DirectoryFailure {
  kind: DirectoryFailureKind;
  /** For the log and diagnostics (never shown raw to users; never contains a secret). */
  detail: string;
  /** The server tried last, when there was one. */
  server: string | null;
}

export type DirectoryReadResult =
  { ok: true; reading: DirectoryReading } | { ok: false; failure: DirectoryFailure };

/** What the engine asks for; both come from the configuration (null / empty = find it). */
export interface DirectoryReadRequest {
  /** The AD DNS domain, e.g. "corp.example.com"; null = from the logon (realm, USERDNSDOMAIN). */
  domain: string | null;
  /** Domain controllers to try in order (DNS names); empty = DNS SRV discovery. */
  servers: readonly string[];
}
