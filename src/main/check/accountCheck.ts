import type { AccountInfo, AuthenticationResult } from '@azure/msal-node';
import type {
  AccountSummary,
  ClassifiedError,
  ExpiryPolicy,
  PasswordFacts,
  ReminderRecord,
  StatusReport,
} from '../../core/model';
import type { Clock, Logger } from '../../core/ports';
import { evaluateExpiry } from '../../core/expiry';
import type { MsalAuth } from '../auth/msalAuth';
import type { GraphClient } from '../graph/graphClient';
import { HttpFailure } from '../net/httpClient';
import type { createDirectoryStep } from './directoryStep';
import { plausibleClaims, readPasswordClaims } from './passwordClaims';
import type { createReportBuilder } from './reportBuilder';
import type { createResetStep } from './resetStep';
import type { createPasswordChangeStep } from './passwordChangeStep';

export interface AccountCheckOptions {
  clock: Clock;
  logger: Logger;
  timeZone: string;
  graph: GraphClient;
  policyFor: (accessToken: string, username: string) => Promise<ExpiryPolicy>;
  directory: ReturnType<typeof createDirectoryStep>;
  reports: ReturnType<typeof createReportBuilder>;
  classify: (error: unknown) => ClassifiedError;
  resetStatus: ReturnType<typeof createResetStep>;
  passwordChange: ReturnType<typeof createPasswordChangeStep>;
}

export function summarize(account: AccountInfo | null): AccountSummary | null {
  return account ? { username: account.username, tenantId: account.tenantId } : null;
}

/**
 * The check of a signed-in account: the ID token's claims or Graph, the policy, then the
 * on-premises directory for synced users; every failure becomes the report's error.
 */
export function createAccountCheck(options: AccountCheckOptions) {
  const { clock, logger, graph, reports } = options;

  async function fetchFacts(
    client: MsalAuth,
    account: AccountInfo,
    result: AuthenticationResult,
  ): Promise<{ facts: PasswordFacts; result: AuthenticationResult }> {
    try {
      return { facts: await graph.getMe(result.accessToken), result };
    } catch (error) {
      // A token Graph no longer accepts (revoked, clock skew) is refreshed once, never in a loop.
      if (!(error instanceof HttpFailure && error.status === 401)) throw error;
      const fresh = await client.acquireSilent(account, true);
      return { facts: await graph.getMe(fresh.accessToken), result: fresh };
    }
  }

  /** Evaluates with the token a sign-in just returned, or the current one (silent). */
  return async function evaluate(
    client: MsalAuth,
    account: AccountInfo,
    token: AuthenticationResult,
    lastReminder?: Promise<ReminderRecord | null>,
  ): Promise<StatusReport> {
    const summary = summarize(account);
    // The kept records the later steps look at are read while Graph is asked.
    options.passwordChange.prefetch();
    options.resetStatus.prefetch();
    const onPremises = await options.directory.begin(account.username);
    try {
      let result = token;
      const claims = plausibleClaims(
        readPasswordClaims(result.idTokenClaims as Record<string, unknown> | undefined),
        clock.now(),
        logger,
      );
      let facts: PasswordFacts | null = null;
      if (!claims) ({ facts, result } = await fetchFacts(client, account, result));
      const policy = await options.policyFor(
        result.accessToken,
        facts?.userPrincipalName ?? account.username,
      );
      const now = clock.now();
      const cloud = evaluateExpiry({ facts, claims, policy, now, timeZone: options.timeZone });
      const outcome = await onPremises.finish({
        cloud,
        facts,
        claims,
        windowDays: policy.windowDays,
        now,
      });
      const reset = await options.resetStatus({
        client,
        account,
        evaluation: outcome.evaluation,
        now,
      });
      const passwordChanged = await options.passwordChange({
        username: account.username,
        evaluation: outcome.evaluation,
        directory: outcome.directory,
        synced: facts?.onPremisesSyncEnabled === true,
      });
      return await reports.build({
        account: summary,
        ...outcome,
        error: null,
        lastReminder,
        reset,
        passwordChanged,
      });
    } catch (error) {
      const classified = options.classify(error);
      return reports.build({ account: summary, evaluation: null, error: classified, lastReminder });
    }
  };
}
