import { JsonFileStore, isRecord } from '../store/jsonFileStore';
import { requestJson } from '../net/httpClient';
import type { Transport } from '../net/httpClient';
import type { Logger } from '../../core/ports';

interface StoredMetadata {
  authority: string;
  fetchedAt: string;
  metadata: Record<string, unknown>;
}

const REFRESH_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
const REQUIRED = ['authorization_endpoint', 'token_endpoint', 'issuer'] as const;

function parseStored(raw: unknown): StoredMetadata | null {
  if (!isRecord(raw) || typeof raw.authority !== 'string' || typeof raw.fetchedAt !== 'string')
    return null;
  if (!isRecord(raw.metadata)) return null;
  return { authority: raw.authority, fetchedAt: raw.fetchedAt, metadata: raw.metadata };
}

function usable(metadata: Record<string, unknown>): boolean {
  return REQUIRED.every((key) => typeof metadata[key] === 'string');
}

/**
 * The authority's OpenID configuration, kept on disk so that a steady-state check spends no
 * request on discovery (MSAL's `authorityMetadata`). Fetched once, refreshed weekly; a failed
 * refresh keeps the old copy, a failed first fetch leaves discovery to MSAL.
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
  const current =
    stored && stored.authority === authority && usable(stored.metadata) ? stored : null;
  const age = current ? now.getTime() - new Date(current.fetchedAt).getTime() : Infinity;
  if (current && age >= 0 && age < REFRESH_AFTER_MS) return JSON.stringify(current.metadata);
  try {
    const response = await requestJson(
      `${authority}/v2.0/.well-known/openid-configuration`,
      { method: 'GET' },
      timeoutMs,
      transport,
    );
    if (response.status === 200 && isRecord(response.body) && usable(response.body)) {
      await store.write({ authority, fetchedAt: now.toISOString(), metadata: response.body });
      return JSON.stringify(response.body);
    }
    logger.warn('Authority metadata answer unusable; MSAL will discover it', {
      status: response.status,
    });
  } catch (error) {
    logger.warn('Authority metadata not fetched; MSAL will discover it', {
      error: (error as Error).message,
    });
  }
  return current ? JSON.stringify(current.metadata) : undefined;
}

export function createAuthorityMetadataStore(
  path: string,
  logger: Logger,
): JsonFileStore<StoredMetadata> {
  return new JsonFileStore(path, parseStored, logger);
}
