import { JsonFileStore, isRecord } from '../store/jsonFileStore';
import { requestJson } from '../net/httpClient';
import { checkAuthorityMetadata } from '../../core/authorityHosts';
import type { Transport } from '../net/httpClient';
import type { Logger } from '../../core/ports';

interface StoredMetadata {
  authority: string;
  fetchedAt: string;
  metadata: Record<string, unknown>;
}

const REFRESH_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

function parseStored(raw: unknown): StoredMetadata | null {
  if (!isRecord(raw) || typeof raw.authority !== 'string' || typeof raw.fetchedAt !== 'string')
    return null;
  if (!isRecord(raw.metadata)) return null;
  return { authority: raw.authority, fetchedAt: raw.fetchedAt, metadata: raw.metadata };
}

/**
 * The authority's OpenID configuration, kept on disk so that a steady-state check spends no
 * request on discovery (MSAL's `authorityMetadata`). Fetched once, refreshed weekly; a failed
 * refresh keeps the old copy, a failed first fetch leaves discovery to MSAL. Only endpoints on the
 * authority's own host (or its cloud's Microsoft sign-in hosts) are used, from the file or the
 * network: an edited file must never send the refresh token elsewhere.
 */
export async function loadAuthorityMetadata(
  authority: string,
  store: JsonFileStore<StoredMetadata>,
  now: Date,
  timeoutMs: number,
  logger: Logger,
  transport?: Transport,
): Promise<string | undefined> {
  const stored = await store.read();
  let current: Record<string, string> | null = null;
  if (stored && stored.authority === authority) {
    const checked = checkAuthorityMetadata(stored.metadata, authority);
    if (checked.ok) current = checked.metadata;
    else {
      logger.warn('Cached authority metadata refused; discovering it again', {
        problem: checked.problem,
      });
    }
  }
  const age = current && stored ? now.getTime() - new Date(stored.fetchedAt).getTime() : Infinity;
  if (current && age >= 0 && age < REFRESH_AFTER_MS) return JSON.stringify(current);
  try {
    const response = await requestJson(
      `${authority}/v2.0/.well-known/openid-configuration`,
      { method: 'GET' },
      timeoutMs,
      transport,
    );
    const checked = isRecord(response.body)
      ? checkAuthorityMetadata(response.body, authority)
      : { ok: false as const, problem: 'not a JSON object' };
    if (response.status === 200 && checked.ok) {
      await store.write({ authority, fetchedAt: now.toISOString(), metadata: checked.metadata });
      return JSON.stringify(checked.metadata);
    }
    logger.warn('Authority metadata answer unusable; MSAL will discover it', {
      status: response.status,
      ...(checked.ok ? {} : { problem: checked.problem }),
    });
  } catch (error) {
    logger.warn('Authority metadata not fetched; MSAL will discover it', {
      error: (error as Error).message,
    });
  }
  return current ? JSON.stringify(current) : undefined;
}

export function createAuthorityMetadataStore(
  path: string,
  logger: Logger,
): JsonFileStore<StoredMetadata> {
  return new JsonFileStore(path, parseStored, logger);
}
