import { join } from 'node:path';
import { NativeBrokerPlugin } from '@azure/msal-node-extensions';
import type { AccountInfo, AuthenticationResult, INativeBrokerPlugin } from '@azure/msal-node';
import type { AssistantConfig } from '../core/config';
import type {
  AccountSummary,
  ClassifiedError,
  ExpiryEvaluation,
  ExpiryPolicy,
  PasswordFacts,
  ReminderRecord,
  StatusReport,
  TokenPasswordClaims,
} from '../core/model';
import type { AssistantEngine, Clock, Logger, ReminderStore } from '../core/ports';
import { evaluateExpiry } from '../core/expiry';
import { decideReminder } from '../core/reminderSchedule';
import { classifyAuthFailure } from '../core/errorClassification';
import { buildStatusReport } from '../core/statusReport';
import { messages } from '../core/messages';
import { KeyringUnavailableError, toAuthFailure } from './auth/authFailure';
import { MsalAuth } from './auth/msalAuth';
import { createTokenCachePlugin } from './auth/tokenCache';
import { createAuthorityMetadataStore, loadAuthorityMetadata } from './auth/authorityMetadata';
import { tenantAuthority } from './auth/msalAuth';
import { GraphClient } from './graph/graphClient';
import { HttpFailure, defaultHttpOptions } from './net/httpClient';
import type { HttpClientOptions } from './net/httpClient';
import { stateFiles } from './paths';
import { createReminderStore } from './store/reminderStore';
import { createDomainPolicyStore } from './store/domainPolicyStore';
import { JsonFileStore } from './store/jsonFileStore';

export interface EngineOptions {
  config: AssistantConfig;
  /** The per-user data folder (see userDataHome). */
  home: string;
  /** IANA zone the user lives in: reminders follow its calendar days. */
  timeZone: string;
  clock: Clock;
  logger: Logger;
  /** Opens the sign-in page in the system browser (injected so tests can drive a real one). */
  openBrowser: (url: string) => Promise<void>;
  http?: Partial<HttpClientOptions>;
  /**
   * 'auto' uses the Windows broker where present (unless `useWindowsBroker` is false); a plugin
   * object is used as the broker as it is.
   */
  broker?: 'auto' | 'off' | INativeBrokerPlugin;
  /** The native handle of the window a broker sign-in dialog belongs to (the tray gives it). */
  windowHandle?: () => Buffer | undefined;
  interactiveTimeoutMs?: number;
}

export type Engine = AssistantEngine & { dispose(): Promise<void> };

const DAY_MS = 24 * 60 * 60 * 1000;
const NEVER_EXPIRES = 2147483647;

function loadBroker(logger: Logger): INativeBrokerPlugin | null {
  if (process.platform !== 'win32') return null;
  try {
    const broker = new NativeBrokerPlugin();
    return broker.isBrokerAvailable ? broker : null;
  } catch (error) {
    logger.info('Windows broker not available; using the system browser', {
      error: (error as Error).message,
    });
    return null;
  }
}

function chooseBroker(
  wanted: 'auto' | 'off' | INativeBrokerPlugin,
  allowed: boolean,
  logger: Logger,
): INativeBrokerPlugin | null {
  if (!allowed || wanted === 'off') return null;
  return wanted === 'auto' ? loadBroker(logger) : wanted;
}

function summarize(account: AccountInfo | null): AccountSummary | null {
  return account ? { username: account.username, tenantId: account.tenantId } : null;
}

/** The ID token's `pwd_exp` / `pwd_url` claims (sent only when expiry is near). */
export function readPasswordClaims(
  claims: Record<string, unknown> | undefined,
): TokenPasswordClaims | null {
  if (!claims) return null;
  const pwdExp = Number(claims.pwd_exp);
  const iat = Number(claims.iat);
  if (!Number.isFinite(pwdExp) || pwdExp < 0 || !Number.isFinite(iat) || iat <= 0) return null;
  return {
    pwdExpSeconds: pwdExp,
    issuedAt: new Date(iat * 1000),
    pwdUrl: typeof claims.pwd_url === 'string' ? claims.pwd_url : null,
  };
}

