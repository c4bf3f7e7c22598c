/**
 * The pure parts of the Windows adapter: arguments for wldap32 and what its result codes mean.
 * Unit-tested on every platform; the calls themselves only run on Windows.
 */
import type { DirectoryFailureKind } from '../../../core/directory';

export const LDAP_PORT = 389;
export const LDAP_AUTH_NEGOTIATE = 0x0486;
export const LDAP_SCOPE_BASE = 0;
export const LDAP_OPT = {
  protocolVersion: 0x11,
  referrals: 0x08,
  hostName: 0x30,
  sign: 0x95,
  encrypt: 0x96,
} as const;
/** secur32 EXTENDED_NAME_FORMAT NameFullyQualifiedDN. */
export const NAME_FULLY_QUALIFIED_DN = 1;

/**
 * ldap_initW's host argument: a DC's name, or a domain name (Windows' DC locator picks one of its
 * DCs), or null (a DC of the computer's own domain).
 */
export function initArguments(server: string | null): { host: string | null; port: number } {
  const host = server?.trim();
  return { host: host ? host : null, port: LDAP_PORT };
}

/** struct l_timeval for a timeout in milliseconds (at least one whole second: wldap32 counts seconds). */
export function timevalFor(ms: number): { tv_sec: number; tv_usec: number } {
  const clamped = Math.max(0, ms);
  const seconds = Math.floor(clamped / 1000);
  return { tv_sec: seconds, tv_usec: (clamped - seconds * 1000) * 1000 };
}

/** A NULL-terminated array of attribute names (PZPWSTR). */
export function attributeList(names: readonly string[]): (string | null)[] {
  return [...names, null];
}

const LDAP_RESULT = {
  strongAuthRequired: 0x08,
  noSuchObject: 0x20,
  inappropriateAuth: 0x30,
  invalidCredentials: 0x31,
  insufficientRights: 0x32,
  unwillingToPerform: 0x35,
  serverDown: 0x51,
  localError: 0x52,
  timeout: 0x55,
  authUnknown: 0x56,
  connectError: 0x5b,
} as const;

export type WindowsStep = 'init' | 'connect' | 'bind' | 'search' | 'dn';

/** Which DirectoryFailureKind a wldap32 result code at a given step means. */
export function windowsFailureKind(step: WindowsStep, code: number): DirectoryFailureKind {
  if (step === 'dn') return 'not-found';
  switch (code) {
    case LDAP_RESULT.serverDown:
    case LDAP_RESULT.timeout:
    case LDAP_RESULT.connectError:
      return 'unreachable';
    case LDAP_RESULT.strongAuthRequired:
    case LDAP_RESULT.inappropriateAuth:
    case LDAP_RESULT.invalidCredentials:
    case LDAP_RESULT.unwillingToPerform:
    case LDAP_RESULT.authUnknown:
      return 'refused';
    case LDAP_RESULT.localError:
      // The SSPI layer could not get a ticket for the logon session.
      return step === 'bind' ? 'no-credentials' : 'protocol';
    case LDAP_RESULT.noSuchObject:
    case LDAP_RESULT.insufficientRights:
      return 'not-found';
    default:
      return step === 'init' ? 'unavailable' : 'protocol';
  }
}
