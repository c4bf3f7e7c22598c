import type { DirectoryEntry, DirectoryReading } from '../../core/directory';
import type { Logger } from '../../core/ports';
import { JsonFileStore, isRecord, parseIsoDate } from './jsonFileStore';

/**
 * The last good reading of the user's own on-premises AD entry, kept so that off the corporate
 * network the expiry is still known ("as of" when it was read). A newer reading replaces it.
 */
export interface DirectoryReadingRecord {
  /** The cloud account (user name, lower case) the reading was made for. */
  account: string;
  reading: DirectoryReading;
  /** An on-premises change (pwdLastSet) still on its way to Microsoft 365 at the last check. */
  pendingChange: Date | null;
}

const nullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const nullableInteger = (v: unknown): v is number | null => v === null || Number.isInteger(v);

function parseEntry(raw: unknown): DirectoryEntry | null {
  if (!isRecord(raw) || typeof raw.dn !== 'string') return null;
  const strings = [
    'userPrincipalName',
    'samAccountName',
    'passwordExpiryTimeComputed',
    'pwdLastSet',
    'maxPwdAge',
    'resultantPso',
  ] as const;
  if (!strings.every((key) => nullableString(raw[key]))) return null;
  if (!nullableInteger(raw.userAccountControl) || !nullableInteger(raw.userAccountControlComputed))
    return null;
  return {
    dn: raw.dn,
    userPrincipalName: raw.userPrincipalName as string | null,
    samAccountName: raw.samAccountName as string | null,
    passwordExpiryTimeComputed: raw.passwordExpiryTimeComputed as string | null,
    pwdLastSet: raw.pwdLastSet as string | null,
    userAccountControl: raw.userAccountControl,
    userAccountControlComputed: raw.userAccountControlComputed,
    maxPwdAge: raw.maxPwdAge as string | null,
    resultantPso: raw.resultantPso as string | null,
  };
}

function parseRecord(raw: unknown): DirectoryReadingRecord | null {
  if (!isRecord(raw) || typeof raw.account !== 'string' || !isRecord(raw.reading)) return null;
  const { reading } = raw;
  const entry = parseEntry(reading.entry);
  const readAt = parseIsoDate(reading.readAt);
  if (!entry || !readAt || typeof reading.server !== 'string' || typeof reading.domain !== 'string')
    return null;
  const pendingChange = raw.pendingChange === null ? null : parseIsoDate(raw.pendingChange);
  if (raw.pendingChange !== null && pendingChange === null) return null;
  return {
    account: raw.account,
    reading: { entry, server: reading.server, domain: reading.domain, readAt },
    pendingChange,
  };
}

export function createDirectoryReadingStore(
  path: string,
  logger: Logger,
): JsonFileStore<DirectoryReadingRecord> {
  return new JsonFileStore(path, parseRecord, logger);
}
