/**
 * The client principal of an MIT Kerberos credential cache file (the format of krb5 1.x, versions
 * 3 and 4). Windows keeps the logon session's tickets in the LSA, and its Kerberos package names
 * the user itself (SECPKG_ATTR_NAMES); Wine's package does not, and uses the MIT cache named by
 * KRB5CCNAME, so there the cache names the user. Only FILE: caches are read.
 */
import { readFileSync } from 'node:fs';

/** "alice@CORP.EXAMPLE.COM" from a cache file's bytes, or null when they are not one. Pure. */
export function cachePrincipalOf(bytes: Buffer): string | null {
  try {
    const version = bytes.readUInt16BE(0);
    if (version !== 0x0503 && version !== 0x0504) return null;
    let offset = 2;
    if (version === 0x0504) offset += 2 + bytes.readUInt16BE(2);
    const read = (): string => {
      const length = bytes.readUInt32BE(offset);
      if (length > 1024 || offset + 4 + length > bytes.length) throw new RangeError('length');
      const text = bytes.toString('utf8', offset + 4, offset + 4 + length);
      offset += 4 + length;
      return text;
    };
    offset += 4; // name type
    const count = bytes.readUInt32BE(offset);
    offset += 4;
    if (count < 1 || count > 8) return null;
    const realm = read();
    const components = Array.from({ length: count }, read);
    return realm ? `${components.join('/')}@${realm}` : null;
  } catch {
    return null;
  }
}

/** The principal of the cache that KRB5CCNAME names as a file, or null. Never throws. */
export function fileCachePrincipal(krb5ccname: string | undefined): string | null {
  const name = krb5ccname?.trim();
  if (!name) return null;
  const colon = name.indexOf(':');
  // "FILE:/path", or a bare path (a drive letter's colon is not a cache type)
  const type = colon > 1 ? name.slice(0, colon).toUpperCase() : 'FILE';
  if (type !== 'FILE') return null;
  const path = colon > 1 ? name.slice(colon + 1) : name;
  try {
    return cachePrincipalOf(readFileSync(path));
  } catch {
    return null;
  }
}