/**
 * Builds the engine: MSAL with the OS-protected cache, Graph, and the per-user state files.
 * Never throws for a broken keyring: every call then reports `keyring-unavailable`.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { config, home, logger, clock } = options;
  const http: HttpClientOptions = { ...defaultHttpOptions, ...options.http };
  const urls = {
    changePasswordUrl: config.changePasswordUrl,
    resetPasswordUrl: config.resetPasswordUrl,
  };
  const reminders = createReminderStore(join(home, stateFiles.reminder), logger);
  let pendingStatusWrite: Promise<void> = Promise.resolve();
  let lastStatusKey: string | null = null;
  const lastStatus = new JsonFileStore<StatusReport>(
    join(home, stateFiles.lastStatus),
    (raw) => raw as StatusReport,
    logger,
  );

  let auth: MsalAuth | null = null;
  let setupError: ClassifiedError | null = null;
  try {
    const cachePlugin = await createTokenCachePlugin(home);
    const authorityMetadata = await loadAuthorityMetadata(
      tenantAuthority(config),
      createAuthorityMetadataStore(join(home, stateFiles.authorityMetadata), logger),
      clock.now(),
      http.timeoutMs,
      logger,
      http.transport,
    );
    auth = new MsalAuth({
      config,
      cachePlugin,
      cacheFile: join(home, stateFiles.tokenCache),
      authorityMetadata,
      logger,
      openBrowser: options.openBrowser,
      timeoutMs: http.timeoutMs,
      transport: http.transport,
      broker: chooseBroker(options.broker ?? 'auto', config.useWindowsBroker, logger),
      ...(options.windowHandle ? { windowHandle: options.windowHandle } : {}),
      interactiveTimeoutMs: options.interactiveTimeoutMs ?? 5 * 60 * 1000,
    });
  } catch (error) {
    if (!(error instanceof KeyringUnavailableError)) throw error;
    logger.error('Token cache unavailable', { error: error.message, cause: String(error.cause) });
    setupError = classifyAuthFailure(toAuthFailure(error), urls);
  }

  const graph = new GraphClient(config.graphEndpoint, http, () => clock.now());
  const domainPolicies = createDomainPolicyStore(join(home, stateFiles.domainPolicy), logger);

  const classify = (error: unknown): ClassifiedError => {
    const failure = toAuthFailure(error);
    // Device-code polling loses the service's description: take it from what the service sent.
    const oauth = auth?.network.lastOAuthError;
    if (oauth && failure.errorCode === 'post_request_failed') {
      failure.errorCode = oauth.error;
      if (oauth.suberror) failure.subError = oauth.suberror;
      if (oauth.error_description) failure.errorMessage = oauth.error_description;
      if (oauth.error_codes?.[0] !== undefined) failure.errorNo = oauth.error_codes[0];
    }
    logger.warn('Sign-in or check failed', { ...failure });
    return classifyAuthFailure(failure, urls);
  };

  async function configuredOrDomainPolicy(
    accessToken: string,
    username: string,
  ): Promise<ExpiryPolicy> {
    const fromConfig: ExpiryPolicy = {
      validityDays: config.passwordValidityDays,
      windowDays: config.notificationWindowDays,
      from: 'config',
    };
    const domain = username.split('@')[1]?.toLowerCase();
    if (!config.readDomainPolicy || !domain) return fromConfig;
    const now = clock.now();
    let record = await domainPolicies.read();
    const age = record ? now.getTime() - new Date(record.checkedAt).getTime() : Infinity;
    if (!record || record.domain !== domain || age < 0 || age >= DAY_MS) {
      try {
        const result = await graph.getDomainPolicy(accessToken, domain);
        record = { domain, checkedAt: now.toISOString(), result };
        await domainPolicies.write(record);
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
  }

  async function finish(
    account: AccountSummary | null,
    evaluation: ExpiryEvaluation | null,
    error: ClassifiedError | null,
    /** The reminder record, when its reading was started earlier (alongside the request). */
    lastReminder?: Promise<ReminderRecord | null>,
  ): Promise<StatusReport> {
    const now = clock.now();
    // A refresh refused for an expired password still deserves the daily reminder.
    const effective: ExpiryEvaluation | null =
      evaluation ??
      (error?.kind === 'password-expired'
        ? {
            state: 'expired',
            lastChanged: null,
            expiresAt: null,
            windowStartsAt: null,
            daysLeft: null,
            source: 'policy',
            reason: error.message,
          }
        : null);
    const reminder = effective
      ? decideReminder({
          evaluation: effective,
          last: await (lastReminder ?? reminders.read()),
          now,
          timeZone: options.timeZone,
        })
      : { due: false, nextAt: null };
    const report = buildStatusReport({ account, evaluation: effective, reminder, error, urls });
    // Kept for diagnostics only: written in order, off the check's path, and only when it says
    // something new (a due reminder's nextAt is always "now", so it alone is not news).
    const key = JSON.stringify({
      ...report,
      reminder: report.reminder.due ? null : report.reminder,
    });
    if (key !== lastStatusKey) {
      lastStatusKey = key;
      pendingStatusWrite = pendingStatusWrite
        .then(() => lastStatus.write(report))
        .catch((writeError: unknown) => {
          lastStatusKey = null;
          logger.warn('Could not record the last status', { error: (writeError as Error).message });
        });
    }
    return report;
  }

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
  async function evaluate(
    client: MsalAuth,
    account: AccountInfo,
    token: AuthenticationResult,
    lastReminder?: Promise<ReminderRecord | null>,
  ): Promise<StatusReport> {
    const summary = summarize(account);
    try {
      let result = token;
      const claims = readPasswordClaims(
        result.idTokenClaims as Record<string, unknown> | undefined,
      );
      let facts: PasswordFacts | null = null;
      if (!claims) ({ facts, result } = await fetchFacts(client, account, result));
      const policy = await configuredOrDomainPolicy(
        result.accessToken,
        facts?.userPrincipalName ?? account.username,
      );
      const evaluation = evaluateExpiry({
        facts,
        claims,
        policy,
        now: clock.now(),
        timeZone: options.timeZone,
      });
      return await finish(summary, evaluation, null, lastReminder);
    } catch (error) {
      return finish(summary, null, classify(error), lastReminder);
    }
  }

  async function check(): Promise<StatusReport> {
    if (!auth) return finish(null, null, setupError);
    // The record is read while the token and Graph are asked (it never fails: missing is null).
    const lastReminder = reminders.read().catch(() => null);
    let token: AuthenticationResult | null;
    try {
      token = await auth.currentToken();
    } catch (error) {
      const account = await auth.getAccount().catch(() => null);
      return finish(summarize(account), null, classify(error), lastReminder);
    }
    if (!token?.account) {
      // Never signed in (or signed out) is not an expired sign-in: say it plainly.
      const signedOut = classifyAuthFailure({ errorCode: 'no_account_found' }, urls);
      return finish(null, null, { ...signedOut, message: messages.status.signedOut }, lastReminder);
    }
    return evaluate(auth, token.account, token, lastReminder);
  }

  return {
    check,
    async signIn(signInOptions) {
      if (!auth) return finish(null, null, setupError);
      let result: AuthenticationResult;
      try {
        result = signInOptions?.onDeviceCode
          ? await auth.signInDeviceCode(signInOptions.onDeviceCode)
          : await auth.signInInteractive();
      } catch (error) {
        return finish(null, null, classify(error));
      }
      return result.account ? evaluate(auth, result.account, result) : check();
    },
    async signOut() {
      if (auth) await auth.signOut();
      await domainPolicies.remove();
      return check();
    },
    async markReminderShown(report: StatusReport, at: Date) {
      await (reminders satisfies ReminderStore).write({
        shownAt: at,
        passwordLastChanged: report.password.lastChanged,
      });
    },
    async dispose() {
      await pendingStatusWrite;
    },
  };
}
