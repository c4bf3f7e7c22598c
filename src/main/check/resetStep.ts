import type { AccountInfo } from '@azure/msal-node';
import type { ExpiryEvaluation, ResetStatus } from '../../core/model';
import type { Logger } from '../../core/ports';
import {
  RESET_UNKNOWN,
  inResetWindow,
  keptAnswerIsFresh,
  resetReadiness,
} from '../../core/resetReadiness';
import type { MsalAuth } from '../auth/msalAuth';
import type { GraphClient } from '../graph/graphClient';
import type { ResetReadinessRecord } from '../store/accountNoticeStores';
import type { JsonFileStore } from '../store/jsonFileStore';

export interface ResetStepOptions {
  graph: GraphClient;
  store: JsonFileStore<ResetReadinessRecord>;
  /** The optional UserAuthenticationMethod.Read scope (see authenticationMethodsScope). */
  scope: string;
  logger: Logger;
}

export interface ResetQuestion {
  client: MsalAuth;
  account: AccountInfo;
  evaluation: ExpiryEvaluation | null;
  now: Date;
}

/**
 * Whether the user could reset the password alone: from the start of the reminder window, Graph
 * is asked at most once a day (whatever it answered); outside it, never. Every failure (no
 * consent, 403, no answer, a malformed list) is "not known", never the check's failure.
 */
export function createResetStep(options: ResetStepOptions) {
  const { graph, store, scope, logger } = options;

  async function ask(client: MsalAuth, account: AccountInfo): Promise<ResetStatus> {
    try {
      const token = await client.acquireOptional(account, scope);
      if (token === null) {
        logger.info(
          'Authentication methods not readable (UserAuthenticationMethod.Read not consented)',
        );
        return RESET_UNKNOWN;
      }
      const answer = await graph.getAuthenticationMethods(token.accessToken);
      if (answer.kind === 'forbidden') {
        logger.info('Authentication methods not readable (Graph answered 403)');
        return RESET_UNKNOWN;
      }
      return resetReadiness(answer.types);
    } catch (error) {
      logger.warn('Authentication methods unavailable', { error: (error as Error).message });
      return RESET_UNKNOWN;
    }
  }

  const readKept = () => store.read().catch(() => null);
  /** The kept answer's read, started alongside the check's request (see prefetch). */
  let prefetched: Promise<ResetReadinessRecord | null> | null = null;
  async function resetStatus(question: ResetQuestion): Promise<ResetStatus> {
    const { client, account, evaluation, now } = question;
    const early = prefetched;
    prefetched = null;
    if (!inResetWindow(evaluation, now)) return RESET_UNKNOWN;
    const key = account.username.toLowerCase();
    const kept = await (early ?? readKept());
    if (kept?.account === key && keptAnswerIsFresh(new Date(kept.checkedAt), now)) {
      return { ready: kept.ready, methods: [...kept.methods] };
    }
    const status = await ask(client, account);
    await store
      .write({ account: key, checkedAt: now.toISOString(), ...status })
      .catch((error: unknown) => {
        logger.warn('Could not keep the authentication methods answer', {
          error: (error as Error).message,
        });
      });
    return status;
  }
  return Object.assign(resetStatus, {
    /** Starts reading the kept answer now, so it costs the check no time of its own. */
    prefetch(): void {
      prefetched = readKept();
    },
  });
}
