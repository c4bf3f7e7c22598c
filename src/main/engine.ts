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
  ReminderDecision,
  ReminderRecord,
  StatusReport,
  TokenPasswordClaims,
} from '../core/model';
import type {
  AssistantEngine,
  Clock,
  DirectorySource,
  Logger,
  ReminderClaim,
  ReminderStore,
} from '../core/ports';
import type { DirectoryReading, DirectoryReadResult } from '../core/directory';
import type { DirectoryStatus } from '../core/model';
import { evaluateExpiry } from '../core/expiry';
import { combineWithDirectory, isKeptReadingCurrent } from '../core/hybridExpiry';
import { decideReminder } from '../core/reminderSchedule';
import { localDate, startOfNextLocalDay } from '../core/localCalendar';
import { classifyAuthFailure } from '../core/errorClassification';
import { buildStatusReport } from '../core/statusReport';
import { messages } from '../core/messages';
import { passwordClaimsProblem } from '../core/serverDates';
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
import { createDirectoryReadingStore } from './store/directoryReadingStore';
import { ReminderClaims } from './store/reminderClaims';
import { StateFileError } from './store/stateFileAccess';

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
  /**
   * The user's own on-premises AD entry (read with the logon's Kerberos ticket or Windows
   * session). Absent: the cloud's answer only, as with `onPremisesDirectory: off`.
   */
  directory?: DirectorySource;
}

export type Engine = AssistantEngine & { dispose(): Promise<void> };

/** A StateFileError anywhere in the error's cause chain. */
function stateFileError(error: unknown): StateFileError | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as Error).cause, depth += 1) {
    if (e instanceof StateFileError) return e;
  }
  return null;
}

/** Errors from our own adapters carry a sentence that names the file: show that one. */
function withOwnMessage(classified: ClassifiedError, error: Error): ClassifiedError {
  return error instanceof StateFileError ? { ...classified, message: error.message } : classified;
}

/** A report as far as it is news: a due reminder's nextAt is always "now", so not that. */
function statusKey(report: StatusReport): string {
  return JSON.stringify({ ...report, reminder: report.reminder.due ? null : report.reminder });
}

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

