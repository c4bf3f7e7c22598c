/**
 * The pure parts of the Windows security provider: SSPI constants, what its status codes mean, and
 * how the buffers of EncryptMessage / DecryptMessage map to a GSS-API wrap token (RFC 4121) on the
 * wire. Unit-tested on every platform; the calls themselves run on Windows only.
 */
import type { DirectoryFailureKind } from '../../../core/directory';

export const SECPKG_CRED_OUTBOUND = 2;
export const SECURITY_NATIVE_DREP = 0x10;
export const SECPKG_ATTR = { sizes: 0, names: 1 } as const;
export const SECBUFFER = { data: 1, token: 2, padding: 9, stream: 10 } as const;
/** EncryptMessage's quality of protection for a signed, unencrypted wrap token (gss_wrap, conf 0). */
export const SECQOP_WRAP_NO_ENCRYPT = 0x80000001;
export const ISC_REQ = {
  mutualAuth: 0x2,
  replayDetect: 0x4,
  sequenceDetect: 0x8,
  confidentiality: 0x10,
  integrity: 0x10000,
} as const;

export const SEC_E_OK = 0;
export const SEC_I_CONTINUE_NEEDED = 0x00090312;
export const SEC_E_INVALID_TOKEN = 0x80090308;

/** Names of the statuses the reader can meet, for the log detail. */
const STATUS_NAMES: Record<number, [string, DirectoryFailureKind]> = {
  0x8009030e: ['SEC_E_NO_CREDENTIALS', 'no-credentials'],
  0x80090317: ['SEC_E_CONTEXT_EXPIRED', 'no-credentials'],
  0x8009030d: ['SEC_E_UNKNOWN_CREDENTIALS', 'no-credentials'],
  0x80090311: ['SEC_E_NO_AUTHENTICATING_AUTHORITY', 'unreachable'],
  0x80090303: ['SEC_E_TARGET_UNKNOWN', 'refused'],
  0x80090322: ['SEC_E_WRONG_PRINCIPAL', 'refused'],
  0x8009030c: ['SEC_E_LOGON_DENIED', 'refused'],
  0x80090304: ['SEC_E_INTERNAL_ERROR', 'refused'],
  0xc0000071: ['STATUS_PASSWORD_EXPIRED', 'password-expired'],
  0xc0000224: ['STATUS_PASSWORD_MUST_CHANGE', 'password-expired'],
  0x80090305: ['SEC_E_SECPKG_NOT_FOUND', 'unavailable'],
  0x80090302: ['SEC_E_UNSUPPORTED_FUNCTION', 'unavailable'],
  0x80090308: ['SEC_E_INVALID_TOKEN', 'protocol'],
  0x8009030f: ['SEC_E_MESSAGE_ALTERED', 'protocol'],
  0x80090310: ['SEC_E_OUT_OF_SEQUENCE', 'protocol'],
  0x80090318: ['SEC_E_INCOMPLETE_MESSAGE', 'protocol'],
  0x80090321: ['SEC_E_BUFFER_TOO_SMALL', 'protocol'],
  0x80090301: ['SEC_E_INVALID_HANDLE', 'protocol'],
};

/** Which DirectoryFailureKind a failed SSPI call means, and its name. Pure: unit-tested. */
export function classifySspiStatus(status: number): { kind: DirectoryFailureKind; name: string } {
  const unsigned = status >>> 0;
  const known = STATUS_NAMES[unsigned];
  const hex = `0x${unsigned.toString(16).padStart(8, '0')}`;
  return known ? { name: `${known[0]} (${hex})`, kind: known[1] } : { name: hex, kind: 'refused' };
}

/** True when `bytes` begin a Kerberos wrap token: RFC 4121 (05 04 flags FF) or RFC 1964 (0x60). */
export function startsWrapToken(bytes: Buffer): boolean {
  if (bytes.length >= 4 && bytes[0] === 0x05 && bytes[1] === 0x04 && bytes[3] === 0xff) return true;
  return bytes.length >= 2 && bytes[0] === 0x60;
}

/**
 * The wire token from EncryptMessage's buffers. Windows' Kerberos package writes the token header
 * (and the rotated checksum) into the token buffer: header, data, padding. Wine's package splits
 * the library's gss_wrap output instead: its first bytes go into the data buffer, the rest into
 * the token buffer, and the padding buffer is not written. The buffer that begins with the token
 * header comes first.
 */
export function wireTokenOf(token: Buffer, data: Buffer, padding: Buffer): Buffer {
  if (startsWrapToken(token)) return Buffer.concat([token, data, padding]);
  if (startsWrapToken(data)) return Buffer.concat([data, token]);
  throw new Error('EncryptMessage returned no Kerberos wrap token');
}

/**
 * Where to cut a server's wrap token into a data and a token buffer for a provider that takes
 * them apart (no SECBUFFER_STREAM): the data buffer receives the plaintext in place, so it must be
 * as long as the plaintext. For a signed RFC 4121 token the plaintext is the token less its
 * 16-byte header and its checksum (the header's EC field), wherever the rotation (RRC) put the
 * checksum; null when that cannot be told.
 */
export function plaintextLengthOf(wire: Buffer): number | null {
  if (wire.length < 16 || !startsWrapToken(wire) || wire[0] !== 0x05) return null;
  if (((wire[2] as number) & 0x02) !== 0) return null;
  const length = wire.length - 16 - wire.readUInt16BE(4);
  return length >= 0 ? length : null;
}
