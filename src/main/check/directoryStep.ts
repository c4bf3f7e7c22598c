import type { AssistantConfig } from '../../core/config';
import type { DirectoryReading, DirectoryReadResult } from '../../core/directory';
import type {
  DirectoryStatus,
  ExpiryEvaluation,
  PasswordFacts,
  TokenPasswordClaims,
} from '../../core/model';
import type { DirectorySource, Logger } from '../../core/ports';
import { combineWithDirectory, isKeptReadingCurrent } from '../../core/hybridExpiry';
import type { DirectoryReadingRecord } from '../store/directoryReadingStore';
import type { JsonFileStore } from '../store/jsonFileStore';

export interface DirectoryStepOptions {
  config: AssistantConfig;
  /** Null: the cloud's answer only (no source, or `onPremisesDirectory: off`). */
  source: DirectorySource | null;
  keptReadings: JsonFileStore<DirectoryReadingRecord>;
  logger: Logger;
  timeZone: string;
}

/** What the cloud said, for the directory to add to. */
export interface CloudAnswer {
  cloud: ExpiryEvaluation;
  facts: PasswordFacts | null;
  claims: TokenPasswordClaims | null;
  windowDays: number;
  now: Date;
}

export interface DirectoryOutcome {
  evaluation: ExpiryEvaluation;
  directory: DirectoryStatus | null;
}

/** One check's use of the on-premises directory, started before the cloud is asked. */
export interface DirectoryCheck {
  finish(answer: CloudAnswer): Promise<DirectoryOutcome>;
}

function warnOnFailure(logger: Logger, what: string) {
  return (error: unknown) => logger.warn(what, { error: (error as Error).message });
}

/**
 * Adds the user's own AD entry to the cloud's answer for synced users (or every user with
 * `onPremisesDirectory: on`), keeping the last good reading for when the DC is out of reach.
 */
export function createDirectoryStep(options: DirectoryStepOptions) {
  const { config, source, keptReadings, logger, timeZone } = options;
  /** Accounts Graph said are synced, so later checks read AD alongside Graph. */
  const syncedAccounts = new Set<string>();

  /** One read of the user's AD entry; a port that breaks its promise still gives a result. */
  function read(from: DirectorySource): Promise<DirectoryReadResult> {
    return from
      .read({ domain: config.onPremisesDomain, servers: config.onPremisesServers })
      .catch((error: unknown): DirectoryReadResult => ({
        ok: false,
        failure: { kind: 'protocol', detail: String(error), server: null },
      }));
  }

  function logFailure(result: DirectoryReadResult, kept: DirectoryReadingRecord | null): void {
    if (result.ok) return;
    const { kind, detail, server } = result.failure;
    // In auto, "no domain here" (no realm, no ticket, no GSS-API) is normal, not a problem.
    const quiet =
      config.onPremisesDirectory === 'auto' &&
      (kind === 'not-configured' || kind === 'no-credentials' || kind === 'unavailable');
    const meta = { kind, detail, server, kept: kept?.reading.readAt.toISOString() };
    if (quiet) logger.info('On-premises directory not read', meta);
    else logger.warn('On-premises directory not read', meta);
  }

  async function begin(username: string): Promise<DirectoryCheck> {
    const accountKey = username.toLowerCase();
    const kept = source ? await keptReadings.read() : null;
    const keptForAccount = kept?.account === accountKey ? kept : null;
    // A user known to be synced (a kept reading) is read alongside Graph, so an unreachable
    // domain controller costs no more than its own time budget; others only once Graph says so.
    const knownSynced = keptForAccount !== null || syncedAccounts.has(accountKey);
    const early =
      source && (config.onPremisesDirectory === 'on' || knownSynced) ? read(source) : null;

    async function finish(answer: CloudAnswer): Promise<DirectoryOutcome> {
      const { cloud, facts, claims } = answer;
      // The token's pwd_exp is the directory's own answer; otherwise AD decides for synced users.
      const wanted =
        source !== null &&
        claims === null &&
        facts !== null &&
        (config.onPremisesDirectory === 'on' || facts.onPremisesSyncEnabled === true);
      if (facts?.onPremisesSyncEnabled === true) syncedAccounts.add(accountKey);
      else syncedAccounts.delete(accountKey);
      if (!wanted) {
        // No longer synced (or the token answers): the kept reading no longer applies.
        if (keptForAccount !== null) {
          await keptReadings
            .remove()
            .catch(warnOnFailure(logger, 'Could not forget the directory reading'));
        }
        return { evaluation: cloud, directory: null };
      }
      const result = await (early ?? read(source));
      logFailure(result, keptForAccount);
      let use: { reading: DirectoryReading; cached: boolean } | null = null;
      if (result.ok) use = { reading: result.reading, cached: false };
      else if (keptForAccount && isKeptReadingCurrent(keptForAccount.reading, facts)) {
        use = { reading: keptForAccount.reading, cached: true };
      }
      const hybrid = combineWithDirectory({
        cloud,
        facts,
        directory: use,
        failure: result.ok ? null : result.failure.kind,
        reportFailure: config.onPremisesDirectory === 'on',
        pendingChange: keptForAccount?.pendingChange ?? null,
        windowDays: answer.windowDays,
        now: answer.now,
        timeZone,
      });
      if (hybrid.ignored !== null) {
        logger.info('On-premises directory entry not used', { reason: hybrid.ignored });
      }
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
            .catch(warnOnFailure(logger, 'Could not keep the directory reading'));
        }
      }
      return { evaluation: hybrid.evaluation, directory: hybrid.directory };
    }
    return { finish };
  }

  return { begin };
}
