import type { AssistantConfig } from '../../core/config';
import type { ExpiryPolicy } from '../../core/model';
import type { Clock, Logger } from '../../core/ports';
import type { GraphClient } from '../graph/graphClient';
import type { DomainPolicyRecord } from '../store/domainPolicyStore';
import type { JsonFileStore } from '../store/jsonFileStore';

const DAY_MS = 24 * 60 * 60 * 1000;
const NEVER_EXPIRES = 2147483647;

export interface PolicyResolverOptions {
  config: AssistantConfig;
  graph: GraphClient;
  store: JsonFileStore<DomainPolicyRecord>;
  clock: Clock;
  logger: Logger;
}

/**
 * The password policy for a user: the admin's, or the domain's read through Graph (at most once
 * a day, and only with `readDomainPolicy`) when it can be read and says something.
 */
export function createPolicyResolver(options: PolicyResolverOptions) {
  const { config, graph, store, clock, logger } = options;
  return async function policyFor(accessToken: string, username: string): Promise<ExpiryPolicy> {
    const fromConfig: ExpiryPolicy = {
      validityDays: config.passwordValidityDays,
      windowDays: config.notificationWindowDays,
      from: 'config',
    };
    const domain = username.split('@')[1]?.toLowerCase();
    if (!config.readDomainPolicy || !domain) return fromConfig;
    const now = clock.now();
    let record = await store.read();
    const age = record ? now.getTime() - new Date(record.checkedAt).getTime() : Infinity;
    if (!record || record.domain !== domain || age < 0 || age >= DAY_MS) {
      try {
        const result = await graph.getDomainPolicy(accessToken, domain);
        record = { domain, checkedAt: now.toISOString(), result };
        await store.write(record);
        if (result.kind === 'forbidden') {
          logger.info(
            'Domain policy not readable (no Domain.Read.All consent); using the configured policy',
          );
        }
      } catch (error) {
        logger.warn('Domain policy unavailable; using the configured policy', {
          error: (error as Error).message,
        });
        return fromConfig;
      }
    }
    if (record.result.kind !== 'policy' || record.result.validityDays === null) return fromConfig;
    const validity = record.result.validityDays;
    return {
      validityDays: validity >= NEVER_EXPIRES ? 0 : validity,
      windowDays: record.result.windowDays ?? config.notificationWindowDays,
      from: 'domain',
    };
  };
}
