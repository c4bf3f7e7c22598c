import { join } from 'node:path';
import type { AuthenticationResult, INativeBrokerPlugin } from '@azure/msal-node';
import type { AssistantConfig } from '../core/config';
import type { StatusReport } from '../core/model';
import type {
  AssistantEngine,
  Clock,
  DirectorySource,
  Logger,
  ReminderClaim,
  ReminderStore,
} from '../core/ports';
import { reminderSlot } from '../core/reminderSchedule';
import type { ReminderCadence } from '../core/reminderSchedule';
import { classifyAuthFailure } from '../core/errorClassification';
import { messages } from '../core/messages';
import type { MsalAuth } from './auth/msalAuth';
import { GraphClient } from './graph/graphClient';
import { defaultHttpOptions } from './net/httpClient';
import type { HttpClientOptions } from './net/httpClient';
import { stateFiles } from './paths';
import { createReminderStore } from './store/reminderStore';
import { createDomainPolicyStore } from './store/domainPolicyStore';
import { JsonFileStore } from './store/jsonFileStore';
import { createDirectoryReadingStore } from './store/directoryReadingStore';
import { ReminderClaims } from './store/reminderClaims';
import { setUpAuth } from './check/authSetup';
import { createErrorClassifier } from './check/errorClassifier';
import { readPasswordClaims } from './check/passwordClaims';
import { createPolicyResolver } from './check/domainPolicy';
import { createReportBuilder } from './check/reportBuilder';
import { createDirectoryStep } from './check/directoryStep';
import { createAccountCheck, summarize } from './check/accountCheck';
import { createLogonDirectoryCheck } from './check/logonDirectory';
import { createOsAccountSignIn } from './check/osAccountSignIn';
import { createSignInStateStore } from './store/signInStateStore';
import { createResetStep } from './check/resetStep';
import { createPasswordChangeStep } from './check/passwordChangeStep';
import { authenticationMethodsScope } from './auth/msalAuth';
import { createPasswordSeenStore, createResetReadinessStore } from './store/accountNoticeStores';

export { readPasswordClaims };

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