/** The claims, unless pwd_exp or iat is out of range: then Graph is asked instead. */
function plausibleClaims(
  claims: TokenPasswordClaims | null,
  now: Date,
  logger: Logger,
): TokenPasswordClaims | null {
  const problem = claims === null ? null : passwordClaimsProblem(claims, now);
  if (problem === null) return claims;
  logger.warn('Password expiry in the ID token is not usable; asking Microsoft Graph', { problem });
  return null;
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
  const claims = new ReminderClaims(home, logger);
  let pendingStatusWrite: Promise<void> = Promise.resolve();
  const lastStatus = new JsonFileStore<StatusReport>(
    join(home, stateFiles.lastStatus),
    (raw) => raw as StatusReport,
    logger,
  );
  // What the file already says (read now, alongside the setup): a new process whose report
  // says nothing new does not rewrite it.
  let lastStatusKey: Promise<string | null> = lastStatus.read().then(
    (kept) => (kept ? statusKey(kept) : null),
    () => null,
  );

  let auth: MsalAuth | null = null;
  let setupError: ClassifiedError | null = null;
  try {
    const cachePlugin = await createTokenCachePlugin(home, { logger });
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
    if (!(error instanceof KeyringUnavailableError || error instanceof StateFileError)) throw error;
    logger.error('Token cache unavailable', { error: error.message, cause: String(error.cause) });
    setupError = withOwnMessage(classifyAuthFailure(toAuthFailure(error), urls), error);
  }

  const graph = new GraphClient(config.graphEndpoint, http, () => clock.now());
  const domainPolicies = createDomainPolicyStore(join(home, stateFiles.domainPolicy), logger);
  const keptReadings = createDirectoryReadingStore(join(home, stateFiles.directoryReading), logger);
  const directorySource = config.onPremisesDirectory === 'off' ? null : (options.directory ?? null);
  /** Accounts Graph said are synced, so later checks read AD alongside Graph. */
  const syncedAccounts = new Set<string>();

  /** One read of the user's AD entry; a port that breaks its promise still gives a result. */
  function readDirectory(source: DirectorySource): Promise<DirectoryReadResult> {
    return source
      .read({ domain: config.onPremisesDomain, servers: config.onPremisesServers })
      .catch((error: unknown): DirectoryReadResult => ({
        ok: false,
        failure: { kind: 'protocol', detail: String(error), server: null },
      }));
  }

  const classify = (error: unknown): ClassifiedError => {
    const onDisk = stateFileError(error);
    if (onDisk) {
      logger.warn('A state file could not be used', { path: onDisk.path, error: onDisk.message });
      return withOwnMessage(classifyAuthFailure(toAuthFailure(onDisk), urls), onDisk);
    }
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
    directory: DirectoryStatus | null = null,
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
    let reminder: ReminderDecision = { due: false, nextAt: null };
    if (effective) {
      try {
        reminder = decideReminder({
          evaluation: effective,
          last: await (lastReminder ?? reminders.read()),
          now,
          timeZone: options.timeZone,
        });
        // Another process may have claimed (and be showing) today's reminder already.
        if (reminder.due && (await claims.isClaimed(localDate(now, options.timeZone)))) {
          reminder = { due: false, nextAt: startOfNextLocalDay(now, options.timeZone) };
        }
      } catch (readError) {
        error ??= classify(readError);
      }
    }
    const report = buildStatusReport({
      account,
      evaluation: effective,
      reminder,
      error,
      urls,
      directory,
      onPremisesChangePasswordUrl: config.onPremisesChangePasswordUrl,
    });
    // Kept for diagnostics only: written in order, off the check's path, and only when it says
    // something new.
    const key = statusKey(report);
    if (key !== (await lastStatusKey)) {
      lastStatusKey = Promise.resolve(key);
      pendingStatusWrite = pendingStatusWrite
        .then(() => lastStatus.write(report))
        .catch((writeError: unknown) => {
          lastStatusKey = Promise.resolve(null);
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
    const accountKey = account.username.toLowerCase();
    const kept = directorySource ? await keptReadings.read() : null;
    const keptForAccount = kept?.account === accountKey ? kept : null;
    // A user known to be synced (a kept reading) is read alongside Graph, so an unreachable
    // domain controller costs no more than its own time budget; others only once Graph says so.
    let directoryRead: Promise<DirectoryReadResult> | null = null;
    const knownSynced = keptForAccount !== null || syncedAccounts.has(accountKey);
    if (directorySource && (config.onPremisesDirectory === 'on' || knownSynced)) {
      directoryRead = readDirectory(directorySource);
    }
    try {
      let result = token;
      const claims = plausibleClaims(
        readPasswordClaims(result.idTokenClaims as Record<string, unknown> | undefined),
        clock.now(),
        logger,
      );
      let facts: PasswordFacts | null = null;
      if (!claims) ({ facts, result } = await fetchFacts(client, account, result));
      const policy = await configuredOrDomainPolicy(
        result.accessToken,
        facts?.userPrincipalName ?? account.username,
      );
      const now = clock.now();
      const cloud = evaluateExpiry({ facts, claims, policy, now, timeZone: options.timeZone });
      // The token's pwd_exp is the directory's own answer; otherwise AD decides for synced users.
      const wanted =
        directorySource !== null &&
        claims === null &&
        facts !== null &&
        (config.onPremisesDirectory === 'on' || facts.onPremisesSyncEnabled === true);
      if (facts?.onPremisesSyncEnabled === true) syncedAccounts.add(accountKey);
      else syncedAccounts.delete(accountKey);
      if (!wanted) {
        // No longer synced (or the token answers): the kept reading no longer applies.
        if (keptForAccount !== null) {
          await keptReadings.remove().catch((error: unknown) =>
            logger.warn('Could not forget the directory reading', {
              error: (error as Error).message,
            }),
          );
        }
        return await finish(summary, cloud, null, null, lastReminder);
      }
      const read = await (directoryRead ?? readDirectory(directorySource));
      let use: { reading: DirectoryReading; cached: boolean } | null = null;
      if (read.ok) {
        use = { reading: read.reading, cached: false };
      } else {
        const { kind, detail, server } = read.failure;
        // In auto, "no domain here" (no realm, no ticket, no GSS-API) is normal, not a problem.
        const quiet =
          config.onPremisesDirectory === 'auto' &&
          (kind === 'not-configured' || kind === 'no-credentials' || kind === 'unavailable');
        const meta = { kind, detail, server, kept: keptForAccount?.reading.readAt.toISOString() };
        if (quiet) logger.info('On-premises directory not read', meta);
        else logger.warn('On-premises directory not read', meta);
        if (keptForAccount && isKeptReadingCurrent(keptForAccount.reading, facts)) {
          use = { reading: keptForAccount.reading, cached: true };
        }
      }
      const hybrid = combineWithDirectory({
        cloud,
        facts,
        directory: use,
        failure: read.ok ? null : read.failure.kind,
        reportFailure: config.onPremisesDirectory === 'on',
        pendingChange: keptForAccount?.pendingChange ?? null,
        windowDays: policy.windowDays,
        now,
        timeZone: options.timeZone,
      });
      // Only a reading that gave the figure is kept (not another user's, not an unusable one).
      if (use !== null && hybrid.directory !== null) {
        const changed =
          !use.cached ||
          (keptForAccount?.pendingChange?.getTime() ?? null) !==
            (hybrid.pendingChange?.getTime() ?? null);
        if (changed) {
          await keptReadings
            .write({
              account: accountKey,
              reading: use.reading,
              pendingChange: hybrid.pendingChange,
            })
            .catch((error: unknown) =>
              logger.warn('Could not keep the directory reading', {
                error: (error as Error).message,
              }),
            );
        }
      }
      return await finish(summary, hybrid.evaluation, null, hybrid.directory, lastReminder);
    } catch (error) {
      return finish(summary, null, classify(error), null, lastReminder);
    }
  }

  async function check(): Promise<StatusReport> {
    if (!auth) return finish(null, null, setupError);
    // The record is read while the token and Graph are asked; a failure to read it is reported
    // when the report is built (a handler is attached now so it is never an unhandled rejection).
    const lastReminder = reminders.read();
    lastReminder.catch(() => undefined);
    let token: AuthenticationResult | null;
    try {
      token = await auth.currentToken();
    } catch (error) {
      const account = await auth.getAccount().catch(() => null);
      return finish(summarize(account), null, classify(error), null, lastReminder);
    }
    if (!token?.account) {
      // Never signed in (or signed out) is not an expired sign-in: say it plainly.
      const signedOut = classifyAuthFailure({ errorCode: 'no_account_found' }, urls);
      return finish(
        null,
        null,
        { ...signedOut, message: messages.status.signedOut },
        null,
        lastReminder,
      );
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
      // Without a usable token cache nothing was removed: say why instead of "signed out".
      if (!auth) return finish(null, null, setupError);
      try {
        await auth.signOut();
        await domainPolicies.remove();
        await keptReadings.remove();
      } catch (error) {
        const account = await auth.getAccount().catch(() => null);
        return finish(summarize(account), null, classify(error));
      }
      return check();
    },
    async claimReminder(report: StatusReport, at: Date): Promise<ReminderClaim | null> {
      const held = await claims.claim(localDate(at, options.timeZone), at);
      if (!held) return null;
      return {
        confirm: async (shownAt) => {
          await (reminders satisfies ReminderStore).write({
            shownAt,
            passwordLastChanged: report.password.lastChanged,
          });
          await held.tidy();
        },
        showing: () => held.showing(),
        release: () => held.release(),
      };
    },
    async dispose() {
      await pendingStatusWrite;
    },
  };
}
