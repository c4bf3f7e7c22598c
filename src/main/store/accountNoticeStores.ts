/**
 * Two small per-user records about the signed-in account: the last answer about its
 * self-service reset methods (asked at most once a day), and the password change date last seen
 * (so a new password is said once).
 */
import type { Logger } from '../../core/ports';
import { JsonFileStore, isRecord, parseIsoDate } from './jsonFileStore';

export interface ResetReadinessRecord {
  /** The user name (lower case) the answer is about. */
  account: string;
  /** When Graph was asked (ISO 8601 UTC), whatever it answered. */
  checkedAt: string;
  ready: boolean | null;
  methods: string[];
}

export interface PasswordSeenRecord {
  account: string;
  /** The last change date (ISO 8601 UTC) the last check saw; null when it was not known. */
  lastChanged: string | null;
}

function parseReset(raw: unknown): ResetReadinessRecord | null {
  if (!isRecord(raw) || typeof raw.account !== 'string' || !parseIsoDate(raw.checkedAt))
    return null;
  const ready = raw.ready;
  if (ready !== null && typeof ready !== 'boolean') return null;
  const methods = raw.methods;
  if (!Array.isArray(methods) || methods.length > 50) return null;
  if (!methods.every((m) => typeof m === 'string' && m.length <= 100)) return null;
  return {
    account: raw.account,
    checkedAt: raw.checkedAt as string,
    ready,
    methods: methods as string[],
  };
}

function parseSeen(raw: unknown): PasswordSeenRecord | null {
  if (!isRecord(raw) || typeof raw.account !== 'string') return null;
  const lastChanged = raw.lastChanged;
  if (lastChanged !== null && !parseIsoDate(lastChanged)) return null;
  return { account: raw.account, lastChanged: lastChanged as string | null };
}

export function createResetReadinessStore(
  path: string,
  logger: Logger,
): JsonFileStore<ResetReadinessRecord> {
  return new JsonFileStore(path, parseReset, logger);
}

export function createPasswordSeenStore(
  path: string,
  logger: Logger,
): JsonFileStore<PasswordSeenRecord> {
  return new JsonFileStore(path, parseSeen, logger);
}
