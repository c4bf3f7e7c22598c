import type { DomainPolicyResult } from '../graph/graphClient';
import { JsonFileStore, isRecord, parseIsoDate } from './jsonFileStore';
import type { Logger } from '../../core/ports';

export interface DomainPolicyRecord {
  domain: string;
  checkedAt: string;
  result: DomainPolicyResult;
}

function parseResult(raw: unknown): DomainPolicyResult | null {
  if (!isRecord(raw)) return null;
  if (raw.kind === 'forbidden' || raw.kind === 'not-found') return { kind: raw.kind };
  const days = (v: unknown): v is number | null => v === null || Number.isInteger(v);
  if (raw.kind === 'policy' && days(raw.validityDays) && days(raw.windowDays)) {
    return { kind: 'policy', validityDays: raw.validityDays, windowDays: raw.windowDays };
  }
  return null;
}

function parseRecord(raw: unknown): DomainPolicyRecord | null {
  if (!isRecord(raw) || typeof raw.domain !== 'string' || !parseIsoDate(raw.checkedAt)) return null;
  const result = parseResult(raw.result);
  return result ? { domain: raw.domain, checkedAt: raw.checkedAt as string, result } : null;
}

/** The domain's answer (policy or 403), asked at most once per 24 hours. */
export function createDomainPolicyStore(
  path: string,
  logger: Logger,
): JsonFileStore<DomainPolicyRecord> {
  return new JsonFileStore(path, parseRecord, logger, { strict: true });
}