/**
 * Builds the engine: MSAL with the OS-protected cache, Graph, and the per-user state files.
 * Never throws for a broken keyring: every call then reports `keyring-unavailable`.
 * The composition of the check's steps (see ./check/); each step is its own module.
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
  const cadence: ReminderCadence = {
    finalDays: config.finalDays,
    everyHours: config.finalDaysEveryHours,
  };
  let auth: MsalAuth | null = null;
  const classify = createErrorClassifier(urls, logger, () => auth);
  const reports = createReportBuilder({
    clock,
    logger,
    timeZone: options.timeZone,
    cadence,
    urls,
    onPremisesChangePasswordUrl: config.onPremisesChangePasswordUrl,
    securityInfoUrl: config.securityInfoUrl,
    reminders,
    claims,
    lastStatus: new JsonFileStore<StatusReport>(
      join(home, stateFiles.lastStatus),
      (raw) => raw as StatusReport,
      logger,
    ),
    classify,
  });
  const setup = await setUpAuth({
    config,
    home,
    clock,
    logger,
    http,
    urls,
    openBrowser: options.openBrowser,
    broker: options.broker ?? 'auto',
    ...(options.windowHandle ? { windowHandle: options.windowHandle } : {}),
    interactiveTimeoutMs: options.interactiveTimeoutMs ?? 5 * 60 * 1000,
  });
  auth = setup.auth;
  const setupFailed = () =>
    reports.build({ account: null, evaluation: null, error: setup.setupError });

  const graph = new GraphClient(config.graphEndpoint, http, () => clock.now());
  const domainPolicies = createDomainPolicyStore(join(home, stateFiles.domainPolicy), logger);
  const policyFor = createPolicyResolver({ config, graph, store: domainPolicies, clock, logger });
  const keptReadings = createDirectoryReadingStore(join(home, stateFiles.directoryReading), logger);
  const directorySource = config.onPremisesDirectory === 'off' ? null : (options.directory ?? null);
  const directory = createDirectoryStep({
    config,
    source: directorySource,
    keptReadings,
    logger,
    timeZone: options.timeZone,
  });
  const logon = createLogonDirectoryCheck({
    config,
    source: directorySource,
    keptReadings,
    reports,
    clock,
    logger,
    timeZone: options.timeZone,
  });
  const osAccount = createOsAccountSignIn({
    config,
    state: createSignInStateStore(join(home, stateFiles.signInState), logger),
    logger,
  });

  const resetAnswers = createResetReadinessStore(join(home, stateFiles.resetReadiness), logger);
  const seenChanges = createPasswordSeenStore(join(home, stateFiles.passwordSeen), logger);
  const evaluate = createAccountCheck({
    clock,
    logger,
    timeZone: options.timeZone,
    graph,
    policyFor,
    directory,
    reports,
    classify,
    resetStatus: createResetStep({
      graph,
      store: resetAnswers,
      scope: authenticationMethodsScope(config),
      logger,
    }),
    passwordChange: createPasswordChangeStep({
      store: seenChanges,
      platform: process.platform,
      logger,
    }),
  });

  async function check(): Promise<StatusReport> {
    if (!auth) return setupFailed();
    // The record is read while the token and Graph are asked; a failure to read it is reported
    // when the report is built (a handler is attached now so it is never an unhandled rejection).
    const lastReminder = reminders.read();
    lastReminder.catch(() => undefined);
    let token: AuthenticationResult | null;
    try {
      token = await auth.currentToken();
    } catch (error) {
      const account = await auth.getAccount().catch(() => null);
      return reports.build({
        account: summarize(account),
        evaluation: null,
        error: classify(error),
        lastReminder,
      });
    }
    if (!token?.account) {
      // Nobody cached: the computer's own account, silently; else the domain logon's AD entry.
      const silent = await osAccount.signIn(auth);
      if (silent?.account) return evaluate(auth, silent.account, silent, lastReminder);
      const fromLogon = await logon.check(lastReminder);
      if (fromLogon) return fromLogon;
      // Never signed in (or signed out) is not an expired sign-in: say it plainly.
      const signedOut = classifyAuthFailure({ errorCode: 'no_account_found' }, urls);
      return reports.build({
        account: null,
        evaluation: null,
        error: { ...signedOut, message: messages.status.signedOut },
        lastReminder,
      });
    }
    return evaluate(auth, token.account, token, lastReminder);
  }

  return {
    check,
    async signIn(signInOptions) {
      if (!auth) return setupFailed();
      let result: AuthenticationResult;
      try {
        result = signInOptions?.onDeviceCode
          ? await auth.signInDeviceCode(signInOptions.onDeviceCode)
          : await auth.signInInteractive((await logon.loginHint()) ?? undefined);
      } catch (error) {
        return reports.build({ account: null, evaluation: null, error: classify(error) });
      }
      await osAccount.signedIn();
      return result.account ? evaluate(auth, result.account, result) : check();
    },
    async signOut() {
      // Without a usable token cache nothing was removed: say why instead of "signed out".
      if (!auth) return setupFailed();
      try {
        await auth.signOut();
        await osAccount.signedOut();
        await domainPolicies.remove();
        await keptReadings.remove();
        await resetAnswers.remove();
        await seenChanges.remove();
      } catch (error) {
        const account = await auth.getAccount().catch(() => null);
        return reports.build({
          account: summarize(account),
          evaluation: null,
          error: classify(error),
        });
      }
      return check();
    },
    async claimReminder(report: StatusReport, at: Date): Promise<ReminderClaim | null> {
      const expiresAt =
        report.password.expiresAt === null ? null : new Date(report.password.expiresAt);
      const timing = { state: report.password.state, expiresAt };
      const slot = reminderSlot({ timing, now: at, timeZone: options.timeZone, cadence });
      const held = await claims.claim(slot.day, at, slot.fromHour);
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
    signInPrompt: (report) => osAccount.promptDecision(report),
    signInPromptShown: () => osAccount.promptShown(),
    async dispose() {
      await reports.flush();
    },
  };
}
